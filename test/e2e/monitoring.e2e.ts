import { Client, Connection } from '@temporalio/client';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { followUpStateQuery, TaskQueues } from '@jingzhun/contracts';
import { uuidv7 } from '@jingzhun/platform';
import { A, B, users } from '../support/fixtures';
import { ownTemporal, testEngines } from '../support/engines';
import { nextIdNumber } from '../support/id-numbers';
import { waitUntil } from '../support/nats';
import { procedureStack } from '../support/procedure-stack';
import { startMonitoring, type RunningService } from '../support/services';
import { cstDate, cstYear } from '@jingzhun/domain';

jest.setTimeout(180_000);

/**
 * Department alerts through the real monitoring service, registry, NATS and Temporal dev server:
 * HTTP and NATS intake, keyed-hash matching, rules, triage that starts monitoring inclusion,
 * unmatched alerts kept for the county, and the monthly scan workflow.
 */
describe('monitoring: department alerts, triage and the monthly scan', () => {
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let monitoring: RunningService;
  let temporal: Client;
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  const tokenOf = async (u: string) => ({ authorization: `Bearer ${await stack.registry.token(u)}` });

  beforeAll(async () => {
    server = await ownTemporal();
    stack = await procedureStack('monitoring', server.address);
    monitoring = await startMonitoring(stack.db.url, {
      REGISTRY_URL: stack.registry.baseUrl,
      TEMPORAL_ADDRESS: server.address,
    });
    temporal = new Client({ connection: await Connection.connect({ address: server.address }) });
  });
  afterAll(async () => {
    await monitoring?.close();
    await stack?.close();
    await temporal?.connection.close();
    await server?.stop();
  });

  /** An EXITED household with 3 members and 10 000 yuan per head this year. */
  async function exitedHousehold(perHeadWage = 30000) {
    const ids = [nextIdNumber(), nextIdNumber(), nextIdNumber()];
    const res = await stack.registry.http
      .post('/households')
      .set(await tokenOf(users.countyA))
      .send({
        villageCode: A.village,
        status: 'EXITED',
        identifiedYear: 2016,
        exitYear: 2024,
        mainCause: 'ILLNESS',
        members: ids.map((idNumber, i) => ({ name: `成员${i}`, idNumber, relation: i === 0 ? 'HEAD' : 'SON' })),
      });
    expect(res.status).toBe(201);
    await stack.registry.http
      .post(`/households/${res.body.id}/assessments`)
      .set(await tokenOf(users.countyA))
      .send({
        year: cstYear(),
        assessedOn: cstDate(),
        wageIncome: perHeadWage,
        businessIncome: 0,
        propertyIncome: 0,
        transferIncome: 0,
        productionCosts: 0,
        food: true,
        clothing: true,
        education: true,
        medical: true,
        housing: true,
        water: true,
      });
    return { id: res.body.id as string, number: res.body.number as string, ids };
  }

  async function alertWhen(user: string, externalId: string, status: string) {
    let found: any = null;
    await waitUntil(
      `alert ${externalId} ${status}`,
      async () => {
        const r = await monitoring.http.get('/alerts').set(await tokenOf(user));
        found =
          r.body.items?.find(
            (a: { externalId: string; status: string }) => a.externalId === externalId && a.status === status,
          ) ?? null;
        return found !== null;
      },
      60_000,
    );
    return found;
  }

  it('an HTTP alert for a registered member is matched by hash, deduplicated, triaged, and its confirmation starts monitoring inclusion', async () => {
    const h = await exitedHousehold();
    const body = {
      externalId: `dis-${uuidv7()}`,
      kind: 'disability',
      idNumber: h.ids[1],
      occurredAt: new Date().toISOString(),
      details: { grade: 2 },
    };
    const first = await monitoring.http
      .post('/alerts')
      .set(await tokenOf(users.medicalA))
      .send(body);
    expect(first.status).toBe(202);
    const again = await monitoring.http
      .post('/alerts')
      .set(await tokenOf(users.medicalA))
      .send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });

    const alert = await alertWhen(users.townshipA, body.externalId, 'MATCHED');
    expect(alert.householdNumber).toBe(h.number);
    expect(alert.idMasked).toBe(`${h.ids[1].slice(0, 6)}********${h.ids[1].slice(14)}`);
    expect(alert.ruleHits.map((x: { code: string }) => x.code)).toEqual(['alert_kind']);
    // The ID number is nowhere in the monitoring schema, its outbox or its audit.
    const { rows } = await stack.pg.query(
      `SELECT (SELECT string_agg(a::text, '') FROM monitoring.alert a) || (SELECT coalesce(string_agg(o::text, ''), '') FROM monitoring.outbox o) || (SELECT string_agg(x::text, '') FROM monitoring.audit x) AS t`,
    );
    expect(rows[0].t).not.toContain(h.ids[1]);

    // Another township cannot triage it; the village cannot list alerts at all.
    expect(
      (
        await monitoring.http
          .post(`/alerts/${alert.id}/triage`)
          .set(await tokenOf(users.townshipAOther))
          .send({ decision: 'confirm', comment: '确认' })
      ).status,
    ).toBe(403);
    expect((await monitoring.http.get('/alerts').set(await tokenOf(users.villageA))).status).toBe(403);
    const noComment = await monitoring.http
      .post(`/alerts/${alert.id}/triage`)
      .set(await tokenOf(users.townshipA))
      .send({ decision: 'confirm' });
    expect(noComment.status).toBe(400);
    expect(JSON.stringify(noComment.body.error)).toContain('comment');

    const confirmed = await monitoring.http
      .post(`/alerts/${alert.id}/triage`)
      .set(await tokenOf(users.townshipA))
      .send({ decision: 'confirm', comment: '残疾致困风险, 纳入监测程序' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('CONFIRMED');
    const caseId = confirmed.body.triage.caseId;
    const c = await stack.registry.http.get(`/cases/${caseId}`).set(await tokenOf(users.townshipA));
    expect(c.body.kind).toBe('monitoring_inclusion');
    expect(c.body.openedBy).toBe(users.townshipA);
    const homeCheck = await stack.inboxTask(users.villageA, 'village.home_check', caseId);
    // The signed authorisation is the workflow validator's rule; its refusal is a 400 naming the field.
    const unsigned = await stack.registry.http
      .post(`/tasks/${homeCheck.id}/decision`)
      .set(await tokenOf(users.villageA))
      .send({ decision: 'approve', comment: '入户核查', data: {} });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.details.issues[0].path).toBe('data.authorisationSigned');
    expect(
      (
        await monitoring.http
          .post(`/alerts/${alert.id}/triage`)
          .set(await tokenOf(users.townshipA))
          .send({ decision: 'dismiss', comment: '再研判' })
      ).status,
    ).toBe(409);
  });

  it("a county's department naming a resident of another county over HTTP is refused once matched, not triaged there (#22)", async () => {
    const idNumber = nextIdNumber('522699');
    const other = await stack.registry.http
      .post('/households')
      .set(await tokenOf(users.countyB))
      .send({
        villageCode: B.village,
        status: 'EXITED',
        identifiedYear: 2016,
        exitYear: 2024,
        mainCause: 'ILLNESS',
        members: [{ name: '外县居民', idNumber, relation: 'HEAD' }],
      });
    expect(other.status).toBe(201);
    const body = { externalId: `xc-${uuidv7()}`, kind: 'disability', idNumber, occurredAt: new Date().toISOString() };
    expect(
      (
        await monitoring.http
          .post('/alerts')
          .set(await tokenOf(users.medicalA))
          .send(body)
      ).status,
    ).toBe(202);
    const refused = await alertWhen(users.countyA, body.externalId, 'REFUSED');
    expect(refused).toMatchObject({ risky: false, householdNumber: null, regionCode: A.county });
    // Nothing reaches the other county's triage.
    const theirs = await monitoring.http.get('/alerts').set(await tokenOf(users.countyB));
    expect(theirs.body.items.some((a: { externalId: string }) => a.externalId === body.externalId)).toBe(false);
  });

  it('an alert published on NATS is matched and evaluated by the rules (medical out-of-pocket above half the income)', async () => {
    const h = await exitedHousehold();
    const nc = await connect({ servers: testEngines.natsUrl });
    const id = uuidv7();
    const data = {
      externalId: `med-${id}`,
      kind: 'medical_expense',
      idNumber: h.ids[2],
      amount: 50_000,
      occurredAt: new Date().toISOString(),
    };
    await jetstream(nc).publish(
      'alerts.medical.medical_expense',
      JSON.stringify({
        id,
        subject: 'alerts.medical.medical_expense',
        occurredAt: new Date().toISOString(),
        source: 'medical-bureau',
        data,
      }),
      { msgID: id },
    );
    await nc.close();
    const alert = await alertWhen(users.countyA, data.externalId, 'MATCHED');
    expect(alert.receivedVia).toBe('nats');
    expect(alert.ruleHits.map((x: { code: string }) => x.code)).toEqual(['medical_share']);
    const dismissed = await monitoring.http
      .post(`/alerts/${alert.id}/triage`)
      .set(await tokenOf(users.countyA))
      .send({ decision: 'dismiss', comment: '已报销, 无返贫风险' });
    expect(dismissed.body.status).toBe('DISMISSED');
  });

  it('an unmatched alert is kept and visible to the county; bad alerts get a 400 naming the field', async () => {
    const stranger = nextIdNumber();
    const body = {
      externalId: `un-${uuidv7()}`,
      kind: 'unemployment',
      idNumber: stranger,
      occurredAt: new Date().toISOString(),
    };
    expect(
      (
        await monitoring.http
          .post('/alerts')
          .set(await tokenOf(users.medicalA))
          .send(body)
      ).status,
    ).toBe(202);
    const alert = await alertWhen(users.countyA, body.externalId, 'UNMATCHED');
    expect(alert.regionCode).toBe(A.county);
    const confirm = await monitoring.http
      .post(`/alerts/${alert.id}/triage`)
      .set(await tokenOf(users.countyA))
      .send({ decision: 'confirm', comment: '纳入' });
    expect(confirm.status).toBe(409);
    expect(confirm.body.error.code).toBe('NO_HOUSEHOLD');

    const bad = await monitoring.http
      .post('/alerts')
      .set(await tokenOf(users.medicalA))
      .send({ ...body, externalId: 'bad-1', idNumber: '411599199001011234' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('idNumber');
    const none = await monitoring.http
      .post('/alerts')
      .set(await tokenOf(users.medicalA))
      .send({ externalId: 'bad-2', kind: 'disaster', occurredAt: new Date().toISOString() });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body.error)).toContain('idNumber');
    expect(
      (
        await monitoring.http
          .post('/alerts')
          .set(await tokenOf(users.villageA))
          .send(body)
      ).status,
    ).toBe(403);
    const { rows } = await stack.pg.query(
      `SELECT count(*)::int AS n FROM monitoring.alert WHERE external_id LIKE 'bad-%'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('risk elimination is refused before 6 months of monitoring and for a household without labour capacity; inclusion is refused for a POOR household', async () => {
    const ids = [nextIdNumber(), nextIdNumber()];
    const res = await stack.registry.http
      .post('/households')
      .set(await tokenOf(users.countyA))
      .send({
        villageCode: A.village,
        status: 'MONITORED',
        monitoringType: 'MARGINAL',
        monitoredSince: new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10),
        mainCause: 'ILLNESS',
        members: ids.map((idNumber, i) => ({
          name: `监测${i}`,
          idNumber,
          relation: i === 0 ? 'HEAD' : 'SPOUSE',
          labourCapacity: 'NONE',
        })),
      });
    expect(res.status).toBe(201);
    expect(res.body.monitoredSince).toBe(new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10));
    // Registered without its start date: the refusal says the date is missing, not "under 6 months".
    const undated = await stack.registry.http
      .post('/households')
      .set(await tokenOf(users.countyA))
      .send({
        villageCode: A.village,
        status: 'MONITORED',
        monitoringType: 'MARGINAL',
        mainCause: 'ILLNESS',
        members: [{ name: '无日期', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    expect(undated.status).toBe(400);
    expect(JSON.stringify(undated.body.error.details)).toContain('monitoredSince');
    const early = await stack.registry.http
      .post('/cases')
      .set(await tokenOf(users.villageA))
      .send({ kind: 'risk_elimination', householdId: res.body.id, reason: '收入稳定' });
    expect(early.status).toBe(409);
    expect(early.body.error.details.obstacles).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^纳入监测未满 6 个月 \(自 \d{4}-\d{2}-\d{2} 起\)$/),
        '无劳动能力户不进行风险消除, 继续监测帮扶',
      ]),
    );
    // A record from before the system, with no start date: the refusal names the missing date and how to fix it.
    await stack.pg.query(`UPDATE household SET monitored_since = NULL WHERE id = $1`, [res.body.id]);
    const undatedRefusal = await stack.registry.http
      .post('/cases')
      .set(await tokenOf(users.villageA))
      .send({ kind: 'risk_elimination', householdId: res.body.id, reason: '收入稳定' });
    expect(undatedRefusal.body.error.details.obstacles[0]).toContain('纳入监测时间未登记');
    // Only the county corrects the date, and says why (audited); a village cadre cannot back-date it.
    const byVillage = await stack.registry.http
      .patch(`/households/${res.body.id}`)
      .set(await tokenOf(users.villageA))
      .send({ monitoredSince: '2024-01-15', reason: '补录' });
    expect(byVillage.status).toBe(403);
    const noReason = await stack.registry.http
      .patch(`/households/${res.body.id}`)
      .set(await tokenOf(users.countyA))
      .send({ monitoredSince: '2024-01-15' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.issues[0].path).toBe('reason');
    const fixed = await stack.registry.http
      .patch(`/households/${res.body.id}`)
      .set(await tokenOf(users.countyA))
      .send({ monitoredSince: '2024-01-15', reason: '2024 年纸质监测台账补录' });
    expect(fixed.status).toBe(200);
    const audit = await stack.pg.query(
      `SELECT actor_role, after FROM audit WHERE entity_id = $1 AND action = 'household.changed'`,
      [res.body.id],
    );
    expect(audit.rows.at(-1)).toMatchObject({
      actor_role: 'county',
      after: { monitoredSince: '2024-01-15', reason: '2024 年纸质监测台账补录' },
    });
    const dated = await stack.registry.http
      .post('/cases')
      .set(await tokenOf(users.villageA))
      .send({ kind: 'risk_elimination', householdId: res.body.id, reason: '收入稳定' });
    expect(dated.body.error.details.obstacles.join()).not.toContain('纳入监测未满 6 个月');
    const poor = await stack.exitEligibleHousehold();
    const inclusion = await stack.registry.http
      .post('/cases')
      .set(await tokenOf(users.villageA))
      .send({
        kind: 'monitoring_inclusion',
        householdId: poor.id,
        reason: '自主申报',
        data: { trigger: 'self_report' },
      });
    expect(inclusion.status).toBe(409);
    expect(inclusion.body.error.details.obstacles).toEqual(['未脱贫户已在帮扶中, 不纳入防返贫监测']);
    const noTrigger = await stack.registry.http
      .post('/cases')
      .set(await tokenOf(users.villageA))
      .send({ kind: 'monitoring_inclusion', householdId: poor.id, reason: '自主申报' });
    expect(noTrigger.status).toBe(400);
    expect(JSON.stringify(noTrigger.body.error)).toContain('trigger');
  });

  it('the coverage sweep starts a follow-up for every exited-in-transition or monitored household without one, once', async () => {
    const h = await exitedHousehold();
    const { FollowUpCoverage } = await import('../../apps/registry/src/follow-ups/follow-up-coverage');
    const coverage = stack.registry.app.get(FollowUpCoverage);
    const first = await coverage.sweep();
    expect(first.failed).toBe(0);
    expect(first.started).toBeGreaterThanOrEqual(1);
    const r = await stack.registry.http.get(`/households/${h.id}/follow-up`).set(await tokenOf(users.villageA));
    expect(r.body.followUp.workflowId).toMatch(new RegExp(`^follow_up/${h.id}/`));
    const again = await coverage.sweep();
    expect(again.missing).toBe(0);
    // The county sets a monthly cadence from the next cycle; a malformed one is a 400 naming the field.
    const bad = await stack.registry.http
      .put(`/households/${h.id}/follow-up/cadence`)
      .set(await tokenOf(users.countyA))
      .send({ cadence: 'monthly', reason: '家庭变故' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('cadence');
    expect(
      (
        await stack.registry.http
          .put(`/households/${h.id}/follow-up/cadence`)
          .set(await tokenOf(users.villageA))
          .send({ cadence: 'P1M', reason: 'x' })
      ).status,
    ).toBe(403);
    const ok = await stack.registry.http
      .put(`/households/${h.id}/follow-up/cadence`)
      .set(await tokenOf(users.countyA))
      .send({ cadence: 'P1M', reason: '家庭变故, 加密回访' });
    expect(ok.status).toBe(200);
    await waitUntil('the cadence signal', async () => {
      const s = await temporal.workflow.getHandle(ok.body.workflowId).query(followUpStateQuery);
      return s.nextCadence === 'P1M';
    });
  });

  it('the monthly scan flags households below the monitoring line once per month, and runs as a Temporal Schedule', async () => {
    const poor = await exitedHousehold(6000); // 6 000 per head < 7 800
    const fine = await exitedHousehold(30000);
    const run = (n: number) =>
      temporal.workflow.execute('riskScanWorkflow', {
        taskQueue: TaskQueues.processes,
        workflowId: `scan-test-${n}-${uuidv7()}`,
        args: [{ pageSize: 2 }],
      });
    const first = await run(1);
    expect(first.scanned).toBeGreaterThanOrEqual(2);
    const { rows } = await stack.pg.query(
      `SELECT household_id, rule_hits FROM monitoring.alert WHERE department = 'scan'`,
    );
    const flagged = rows.map((r) => r.household_id);
    expect(flagged).toContain(poor.id);
    expect(flagged).not.toContain(fine.id);
    expect(rows.find((r) => r.household_id === poor.id).rule_hits[0].code).toBe('income_below_line');
    const second = await run(2);
    expect(second.flagged).toBe(0);
    const schedule = await temporal.schedule.getHandle('monitoring-monthly-scan').describe();
    expect(schedule.action.type).toBe('startWorkflow');
  });
});
