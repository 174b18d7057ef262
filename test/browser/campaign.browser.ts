import { users } from '../support/fixtures';
import { accessibilityProblems, screenshot } from '../support/browser';
import { consoleSuite } from '../support/console-stack';

jest.setTimeout(240_000);

/**
 * 年度动态调整 through the console: the county previews the scope and starts the campaign; a village
 * cadre, on a phone, opens the verification from the inbox and records a member's death, which opens
 * a member-change case. Next year's campaign, so its calendar lies ahead whatever today is.
 */
describe('console: the annual adjustment campaign', () => {
  const stack = consoleSuite();
  const year = new Date().getUTCFullYear() + 1;

  it('the county previews and starts the campaign; a cadre on a phone records a verification whose finding opens a member change', async () => {
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
  });
});
