import { users } from '../support/fixtures';
import { accessibilityProblems, screenshot } from '../support/browser';
import { consoleSuite } from '../support/console-stack';
import { skip } from '../support/workflow-env';

jest.setTimeout(240_000);

/**
 * 年度动态调整 through the console: the county previews the scope and starts the campaign; a village
 * cadre, on a phone, opens the verification from the inbox and records a member's death, which opens
 * a member-change case; cleaning, a township's explanation the county accepts; then, the calendar's
 * months skipped on Temporal's time-skipping server, the county's audit. Next year's campaign, so its
 * calendar lies ahead whatever today is.
 */
describe('console: the annual adjustment campaign', () => {
  const stack = consoleSuite({ timeSkipping: true });
  const year = new Date().getUTCFullYear() + 1;

  it('the county previews and starts the campaign; a cadre on a phone records a verification whose finding opens a member change; cleaning; the county audit completes', async () => {
    const household = await stack.exitEligibleHousehold();
    const county = await stack.signedIn(users.countyA);
    await county.goto(`${stack.consoleUrl}/campaigns`);
    await county.getByText('尚未发起年度动态调整').waitFor();
    await county.getByLabel('年度').fill(String(year));
    await county.getByTestId('preview').click();
    const scope = county.getByTestId('scope');
    await scope.waitFor();
    const api = await stack.registry.http.post('/campaigns/preview').set(await stack.auth(users.countyA)).send({ countyCode: '411599000000', year, categories: ['poor', 'exited', 'monitored'] });
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
      const inbox = await stack.registry.http.get('/tasks?status=open&step=campaign.verification&pageSize=200').set(await stack.auth(users.villageA));
      listed = inbox.body.items.some((t: { householdId: string }) => t.householdId === household.id);
      if (!listed) await new Promise((r) => setTimeout(r, 250));
    }
    expect(listed).toBe(true);
    await village.goto(`${stack.consoleUrl}/inbox?step=campaign.verification`);
    await village.locator('tr', { hasText: household.number }).getByRole('button', { name: '办理' }).click();
    await village.waitForURL(new RegExp(`/campaigns/${campaignId}/households/${household.id}/verify$`));
    await village.getByText(`逐户核查: ${household.number}`).waitFor();
    await village.getByLabel('成员1 减少原因').click();
    await village.locator('.ant-select-item-option', { hasText: '死亡' }).click();
    await village.getByLabel('核查人一').fill('张建国');
    await village.getByLabel('核查人二').fill('李秀英');
    await village.getByText('核查结果已向农户宣读, 农户确认无误').click();
    await screenshot(village, 'campaign-verify-phone');
    expect(await accessibilityProblems(village)).toEqual([]);
    expect(await village.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await village.getByTestId('save-verification').click();
    await village.getByTestId('verified').waitFor();
    await village.getByTestId('finding').filter({ hasText: '成员变更' }).waitFor();

    // The member change is a case of its own, opened in the cadre's name, and the campaign counts it.
    const cases = (await stack.registry.http.get(`/cases?kind=member_change&regionCode=${'411599001001'}`).set(await stack.auth(users.countyA))).body.items as { householdId: string; status: string }[];
    expect(cases.filter((c) => c.householdId === household.id && c.status === 'OPEN')).toHaveLength(1);
    await county.reload();
    await county.getByTestId('verified').getByText('1').first().waitFor();
    await screenshot(county, 'campaign');

    // 数据清洗: the county runs the rules; the township explains an item; the county accepts it.
    await county.getByTestId('problems').click();
    await county.waitForURL(/\/problems$/);
    await county.getByTestId('run-cleaning').click();
    await county.getByText('清洗规则已运行').waitFor();
    const township = await stack.signedIn(users.townshipA);
    await township.goto(`${stack.consoleUrl}/campaigns/${campaignId}/problems`);
    const row = township.locator('tr', { hasText: household.number }).filter({ hasText: '未落实帮扶责任人' });
    await row.waitFor();
    await screenshot(township, 'campaign-problems');
    expect(await accessibilityProblems(township)).toEqual([]);
    await row.getByTestId('explain').click();
    await township.getByRole('textbox', { name: '情况说明' }).fill('该户帮扶责任人已于本月调整, 待系统同步');
    await township.getByRole('dialog').getByRole('button', { name: '提交' }).click();
    await township.getByText('情况说明已提交').waitFor();
    await county.reload();
    await county.locator('tr', { hasText: household.number }).getByTestId('accept').click();
    await county.getByText('已审核').waitFor();
    const items = (await stack.registry.http.get(`/campaigns/${campaignId}/problems?status=ACCEPTED`).set(await stack.auth(users.countyA))).body as { householdId: string; rule: string }[];
    expect(items.filter((i) => i.householdId === household.id)).toEqual([expect.objectContaining({ rule: 'no_helper' })]);
  
    // The progress page charts the case the verification opened.
    await county.goto(`${stack.consoleUrl}/campaigns/${campaignId}`);
    await county.getByRole('img', { name: '核查转入的程序, 按种类和状态' }).waitFor();
    await county.getByRole('img', { name: '各乡镇数据清洗问题, 待整改与已关闭' }).waitFor();

    // 县级审核: no township owes an item when the cleaning window opens, so the audit opens at once,
    // due when the calendar's audit window closes (the months between skipped on the test server).
    const env = stack.timeSkipping!;
    const campaign = (await stack.registry.http.get(`/campaigns/${campaignId}`).set(await stack.auth(users.countyA))).body as { workflowId: string; calendar: { phase: string; endsAt: string }[] };
    const handle = env.client.workflow.getHandle(campaign.workflowId);
    const entryEnds = Date.parse(campaign.calendar.find((w) => w.phase === 'entry')!.endsAt);
    await skip(env, handle, entryEnds + 3_600_000 - (await env.currentTimeMs()));
    let auditOpen = false;
    for (let i = 0; i < 300 && !auditOpen; i++) {
      const inbox = await stack.registry.http.get('/tasks?status=open&step=county.audit').set(await stack.auth(users.countyA));
      auditOpen = inbox.body.items.some((t: { caseId: string }) => t.caseId === campaignId);
      if (!auditOpen) await new Promise((r) => setTimeout(r, 200));
    }
    expect(auditOpen).toBe(true);
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
      phase = (await stack.registry.http.get(`/campaigns/${campaignId}`).set(await stack.auth(users.countyA))).body.phase;
      if (phase !== 'feedback') await new Promise((r) => setTimeout(r, 100));
    }
    expect(phase).toBe('feedback');
    await county.reload();
    await county.locator('.ant-steps-item-process', { hasText: '省级反馈整改' }).waitFor();
    expect(await county.getByTestId('audit').count()).toBe(0);
  });
});
