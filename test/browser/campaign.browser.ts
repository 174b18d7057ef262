import { users } from '../support/fixtures';
import { accessibilityProblems, overflowing, screenshot } from '../support/browser';
import { consoleSuite } from '../support/console-stack';
import { skip } from '../support/workflow-env';

jest.setTimeout(240_000);

/**
 * 年度动态调整 through the console: the county previews the scope and starts the campaign; a village
 * cadre, on a phone, opens the verification from the inbox and records the head's death naming the
 * new head, which opens one member-change case (announced, the son is head); then, the calendar's
 * months skipped on Temporal's time-skipping server, cleaning in its phase, a township's explanation
 * the county accepts, and the county's audit. Next year's campaign, so its
 * calendar lies ahead whatever today is.
 */
describe('console: the annual adjustment campaign', () => {
  const stack = consoleSuite({ timeSkipping: true });
  const year = new Date().getUTCFullYear() + 1;

  it("the county previews and starts the campaign; a cadre on a phone records the head's death and names the new head; the member change makes the son head; cleaning in its phase; the county audit completes", async () => {
    const household = await stack.exitEligibleHousehold();
    // A second household, in the care of a helper: the campaign's verification is the helper's to do.
    const helped = await stack.exitEligibleHousehold();
    expect(
      (
        await stack.registry.http
          .put(`/households/${helped.id}/helper`)
          .set(await stack.auth(users.villageA))
          .send({ helperId: users.helperA })
      ).status,
    ).toBe(200);
    const county = await stack.signedIn(users.countyA);
    await county.goto(`${stack.consoleUrl}/campaigns`);
    await county.getByText('尚未发起年度动态调整').waitFor();
    await county.getByLabel('年度').fill(String(year));
    await county.getByTestId('preview').click();
    const scope = county.getByTestId('scope');
    await scope.waitFor();
    const api = await stack.registry.http
      .post('/campaigns/preview')
      .set(await stack.auth(users.countyA))
      .send({ countyCode: '411599000000', year, categories: ['poor', 'exited', 'monitored'] });
    await scope.getByText(`确认发起 (${api.body.households} 户)`).waitFor();
    await screenshot(county, 'campaign-preview');
    expect(await accessibilityProblems(county)).toEqual([]);
    await county.getByTestId('start-campaign').click();
    await county.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = county.url().split('/campaigns/')[1];
    await county.getByText(`${year} 年度动态调整`).waitFor();
    await county.getByTestId('verified').waitFor();

    // The village cadre, at phone width: the verification is in the inbox, the form fits the screen.
    const village = await stack.signedIn(users.villageA, { width: 390, height: 844 });
    let listed = false;
    for (let i = 0; i < 60 && !listed; i++) {
      const inbox = await stack.registry.http
        .get('/tasks?status=open&step=campaign.verification&pageSize=200')
        .set(await stack.auth(users.villageA));
      listed = inbox.body.items.some((t: { householdId: string }) => t.householdId === household.id);
      if (!listed) await new Promise((r) => setTimeout(r, 250));
    }
    expect(listed).toBe(true);
    await village.goto(`${stack.consoleUrl}/inbox?step=campaign.verification`);
    // On a phone the inbox is cards: the household, the step, the deadline and one action, nothing off-screen.
    const card = village.getByTestId('task-card').filter({ hasText: household.number });
    await card.waitFor();
    expect(await overflowing(village, 390)).toEqual([]);
    const action = await card.getByRole('button', { name: '办理' }).boundingBox();
    expect(action!.x + action!.width).toBeLessThanOrEqual(390);
    await screenshot(village, 'inbox-phone');
    await card.getByRole('button', { name: '办理' }).click();
    await village.waitForURL(new RegExp(`/campaigns/${campaignId}/households/${household.id}/verify$`));
    await village.getByText(`逐户核查: ${household.number}`).waitFor();
    // The head has died: the form asks for the new head from those who stay, in the same record.
    await village.getByLabel('退出户主 减少原因').click();
    await village.locator('.ant-select-item-option', { hasText: '死亡' }).click();
    await village.getByLabel('新户主').click();
    await village.locator('.ant-select-item-option', { hasText: '成员1' }).click();
    await village.getByLabel('核查人一').fill('张建国');
    await village.getByLabel('核查人二').fill('李秀英');
    await village.getByText('核查结果已向农户宣读, 农户确认无误').click();
    await screenshot(village, 'campaign-verify-phone');
    expect(await accessibilityProblems(village)).toEqual([]);
    expect(await village.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await village.getByTestId('save-verification').click();
    await village.getByTestId('verified').waitFor();
    await village.getByTestId('finding').filter({ hasText: '成员变更' }).waitFor();

    // The helper, on a phone: finds the household by the head's name in 我的帮扶, then records its 逐户核查 from the task's own form.
    for (let i = 0; i < 60; i++) {
      const inbox = await stack.registry.http
        .get('/tasks?status=open&step=campaign.verification')
        .set(await stack.auth(users.helperA));
      if (inbox.body.items.some((t: { householdId: string }) => t.householdId === helped.id)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const helper = await stack.signedIn(users.helperA, { width: 390, height: 844 });
    await helper.waitForURL(/\/helper$/);
    await helper.getByText('我的帮扶户').click();
    await helper.getByLabel('按户主姓名或户编号查找').fill('退出户主');
    await helper.getByRole('button', { name: '查找' }).click();
    await helper.getByTestId('helper-household').filter({ hasText: helped.number }).waitFor();
    expect(await helper.getByTestId('helper-household').count()).toBe(1);
    await screenshot(helper, 'helper-search-phone');
    expect(await accessibilityProblems(helper)).toEqual([]);
    await helper.getByText(/^待办 \(/).click();
    const owed = helper.getByTestId('revisit-card').filter({ hasText: helped.number });
    await owed.getByText('逐户核查').first().waitFor();
    await owed.getByRole('button', { name: '逐户核查' }).click();
    await helper.waitForURL(new RegExp(`/campaigns/${campaignId}/households/${helped.id}/verify$`));
    // The visitor signed in is the first of the two, already filled in.
    await helper.getByText(`逐户核查: ${helped.number}`).waitFor();
    expect(await helper.getByLabel('核查人一').inputValue()).toBe(users.helperA);
    await helper.getByLabel('核查人二').fill('李秀英');
    await helper.getByText('核查结果已向农户宣读, 农户确认无误').click();
    await helper.getByTestId('save-verification').click();
    await helper.getByTestId('verified').waitFor();

    // The member change is a case of its own, opened in the cadre's name, and the campaign counts it.
    const cases = (
      await stack.registry.http
        .get(`/cases?kind=member_change&regionCode=${'411599001001'}`)
        .set(await stack.auth(users.countyA))
    ).body.items as { id: string; householdId: string; status: string }[];
    const change = cases.filter((c) => c.householdId === household.id && c.status === 'OPEN');
    expect(change).toHaveLength(1);
    // The village verifies it and the township approves it (as their inboxes would): the son is head, the household one smaller.
    for (const [user, step] of [
      [users.villageA, 'village.verification'],
      [users.townshipA, 'township.approval'],
    ] as const) {
      const t = await stack.inboxTask(user, step, change[0].id);
      expect(
        (
          await stack.registry.http
            .post(`/tasks/${t.id}/decision`)
            .set(await stack.auth(user))
            .send({ decision: 'approve', comment: '属实' })
        ).status,
      ).toBe(200);
    }
    await village.goto(`${stack.consoleUrl}/households/${household.id}`);
    await village.getByText(`${household.number} 成员1`).first().waitFor();
    const after = (await stack.registry.http.get(`/households/${household.id}`).set(await stack.auth(users.countyA)))
      .body;
    expect(after).toMatchObject({ headName: '成员1', memberCount: 2 });
    await county.reload();
    await county.getByTestId('verified').getByText('2').first().waitFor();
    await screenshot(county, 'campaign');

    // Data entry closes (the months between skipped on the test server): the workflow runs the cleaning rules in their phase.
    const env = stack.timeSkipping!;
    const campaign = (await stack.registry.http.get(`/campaigns/${campaignId}`).set(await stack.auth(users.countyA)))
      .body as { workflowId: string; calendar: { phase: string; endsAt: string }[] };
    const handle = env.client.workflow.getHandle(campaign.workflowId);
    const entryEnds = Date.parse(campaign.calendar.find((w) => w.phase === 'entry')!.endsAt);
    await skip(env, handle, entryEnds + 3_600_000 - (await env.currentTimeMs()));
    let cleaned = false;
    for (let i = 0; i < 300 && !cleaned; i++) {
      cleaned = (
        await stack.registry.http.get(`/campaigns/${campaignId}/problems`).set(await stack.auth(users.countyA))
      ).body.some((p: { householdId: string }) => p.householdId === household.id);
      if (!cleaned) await new Promise((r) => setTimeout(r, 200));
    }
    expect(cleaned).toBe(true);

    // 数据清洗: the county runs the rules again (nothing new); the township explains an item; the county accepts it.
    await county.getByTestId('problems').click();
    await county.waitForURL(/\/problems$/);
    await county.getByTestId('run-cleaning').click();
    await county.getByText('清洗规则已运行').waitFor();
    const township = await stack.signedIn(users.townshipA);
    await township.goto(`${stack.consoleUrl}/campaigns/${campaignId}/problems`);
    const row = township.locator('tr', { hasText: household.number }).filter({ hasText: '未落实帮扶责任人' });
    await row.waitFor();
    // Filtered by rule: only that rule's items are left, each with its village by name.
    await township.getByLabel('按规则筛选').click();
    await township
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: '未落实帮扶责任人',
      })
      .click();
    let shownRows: string[] = [];
    for (let i = 0; i < 50; i++) {
      shownRows = await township.locator('tbody tr.ant-table-row').allInnerTexts();
      if (shownRows.length > 0 && shownRows.every((r) => r.includes('未落实帮扶责任人'))) break;
      await township.waitForTimeout(100);
    }
    expect(shownRows.length).toBeGreaterThan(0);
    expect(shownRows.every((r) => r.includes('未落实帮扶责任人') && r.includes('东坪村'))).toBe(true);
    await screenshot(township, 'campaign-problems');
    expect(await accessibilityProblems(township)).toEqual([]);
    await row.getByTestId('explain').click();
    await township.getByRole('textbox', { name: '情况说明' }).fill('该户帮扶责任人已于本月调整, 待系统同步');
    await township.getByRole('dialog').getByRole('button', { name: '提交' }).click();
    await township.getByText('情况说明已提交').waitFor();
    await county.reload();
    await county.locator('tr', { hasText: household.number }).getByTestId('accept').click();
    await county.getByText('已审核').waitFor();
    const items = (
      await stack.registry.http
        .get(`/campaigns/${campaignId}/problems?status=ACCEPTED`)
        .set(await stack.auth(users.countyA))
    ).body as { householdId: string; rule: string }[];
    expect(items.filter((i) => i.householdId === household.id)).toEqual([
      expect.objectContaining({ rule: 'no_helper' }),
    ]);
    // The head's death left two people on the same income: above 3× the line, the rule flags it; the township explains it too.
    const rest = (
      await stack.registry.http
        .get(`/campaigns/${campaignId}/problems?status=OPEN`)
        .set(await stack.auth(users.countyA))
    ).body as { id: string; householdId: string; rule: string }[];
    expect(rest.filter((i) => i.householdId === household.id).map((i) => i.rule)).toEqual(['poor_income_high']);
    for (const item of rest) {
      expect(
        (
          await stack.registry.http
            .post(`/campaigns/${campaignId}/problems/${item.id}/explanation`)
            .set(await stack.auth(users.townshipA))
            .send({ explanation: '户主去世, 收入待下年度重新核算' })
        ).status,
      ).toBe(200);
      expect(
        (
          await stack.registry.http
            .post(`/campaigns/${campaignId}/problems/${item.id}/review`)
            .set(await stack.auth(users.countyA))
            .send({ accept: true, comment: '同意' })
        ).status,
      ).toBe(200);
    }

    // The progress page charts the case the verification opened.
    await county.goto(`${stack.consoleUrl}/campaigns/${campaignId}`);
    await county.getByRole('img', { name: '核查转入的程序, 按种类和状态' }).waitFor();
    await county.getByRole('img', { name: '各乡镇数据清洗问题, 待整改与已关闭' }).waitFor();

    // 县级审核: every item explained and accepted, the audit opens at the workflow's next daily look (a day skipped), before the cleaning window's end.
    await skip(env, handle, 86_400_000 + 60_000);
    let auditOpen = false;
    for (let i = 0; i < 300 && !auditOpen; i++) {
      const inbox = await stack.registry.http
        .get('/tasks?status=open&step=county.audit')
        .set(await stack.auth(users.countyA));
      auditOpen = inbox.body.items.some((t: { caseId: string }) => t.caseId === campaignId);
      if (!auditOpen) await new Promise((r) => setTimeout(r, 200));
    }
    if (!auditOpen) {
      const problems = (
        await stack.registry.http.get(`/campaigns/${campaignId}/problems`).set(await stack.auth(users.countyA))
      ).body;
      const view = (await stack.registry.http.get(`/campaigns/${campaignId}`).set(await stack.auth(users.countyA)))
        .body;
      throw new Error(
        `no audit: phase ${view.phase}, problems ${JSON.stringify(problems.map((p: { rule: string; status: string; description: string }) => [p.rule, p.status, p.description]))}`,
      );
    }
    await county.goto(`${stack.consoleUrl}/inbox?step=county.audit`);
    await county.locator('tr', { hasText: '县级审核' }).getByRole('button', { name: '办理' }).click();
    await county.waitForURL(new RegExp(`/campaigns/${campaignId}$`));
    const audit = county.getByTestId('audit');
    await audit.getByText('各乡镇问题均已整改或说明, 可进行县级审核').waitFor();
    await audit.getByText(`县级审核 (至 ${year}年11月25日)`).waitFor();
    await screenshot(county, 'campaign-audit');
    expect(await accessibilityProblems(county)).toEqual([]);
    // A return needs its reason; the approval moves the campaign on to the province's feedback.
    await audit.getByTestId('return-audit').click();
    await audit.getByText('退回乡镇整改时请填写意见').waitFor();
    await audit.getByRole('textbox', { name: '审核意见' }).fill('审核通过, 遗留问题随省级反馈一并整改');
    await audit.getByTestId('approve-audit').click();
    await county.getByText('县级审核已完成, 进入省级反馈整改').waitFor();
    let phase = '';
    for (let i = 0; i < 100 && phase !== 'feedback'; i++) {
      phase = (await stack.registry.http.get(`/campaigns/${campaignId}`).set(await stack.auth(users.countyA))).body
        .phase;
      if (phase !== 'feedback') await new Promise((r) => setTimeout(r, 100));
    }
    expect(phase).toBe('feedback');
    await county.reload();
    await county.locator('.ant-steps-item-process', { hasText: '省级反馈整改' }).waitFor();
    expect(await county.getByTestId('audit').count()).toBe(0);
  });
});
