import ExcelJS from 'exceljs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { A, B, users } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { records } from '../support/records';
import { pdfText } from '../support/pdf-text';
import { procedureStack } from '../support/procedure-stack';
import { skip, timeSkippingEnv } from '../support/workflow-env';
import { cstDate, cstYear } from '@jingzhun/domain';

jest.setTimeout(180_000);

/**
 * 年度动态调整 over HTTP with the registry's real activities on PostgreSQL: the dry run, the start,
 * tasks opened in batches, the comparison sheet, verifications whose findings open their procedures,
 * the cancellation and the restart. Next year's campaign, so its calendar lies ahead whatever today is.
 */
describe('annual adjustment campaign end to end over HTTP', () => {
  let env: TestWorkflowEnvironment;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  const year = cstYear() + 1;
  beforeAll(async () => {
    env = await timeSkippingEnv();
    stack = await procedureStack('campaign', env.address);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  const assessment = (wage: number) => ({
    year,
    assessedOn: new Date().toISOString().slice(0, 10),
    wageIncome: wage,
    businessIncome: 0,
    propertyIncome: 0,
    transferIncome: 3000,
    productionCosts: 3000,
    food: true,
    clothing: true,
    education: true,
    medical: true,
    housing: true,
    water: true,
  });
  // A household below the exit standard: the cause analysed and a targeted measure planned (both required then).
  const verification = (wage: number, extra: Record<string, unknown> = {}) => ({
    visitors: ['张建国', '李秀英'],
    documents: ['hukou', 'idCard'],
    assessment: assessment(wage),
    causeAnalysis: '因病支出大, 家中劳动力务工收入不稳定',
    plannedMeasures: [{ kind: 'HEALTH', description: '落实大病救助与家庭医生签约' }],
    acknowledged: true,
    ...extra,
  });

  it('previews, starts, opens the tasks, prints the sheet, routes the findings into procedures, cancels and starts again', async () => {
    const { registry, auth, pg } = stack;
    const county = await auth(users.countyA);
    const village = await auth(users.villageA);
    // Two POOR households: one whose son died, one whose income now meets the exit standard.
    const withDeath = await stack.exitEligibleHousehold(A.village, 3);
    const meetsExit = await stack.exitEligibleHousehold(A.village, 2);
    const body = { countyCode: A.county, year, categories: ['poor'] };

    const preview = await registry.http.post('/campaigns/preview').set(county).send(body);
    expect(preview.status).toBe(200);
    const poorInCounty = Number(
      (await pg.query(`SELECT count(*) FROM household WHERE status = 'POOR' AND village_code LIKE '411599%'`)).rows[0]
        .count,
    );
    expect(preview.body.households).toBe(poorInCounty);
    expect(preview.body.byCategory.poor.households).toBe(poorInCounty);
    expect(preview.body.villages.find((v: { code: string }) => v.code === A.village)).toMatchObject({
      categories: ['poor'],
    });

    // The start is refused when live data no longer gives what the officer confirmed; bad input names its field.
    const stale = await registry.http
      .post('/campaigns')
      .set(county)
      .send({ ...body, confirmHouseholds: poorInCounty + 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('SCOPE_CHANGED');
    const bad = await registry.http
      .post('/campaigns')
      .set(county)
      .send({ ...body, categories: [] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('categories');
    expect((await registry.http.post('/campaigns').set(village).send(body)).status).toBe(403);
    // This year's visit phase is over (the test runs after 31 October, as CI does in December; else the campaign would start):
    // the start names the calendar instead of opening tasks already late. A year long past is refused for its year.
    const late = await registry.http
      .post('/campaigns')
      .set(county)
      .send({ ...body, year: year - 1 });
    if (cstDate() > `${year - 1}-10-31`) {
      expect(late.status).toBe(400);
      expect(late.body.error.message).toBe(
        `calendar: ${year - 1} 年入户核查已于 10 月 31 日截止, 请调整工作日历 (calendar) 后发起`,
      );
    }
    const past = await registry.http
      .post('/campaigns')
      .set(county)
      .send({ ...body, year: year - 2 });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toBe(`year: 只能部署 ${year - 1} 或 ${year} 年度的动态调整`);

    const started = await registry.http
      .post('/campaigns')
      .set(county)
      .send({ ...body, confirmHouseholds: poorInCounty });
    expect(started.status).toBe(201);
    expect(started.body.workflowId).toBe(`annual_adjustment/${A.county}/${year}`);
    const campaignId = started.body.id;
    expect((await registry.http.post('/campaigns').set(county).send(body)).status).toBe(409);

    // One verification task per household in scope, opened by the workflow in batches; the village sees its own.
    let opened = 0;
    for (let i = 0; i < 200 && opened < poorInCounty; i++) {
      opened = Number(
        (
          await pg.query(`SELECT count(*) FROM task WHERE case_id = $1 AND step = 'campaign.verification'`, [
            campaignId,
          ])
        ).rows[0].count,
      );
      if (opened < poorInCounty) await new Promise((r) => setTimeout(r, 50));
    }
    expect(opened).toBe(poorInCounty);
    const inbox = await registry.http.get('/tasks?status=open&step=campaign.verification&pageSize=200').set(village);
    const mine = inbox.body.items.find((t: { householdId: string }) => t.householdId === withDeath.id);
    expect(mine).toMatchObject({
      kind: 'annual_adjustment',
      villageCode: A.village,
      householdNumber: withDeath.number,
    });
    const viaDecision = await registry.http
      .post(`/tasks/${mine.id}/decision`)
      .set(village)
      .send({ decision: 'approve', comment: 'x' });
    expect(viaDecision.status).toBe(409);
    expect(viaDecision.body.error.code).toBe('USE_VERIFICATION_FORM');

    // The comparison sheet: the household's number and masked ID numbers, never a full one.
    const sheet = await registry.http
      .get(`/campaigns/${campaignId}/households/${withDeath.id}/sheet`)
      .set(village)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(sheet.status).toBe(200);
    expect(sheet.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(sheet.body as Buffer);
    expect(text).toContain(withDeath.number);
    expect(text).toContain('核查人');
    expect(text).not.toContain(withDeath.headId);

    // A member's death → a member-change case; the record is checked field by field first.
    const members = (await registry.http.get(`/households/${withDeath.id}`).set(county)).body.members as {
      id: string;
      relation: string;
    }[];
    const son = members.find((m) => m.relation === 'SON')!;
    const oneVisitor = await registry.http
      .post(`/campaigns/${campaignId}/households/${withDeath.id}/verification`)
      .set(village)
      .send({ ...verification(3000), visitors: ['张建国'] });
    expect(oneVisitor.status).toBe(400);
    expect(JSON.stringify(oneVisitor.body.error)).toContain('visitors');
    // Below the exit standard with no cause analysed, or no measure: a 400 naming the field, nothing written.
    const noCause = await registry.http
      .post(`/campaigns/${campaignId}/households/${withDeath.id}/verification`)
      .set(village)
      .send(verification(3000, { causeAnalysis: undefined }));
    expect(noCause.status).toBe(400);
    expect(noCause.body.error.message).toContain('causeAnalysis');
    const noMeasure = await registry.http
      .post(`/campaigns/${campaignId}/households/${withDeath.id}/verification`)
      .set(village)
      .send(verification(3000, { plannedMeasures: [] }));
    expect(noMeasure.status).toBe(400);
    expect(noMeasure.body.error.message).toContain('plannedMeasures');
    const death = await registry.http
      .post(`/campaigns/${campaignId}/households/${withDeath.id}/verification`)
      .set(village)
      .send(
        verification(3000, {
          members: [{ memberId: son.id, left: 'DEATH' }],
          plannedMeasures: [{ kind: 'EMPLOYMENT', description: '推荐到县工业园区务工' }],
        }),
      );
    expect(death.status).toBe(201);
    const change = death.body.findings.find((f: { kind: string }) => f.kind === 'member_change');
    expect(change.caseId).toEqual(expect.any(String));
    const changeCase = (await registry.http.get(`/cases/${change.caseId}`).set(county)).body;
    expect(changeCase).toMatchObject({ kind: 'member_change', status: 'OPEN' });
    // Income below the line: no exit, the unmet criteria kept, the planned measure on the household.
    expect(death.body.findings.some((f: { kind: string }) => f.kind === 'exit')).toBe(false);
    expect(death.body.unmetCriteria.join()).toContain('年人均纯收入');
    expect(
      (await registry.http.get(`/households/${withDeath.id}`).set(county)).body.measures.map(
        (m: { description: string }) => m.description,
      ),
    ).toContain('推荐到县工业园区务工');
    expect(
      (
        await registry.http
          .post(`/campaigns/${campaignId}/households/${withDeath.id}/verification`)
          .set(village)
          .send(verification(3000))
      ).status,
    ).toBe(409);

    // Income that meets the standard → an exit case, its village appraisal in the village inbox.
    const exit = await registry.http
      .post(`/campaigns/${campaignId}/households/${meetsExit.id}/verification`)
      .set(village)
      .send(verification(40000));
    expect(exit.status).toBe(201);
    const exitCase = exit.body.findings.find((f: { kind: string }) => f.kind === 'exit');
    expect(exitCase).toMatchObject({ caseId: expect.any(String) });
    expect(exitCase.refused).toBeUndefined();
    await stack.inboxTask(users.villageA, 'village.appraisal', exitCase.caseId);

    // Progress from live data: two verified, two cases opened by the campaign.
    const progress = await registry.http.get(`/campaigns/${campaignId}`).set(county);
    expect(progress.status).toBe(200);
    expect(progress.body.progress).toMatchObject({
      inScope: poorInCounty,
      verified: 2,
      casesByKind: { member_change: 1, exit: 1 },
    });
    expect(progress.body.phase).toBe('deployment');

    // Cancelled: the open work is withdrawn and audited; the year's campaign may then start again.
    const cancelled = await registry.http
      .post(`/campaigns/${campaignId}/cancel`)
      .set(county)
      .send({ reason: '方案调整, 重新部署' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    const open = Number(
      (await pg.query(`SELECT count(*) FROM task WHERE case_id = $1 AND status = 'OPEN'`, [campaignId])).rows[0].count,
    );
    expect(open).toBe(0);
    const audit = await pg.query(
      `SELECT actor_id, after FROM audit WHERE case_id = $1 AND action = 'campaign.cancelled'`,
      [campaignId],
    );
    expect(audit.rows[0]).toMatchObject({
      actor_id: users.countyA,
      after: { reason: '方案调整, 重新部署', withdrawn: poorInCounty - 2 },
    });
    // It shows as cancelled at the phase it reached, not as seven phases done.
    expect((await registry.http.get(`/campaigns/${campaignId}`).set(county)).body).toMatchObject({
      status: 'CANCELLED',
      phase: 'deployment',
    });
    // A cancelled campaign takes no province list (#22).
    const list = new ExcelJS.Workbook();
    list.addWorksheet('问题清单').addRow(['户编号', '问题', '问题描述']);
    const closed = await registry.http
      .post(`/campaigns/${campaignId}/province-problems`)
      .set(county)
      .attach('file', Buffer.from(await list.xlsx.writeBuffer()), 'province.xlsx');
    expect([closed.status, closed.body.error?.code]).toEqual([409, 'CAMPAIGN_CLOSED']);
    const again = await registry.http.post('/campaigns').set(county).send(body);
    expect(again.status).toBe(201);
    expect(again.body.workflowId).toBe(`annual_adjustment/${A.county}/${year}/2`);
  });

  it("every finding reaches a procedure by the year's lines: below the poverty line → identification (on the household's application), between the lines → monitoring inclusion, an exited household between them → monitoring inclusion", async () => {
    const { registry, auth } = stack;
    const county = await auth(users.countyB);
    const village = await auth(users.villageB);
    const make = async (status: string, extra: Record<string, unknown> = {}) => {
      const r = await registry.http
        .post('/households')
        .set(status === 'APPLICANT' ? village : county)
        .send({
          villageCode: B.village,
          status,
          mainCause: 'ILLNESS',
          members: [{ name: `${status}户主`, idNumber: nextIdNumber('522699'), relation: 'HEAD' }],
          ...extra,
        });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const poorApplicant = await make('APPLICANT');
    const marginal = await make('APPLICANT');
    // Marginal households are APPLICANTs with an income on record below the monitoring line: both are in scope.
    for (const id of [poorApplicant, marginal]) {
      const a = await registry.http
        .post(`/households/${id}/assessments`)
        .set(county)
        .send({
          year: cstYear(),
          assessedOn: cstDate(),
          ...records.findings({ wageIncome: 5000, transferIncome: 0, productionCosts: 0 }),
        });
      expect(a.status).toBe(201);
    }
    const unstable = await make('EXITED', { identifiedYear: 2016, exitYear: 2020 });
    const wronglyExited = await make('EXITED', { identifiedYear: 2016, exitYear: 2020 });
    const started = await registry.http
      .post('/campaigns')
      .set(county)
      .send({ countyCode: B.county, year, categories: ['exited', 'marginal'] });
    expect(started.status).toBe(201);
    const campaignId = started.body.id as string;
    for (
      let i = 0;
      i < 200 &&
      Number((await stack.pg.query(`SELECT count(*) FROM task WHERE case_id = $1`, [campaignId])).rows[0].count) < 4;
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const verify = async (householdId: string, wage: number, extra: Record<string, unknown> = {}) => {
      const r = await registry.http
        .post(`/campaigns/${campaignId}/households/${householdId}/verification`)
        .set(village)
        .send(verification(wage, { causeAnalysis: undefined, plannedMeasures: [], ...extra }));
      expect(r.status).toBe(201);
      return r.body.findings as { kind: string; what: string; caseId: string | null; refused?: string }[];
    };
    // 1 person, 2 000 wage + 3 000 transfer − 3 000 costs = 2 000 per head: below the 4 000 line.
    const noConsent = await verify(poorApplicant, 2000);
    expect(noConsent).toEqual([
      expect.objectContaining({
        kind: 'identification',
        caseId: null,
        refused: expect.stringContaining('householdConsent'),
      }),
    ]);
    // 6 000 per head: between the poverty line (4 000) and the monitoring line (7 800).
    const between = await verify(marginal, 6000);
    expect(between).toEqual([
      expect.objectContaining({
        kind: 'monitoring_inclusion',
        caseId: expect.any(String),
        what: expect.stringContaining('边缘易致贫'),
      }),
    ]);
    const exited = await verify(unstable, 6000);
    expect(exited).toEqual([
      expect.objectContaining({
        kind: 'monitoring_inclusion',
        caseId: expect.any(String),
        what: expect.stringContaining('脱贫不稳定'),
      }),
    ]);
    const mCase = (await stack.pg.query(`SELECT data FROM "case" WHERE id = $1`, [exited[0].caseId])).rows[0].data;
    expect(mCase).toMatchObject({ trigger: 'visit', monitoringType: 'UNSTABLE_EXITED' });
    // Exited wrongly (found still poor): the finding opens 清退 with its reason, nothing else.
    const removal = await verify(wronglyExited, 1000, { removalReason: 'WRONGLY_EXITED' });
    expect(removal).toEqual([
      expect.objectContaining({ kind: 'removal', caseId: expect.any(String), what: expect.stringContaining('错退') }),
    ]);
    expect(
      (await stack.pg.query(`SELECT data->>'removalReason' AS r FROM "case" WHERE id = $1`, [removal[0].caseId])).rows,
    ).toEqual([{ r: 'WRONGLY_EXITED' }]);
    expect(
      (await registry.http.post(`/campaigns/${campaignId}/cancel`).set(county).send({ reason: '测试结束' })).status,
    ).toBe(200);
  });

  it("the summary's figures, in JSON and in its XLSX, equal what the registry's lists give", async () => {
    const { registry, auth } = stack;
    const county = await auth(users.countyA);
    const campaign = (await registry.http.get('/campaigns').set(county)).body.find(
      (c: { status: string; year: number }) => c.status === 'OPEN' && c.year === year,
    );
    const household = await stack.exitEligibleHousehold(A.village, 2);
    // A household created after the start is not in scope; one that was is verified here.
    const inScope = (
      await stack.pg.query(`SELECT household_id FROM task WHERE case_id = $1 AND status = 'OPEN' LIMIT 1`, [
        campaign.id,
      ])
    ).rows[0].household_id as string;
    expect(inScope).not.toBe(household.id);
    const verified = await registry.http
      .post(`/campaigns/${campaign.id}/households/${inScope}/verification`)
      .set(await auth(users.villageA))
      .send(verification(2000));
    expect(verified.status).toBe(201);

    const summary = await registry.http.get(`/campaigns/${campaign.id}/summary`).set(county);
    expect(summary.status).toBe(200);
    const f = summary.body.figures;
    const progress = (await registry.http.get(`/campaigns/${campaign.id}`).set(county)).body.progress;
    expect(f.householdsInScope).toBe(progress.inScope);
    expect(f.householdsVerified).toBe(progress.verified);
    for (const kind of ['exit', 'member_change']) {
      const list = await registry.http
        .get(`/cases?kind=${kind}&status=OPEN&regionCode=${A.county}&pageSize=200`)
        .set(county);
      const ofYear = list.body.items.filter((c: { year: number }) => c.year === year).length;
      expect(f.open[kind] ?? 0).toBe(ofYear);
    }
    const problems = (await registry.http.get(`/campaigns/${campaign.id}/problems`).set(county)).body as {
      status: string;
    }[];
    expect(f.problems.found).toBe(problems.length);
    // Another county's officers: 403 for the problems and for their own village's sheets on this campaign (#22).
    const other = await registry.http.get(`/campaigns/${campaign.id}/problems`).set(await auth(users.countyB));
    expect([other.status, other.body.error?.code]).toEqual([403, 'OUTSIDE_JURISDICTION']);
    const sheets = await registry.http
      .get(`/campaigns/${campaign.id}/villages/${B.village}/sheets`)
      .set(await auth(users.townshipB));
    expect([sheets.status, sheets.body.error?.code]).toEqual([403, 'OUTSIDE_JURISDICTION']);
    expect(f.problems.fixed).toBe(problems.filter((p) => p.status === 'FIXED').length);
    expect(summary.body.townships.length).toBeGreaterThanOrEqual(1);

    const file = await registry.http
      .get(`/campaigns/${campaign.id}/summary.xlsx`)
      .set(county)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as never);
    const sheet = wb.worksheets[0];
    const cell = (label: string) => {
      let v: unknown;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === label) v = row.getCell(2).value;
      });
      return v;
    };
    expect(cell('已入户核查 (户)')).toBe(f.householdsVerified);
    expect(cell('核查范围内农户 (户)')).toBe(f.householdsInScope);
    expect(cell('脱贫退出 办理中 (件)')).toBe(f.open.exit ?? 0);
    expect(cell('清洗发现问题 (条)')).toBe(f.problems.found);
    expect(wb.worksheets.length).toBe(1 + summary.body.townships.length);
    const pdf = await registry.http.get(`/campaigns/${campaign.id}/summary.pdf`).set(county);
    expect(pdf.status).toBe(200);
  });

  it("cleaning finds the planted problems; the township fixes one and explains one; the county accepts the explanation; the province's list is routed", async () => {
    const { registry, auth, pg } = stack;
    const county = await auth(users.countyA);
    const township = await auth(users.townshipA);
    // A household without a helper, and one with two heads (planted in SQL: the API refuses a second head).
    const noHelper = await stack.exitEligibleHousehold(A.village, 2);
    const twoHeads = await stack.exitEligibleHousehold(A.village, 2);
    await pg.query(`UPDATE member SET relation = 'HEAD' WHERE household_id = $1`, [twoHeads.id]);
    const body = { countyCode: A.county, year, categories: ['poor'] };
    const open = (await registry.http.get('/campaigns').set(county)).body.find(
      (c: { status: string; year: number }) => c.status === 'OPEN' && c.year === year,
    );
    const campaignId = open ? open.id : (await registry.http.post('/campaigns').set(county).send(body)).body.id;

    expect((await registry.http.post(`/campaigns/${campaignId}/cleaning`).set(township)).status).toBe(403);
    // Not before the cleaning phase (next year's campaign is still at its deployment): nothing is found, nothing written.
    const tooEarly = await registry.http.post(`/campaigns/${campaignId}/cleaning`).set(county);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.code).toBe('NOT_IN_CLEANING');
    expect(
      Number((await pg.query(`SELECT count(*) FROM problem_item WHERE case_id = $1`, [campaignId])).rows[0].count),
    ).toBe(0);

    // Data entry closes: the workflow moves to the cleaning phase and runs the rules itself.
    const c = (await registry.http.get(`/campaigns/${campaignId}`).set(county)).body as {
      workflowId: string;
      calendar: { phase: string; endsAt: string }[];
    };
    const handle = env.client.workflow.getHandle(c.workflowId);
    const entryEnds = Date.parse(c.calendar.find((w) => w.phase === 'entry')!.endsAt);
    await skip(env, handle, Math.max(0, entryEnds + 3_600_000 - (await env.currentTimeMs())));
    for (
      let i = 0;
      i < 300 && (await registry.http.get(`/campaigns/${campaignId}`).set(county)).body.phase !== 'cleaning';
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    for (
      let i = 0;
      i < 300 &&
      (await pg.query(`SELECT 1 FROM audit WHERE case_id = $1 AND action = 'campaign.cleaning.run'`, [campaignId]))
        .rowCount === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const byRule = async (rule: string) =>
      Number(
        (await pg.query(`SELECT count(*) FROM problem_item WHERE case_id = $1 AND rule = $2`, [campaignId, rule]))
          .rows[0].count,
      );
    expect(await byRule('head_count')).toBeGreaterThanOrEqual(1);
    expect(await byRule('no_helper')).toBeGreaterThanOrEqual(2);
    // A run by the county now adds nothing: the items are on record.
    const rerun = await registry.http.post(`/campaigns/${campaignId}/cleaning`).set(county);
    expect(rerun.status).toBe(200);
    expect(Object.values(rerun.body.newItems).every((n) => n === 0)).toBe(true);

    // A verification after the entry deadline is refused with the date; the county's extension (audited) lets it in.
    const pending = (
      await pg.query(
        `SELECT household_id FROM task WHERE case_id = $1 AND status = 'OPEN' AND step = 'campaign.verification' LIMIT 1`,
        [campaignId],
      )
    ).rows[0].household_id as string;
    const village = await auth(users.villageA);
    const late = await registry.http
      .post(`/campaigns/${campaignId}/households/${pending}/verification`)
      .set(village)
      .send(verification(2000));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ENTRY_CLOSED');
    expect(late.body.error.message).toContain(`${year} 年度动态调整的数据录入已于 ${year}-11-20 截止`);
    expect(
      (
        await registry.http
          .put(`/campaigns/${campaignId}/entry-extension`)
          .set(township)
          .send({ until: cstDate(), reason: '补录' })
      ).status,
    ).toBe(403);
    const extended = await registry.http
      .put(`/campaigns/${campaignId}/entry-extension`)
      .set(county)
      .send({ until: cstDate(), reason: '暴雨阻断道路, 补录三户' });
    expect(extended.status).toBe(200);
    expect(
      (
        await registry.http
          .post(`/campaigns/${campaignId}/households/${pending}/verification`)
          .set(village)
          .send(verification(2000))
      ).status,
    ).toBe(201);
    expect(
      (
        await pg.query(
          `SELECT after->>'reason' AS reason FROM audit WHERE case_id = $1 AND action = 'campaign.entry_extended'`,
          [campaignId],
        )
      ).rows,
    ).toEqual([{ reason: '暴雨阻断道路, 补录三户' }]);

    // #24: a record made on a phone after the deadline is refused; one made before it and synced after is taken,
    // with both times audited. The entry window is moved to have closed an hour ago, no extension.
    await pg.query(
      `UPDATE "case" SET data = jsonb_set(data - 'entryExtendedUntil', '{calendar}', (
         SELECT jsonb_agg(CASE WHEN w->>'phase' = 'entry' THEN jsonb_set(w, '{endsAt}', to_jsonb($2::text)) ELSE w END)
         FROM jsonb_array_elements(data->'calendar') w)) WHERE id = $1`,
      [campaignId, new Date(Date.now() - 3_600_000).toISOString()],
    );
    // A household registered after the campaign started (its tasks open at the start): its task written here.
    const late24 = await stack.exitEligibleHousehold(A.village, 2);
    await pg.query(
      `INSERT INTO task (id, case_id, workflow_id, key, step, role, region_code, due_at, assignee_id, household_id)
       SELECT gen_random_uuid(), case_id, workflow_id, key || '/offline', step, role, region_code, due_at, assignee_id, $2
       FROM task WHERE case_id = $1 AND household_id = $3`,
      [campaignId, late24.id, pending],
    );
    const offline = (householdId: string, minutesAgo: number, key: string) =>
      registry.http
        .post(`/campaigns/${campaignId}/households/${householdId}/verification`)
        .set({ ...village, 'Idempotency-Key': key })
        .send({ ...verification(2000), recordedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() });
    const after = await offline(late24.id, 30, 'offline-after-1');
    expect([after.status, after.body.error.code]).toEqual([409, 'ENTRY_CLOSED']);
    const before = await offline(late24.id, 120, 'offline-before-1');
    expect(before.status).toBe(201);
    // The outbox sends it again (its answer was lost): the first answer, nothing recorded twice.
    const again = await offline(late24.id, 120, 'offline-before-1');
    expect(again.status).toBe(201);
    expect(again.body.verificationId).toBe(before.body.verificationId);
    const twice = await offline(late24.id, 120, 'offline-before-2');
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_VERIFIED']);
    const times = (
      await pg.query(
        `SELECT v.recorded_at < v.received_at - interval '100 minutes' AS kept, a.after->>'recordedAt' AS made,
                a.after->>'receivedAt' AS received
         FROM verification v JOIN audit a ON a.entity_id = v.id::text AND a.action = 'campaign.verified'
         WHERE v.id = $1`,
        [before.body.verificationId],
      )
    ).rows;
    expect(times).toHaveLength(1);
    expect(times[0].kept).toBe(true);
    expect(Date.parse(times[0].received) - Date.parse(times[0].made)).toBeGreaterThan(100 * 60_000);

    const items = (await registry.http.get(`/campaigns/${campaignId}/problems?status=OPEN`).set(township)).body as {
      id: string;
      householdId: string;
      rule: string;
      description: string;
      status: string;
    }[];
    const helperItem = items.find((i) => i.householdId === noHelper.id && i.rule === 'no_helper')!;
    const headItem = items.find((i) => i.householdId === twoHeads.id && i.rule === 'head_count')!;
    expect(headItem.description).toContain('户主 2 人');
    expect(JSON.stringify(items)).not.toContain(noHelper.headId);

    // Fixed: the rule still fails until the data changes; then the re-check closes the item.
    const early = await registry.http.post(`/campaigns/${campaignId}/problems/${helperItem.id}/recheck`).set(township);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('STILL_FAILS');
    expect(
      (await registry.http.put(`/households/${noHelper.id}/helper`).set(township).send({ helperId: users.helperA }))
        .status,
    ).toBe(200);
    const fixed = await registry.http.post(`/campaigns/${campaignId}/problems/${helperItem.id}/recheck`).set(township);
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe('FIXED');

    // Explained by the township, accepted by the county; each step audited.
    expect(
      (
        await registry.http
          .post(`/campaigns/${campaignId}/problems/${headItem.id}/explanation`)
          .set(township)
          .send({ explanation: '' })
      ).status,
    ).toBe(400);
    const explained = await registry.http
      .post(`/campaigns/${campaignId}/problems/${headItem.id}/explanation`)
      .set(township)
      .send({ explanation: '该户为兄弟二人共同立户, 待分户后更正' });
    expect(explained.body.status).toBe('EXPLAINED');
    expect(
      (
        await registry.http
          .post(`/campaigns/${campaignId}/problems/${headItem.id}/review`)
          .set(township)
          .send({ accept: true })
      ).status,
    ).toBe(403);
    const accepted = await registry.http
      .post(`/campaigns/${campaignId}/problems/${headItem.id}/review`)
      .set(county)
      .send({ accept: true, comment: '同意' });
    expect(accepted.body.status).toBe('ACCEPTED');
    const trail = await pg.query(`SELECT action FROM audit WHERE entity_id IN ($1, $2) ORDER BY at`, [
      helperItem.id,
      headItem.id,
    ]);
    expect(trail.rows.map((r) => r.action).sort()).toEqual(['problem.accepted', 'problem.explained', 'problem.fixed']);

    // The province's list, in the national system's layout: a known household is routed, an unknown one reported.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问题清单');
    ws.addRow(['户编号', '问题', '问题描述']);
    ws.addRow([twoHeads.number, '收入测算异常', '工资性收入与务工人数不匹配']);
    ws.addRow(['41159900100199999', '身份信息异常', '']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const province = await registry.http
      .post(`/campaigns/${campaignId}/province-problems`)
      .set(county)
      .attach('file', file, 'province.xlsx');
    expect(province.status).toBe(200);
    expect(province.body.imported).toBe(1);
    expect(province.body.errors).toEqual([{ row: 3, message: '户编号 41159900100199999 不是本县的户' }]);
    const routed = (await registry.http.get(`/campaigns/${campaignId}/problems?status=OPEN`).set(township)).body as {
      householdId: string;
      rule: string;
      ruleLabel: string;
    }[];
    expect(routed.find((i) => i.householdId === twoHeads.id && i.rule.startsWith('province:'))).toMatchObject({
      ruleLabel: '省级反馈问题',
    });
  });

  it("the county audit opens at the cleaning window's end with what remains listed; the county signs it; the summary is kept when the feedback window closes", async () => {
    const { registry, auth, pg } = stack;
    const county = await auth(users.countyA);
    const township = await auth(users.townshipA);
    const campaign = (await registry.http.get('/campaigns').set(county)).body.find(
      (c: { status: string; year: number }) => c.status === 'OPEN' && c.year === year,
    );
    const handle = env.client.workflow.getHandle(campaign.workflowId);
    const view = async () => (await registry.http.get(`/campaigns/${campaign.id}`).set(county)).body;
    const until = async (what: string, ok: (v: Record<string, any>) => boolean) => {
      for (let i = 0; i < 600; i++) {
        const v = await view();
        if (ok(v)) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`campaign never ${what}: ${JSON.stringify(await view()).slice(0, 400)}`);
    };
    const skipTo = async (at: number) => skip(env, handle, Math.max(0, at - (await env.currentTimeMs())));
    const calendar = (await view()).calendar as { phase: string; endsAt: string }[];
    const ends = (phase: string) => Date.parse(calendar.find((w) => w.phase === phase)!.endsAt);
    expect((await view()).audit).toBeNull();

    // The townships still owe items when the cleaning window closes: the audit opens with them listed.
    await skipTo(ends('cleaning') + 3_600_000);
    const atAudit = await until('reached the audit', (v) => v.phase === 'audit' && v.audit !== null);
    const owed = (
      (await registry.http.get(`/campaigns/${campaign.id}/problems`).set(county)).body as { status: string }[]
    ).filter((p) => p.status === 'OPEN' || p.status === 'REJECTED').length;
    expect(owed).toBeGreaterThan(0);
    expect(atAudit.audit.owed).toBe(owed);
    const perTownship = atAudit.problems.reduce(
      (n: number, t: { open: number; rejected: number }) => n + t.open + t.rejected,
      0,
    );
    expect(perTownship).toBe(owed);
    // The sign-off is the county's: in its inbox, refused to the township, a return needs its reason.
    const inbox = (await registry.http.get('/tasks?status=open&step=county.audit').set(county)).body.items as {
      id: string;
    }[];
    expect(inbox.map((t) => t.id)).toContain(atAudit.audit.taskId);
    expect(
      (
        await registry.http
          .post(`/tasks/${atAudit.audit.taskId}/decision`)
          .set(township)
          .send({ decision: 'approve', comment: '' })
      ).status,
    ).toBe(403);
    const noReason = await registry.http
      .post(`/tasks/${atAudit.audit.taskId}/decision`)
      .set(county)
      .send({ decision: 'return', comment: '' });
    expect(noReason.status).toBe(400);
    const signed = await registry.http
      .post(`/tasks/${atAudit.audit.taskId}/decision`)
      .set(county)
      .send({ decision: 'approve', comment: '审核通过, 遗留问题随省级反馈一并整改' });
    expect(signed.status).toBe(200);
    const afterAudit = await until('left the audit', (v) => v.phase === 'feedback');
    expect(afterAudit.audit).toBeNull();
    const trail = await pg.query(
      `SELECT actor_id, after->>'decision' AS decision FROM audit WHERE entity_id = $1 AND action = 'task.decided'`,
      [atAudit.audit.taskId],
    );
    expect(trail.rows).toEqual([{ actor_id: users.countyA, decision: 'approve' }]);

    // The province's feedback window closes: the year's figures are kept on the case, which completes.
    await skipTo(ends('feedback') + 3_600_000);
    const done = await until('completed', (v) => v.status === 'COMPLETED');
    expect(done.phase).toBe('finished');
    const kept = (await pg.query(`SELECT status, data->'summary' AS summary FROM "case" WHERE id = $1`, [campaign.id]))
      .rows[0];
    expect(kept.status).toBe('COMPLETED');
    const summary = (await registry.http.get(`/campaigns/${campaign.id}/summary`).set(county)).body;
    expect(summary.figures.householdsVerified).toBe(done.progress.verified);
    expect(kept.summary).toMatchObject({
      householdsInScope: summary.figures.householdsInScope,
      householdsVerified: summary.figures.householdsVerified,
      problems: summary.figures.problems,
    });
  });
});
