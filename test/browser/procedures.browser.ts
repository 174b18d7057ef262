import type { Page } from 'playwright-core';
import { users } from '../support/fixtures';
import { accessibilityProblems, dialogOverflow, overflowing, screenshot } from '../support/browser';
import { consoleSuite } from '../support/console-stack';
import { pdfText } from '../support/pdf-text';
import { nextIdNumber } from '../support/id-numbers';

jest.setTimeout(180_000);

/**
 * A person's journey through a procedure in the console, in a real Chromium against the real
 * stack. Only the UI is used to act; the API is read to check what happened.
 */
describe('console: an exit through the UI, its notice, an objection, double clicks and jurisdiction', () => {
  const stack = consoleSuite();

  const openTask = async (page: Page, householdNumber: string, step: string) => {
    await page.goto(`${stack.consoleUrl}/inbox`);
    // A row on a desktop, a card on a phone.
    const row = page.locator('tr, [data-testid="task-card"]', { hasText: householdNumber }).filter({ hasText: step });
    await row.getByRole('button', { name: '办理' }).click();
    await page.getByRole('dialog').waitFor();
  };
  const caseOf = async (caseId: string) =>
    (await stack.registry.http.get(`/cases/${caseId}`).set(await stack.auth(users.countyA))).body;
  const caseAt = async (caseId: string, step: string) => {
    for (let i = 0; i < 100; i++) {
      const c = await caseOf(caseId);
      if (c.step === step) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
    return caseOf(caseId);
  };

  it('a village cadre starts an exit from the household page and decides appraisal and verification; the township sees its review greyed during the notice; an upheld objection returns the case to appraisal', async () => {
    const household = await stack.exitEligibleHousehold();
    const village = await stack.signedIn(users.villageA);
    await village.goto(`${stack.consoleUrl}/households/${household.id}`);
    await village.getByText(household.number).first().waitFor();
    await screenshot(village, 'household');
    expect(await accessibilityProblems(village)).toEqual([]);
    await village.getByTestId('start-exit').click();
    await village.getByLabel('事由').fill('年度脱贫退出: 收入稳定, 两不愁三保障均已实现');
    await village.getByRole('dialog').getByRole('button', { name: '发起', exact: true }).click();
    await village.waitForURL(/\/cases\//);
    const caseId = village.url().split('/cases/')[1];
    await village.getByTestId('case-step').getByText('村民主评议').waitFor();
    await screenshot(village, 'case');

    await openTask(village, household.number, '村民主评议');
    await screenshot(village, 'decide-appraisal');
    await village.getByLabel('评议日期').fill('2026-11-28');
    await village.keyboard.press('Enter');
    await village.getByLabel('参会人数').fill('45');
    await village.getByLabel('赞成票').fill('43');
    await village.getByLabel('反对票').fill('2');
    await village.getByTestId('approve').click();
    await village.getByTestId('decided').waitFor();
    expect((await caseOf(caseId)).step).toBe('village.verification');

    await openTask(village, household.number, '入户核实');
    await village.getByLabel('工资性收入').fill('30000');
    await village.getByLabel('转移性收入').fill('3000');
    await village.getByLabel('生产经营性支出').fill('3000');
    await village.getByText('农户已签字认可退出').click();
    await village.getByTestId('approve').click();
    await village.getByTestId('decided').waitFor();
    const afterVisit = await caseOf(caseId);
    expect(afterVisit.step).toBe('village.notice');
    // The verification's assessment is on the household: 30000 + 3000 − 3000 over 3 people.
    const h = (await stack.registry.http.get(`/households/${household.id}`).set(await stack.auth(users.countyA))).body;
    expect(h.netIncomePerHead).toBe(10000);

    // The township's review is visible but greyed until the 7 full days are over.
    const township = await stack.signedIn(users.townshipA);
    await township.goto(`${stack.consoleUrl}/inbox`);
    const review = township.locator('tr', { hasText: household.number });
    await review.getByTestId('waiting-notice').waitFor();
    expect(await review.getByTestId('waiting-notice').innerText()).toMatch(
      /^公示期至 \d{4}年\d{1,2}月\d{1,2}日, 届满后可审核$/,
    );
    expect(await review.getByRole('button', { name: '办理' }).count()).toBe(0);
    await screenshot(township, 'inbox-township');
    expect(await accessibilityProblems(township)).toEqual([]);

    // An objection received by the village is recorded; the township upholds it and returns the case.
    await village.goto(`${stack.consoleUrl}/notices`);
    const notice = village.getByTestId('notice').filter({ hasText: household.number });
    await screenshot(village, 'notices');
    expect(await accessibilityProblems(village)).toEqual([]);
    await notice.getByTestId('record-objection').click();
    await village.getByLabel('异议内容').fill('该户家中有人长期患病, 收入不稳定');
    await village.getByRole('dialog').getByRole('button', { name: '登记', exact: true }).click();
    await village.getByRole('dialog').waitFor({ state: 'hidden' });
    // The objection reaches the workflow as a signal; its verification task opens a moment later.
    await stack.inboxTask(users.townshipA, 'village.notice.objection', caseId);
    await openTask(township, household.number, '公示异议核实');
    // Beside the decision: the objection's text first, the visit's figures against the line, the appraisal's record.
    const evidence = township.getByRole('dialog').getByTestId('evidence');
    await evidence.getByTestId('evidence-objection').filter({ hasText: '该户家中有人长期患病, 收入不稳定' }).waitFor();
    expect(await evidence.getByTestId('evidence-per-head').innerText()).toMatch(
      /年人均纯收入 10000 元, \d{4} 年贫困标准 \d+ 元/,
    );
    expect(await evidence.getByTestId('evidence-decision').filter({ hasText: '村民主评议' }).innerText()).toMatch(
      /参会人数: 45 人[\s\S]*赞成票: 43 票/,
    );
    expect(
      await evidence
        .getByTestId('evidence-check')
        .filter({ hasText: '年人均纯收入超过贫困标准' })
        .getAttribute('data-ok'),
    ).toBe('true');
    // An objection's verification records its finding (the catalogue's record for the step), whatever the decision.
    await township.getByLabel('核实情况').fill('走访村民小组长与邻户三户, 反映的务工收入属实');
    await township.getByLabel('意见').fill('经核实异议属实, 退回重新评议');
    await screenshot(township, 'decide-objection');
    await township.getByTestId('return').click();
    await township.getByTestId('decided').waitFor();
    // The verification's answer is given as the objection is resolved; the return to appraisal follows it.
    const returned = await caseAt(caseId, 'village.appraisal');
    expect(returned.step).toBe('village.appraisal');
    expect(returned.round).toBe(2);
    expect(returned.notices[0].objections[0].status).not.toBe('OPEN');
    // The case page keeps the objection beside its finding.
    await township.goto(`${stack.consoleUrl}/cases/${caseId}`);
    const finding = township
      .getByTestId('evidence-objection')
      .filter({ hasText: '该户家中有人长期患病' })
      .getByTestId('evidence-finding');
    await finding.waitFor();
    expect(await finding.innerText()).toContain('走访村民小组长与邻户三户, 反映的务工收入属实');
    await screenshot(township, 'case-evidence');
    expect(await accessibilityProblems(township)).toEqual([]);
  });

  it('分户 on a phone: the village cadre splits two members into a new household of the same status; announced, the registry holds both', async () => {
    const household = await stack.exitEligibleHousehold(undefined, 3);
    const village = await stack.signedIn(users.villageA, { width: 390, height: 844 });
    await village.goto(`${stack.consoleUrl}/households/${household.id}`);
    await village.getByText(household.number).first().waitFor();
    await village.getByTestId('member-card').first().waitFor();
    // Nothing sticks out at 390 px on the household page (its tables are cards on a phone).
    expect(await overflowing(village, 390)).toEqual([]);
    await village.getByTestId('start-member_change').click();
    const dialog = village.getByRole('dialog');
    await dialog.getByLabel('事由').fill('长子成家另立门户');
    // An option is picked once the dropdown has settled (antd animates it open); `then` shows the pick took.
    const pick = async (field: string, option: string, then: () => Promise<boolean>) => {
      for (let i = 0; i < 3; i++) {
        await dialog.getByLabel(field, { exact: true }).click();
        await village
          .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option })
          .click();
        if (await then()) return;
      }
      throw new Error(`could not pick ${option} in ${field}`);
    };
    const shows = (text: string) => () =>
      dialog
        .getByText(text, { exact: true })
        .first()
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
    await pick('变更', '分户 (部分成员另立新户)', shows('分出的成员 (另立新户, 户状态不变)'));
    await pick('分出的成员 (另立新户, 户状态不变)', '成员1', shows('成员1 (之子)'));
    await village
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '成员2' })
      .click();
    await dialog.getByText('发起成员变更').click(); // closes the members' dropdown
    // The new head is chosen among those who leave (成员1 is the first of them).
    await dialog.getByLabel('新户户主').click();
    await village.keyboard.press('Enter');
    await dialog.getByText('成员1 (之子)').last().waitFor();
    for (
      let i = 0;
      i < 40 && (await village.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()) > 0;
      i++
    )
      await village.waitForTimeout(50);
    // The form fits the phone: the dialog and everything in it within 390 px (the page behind it was checked above).
    expect(await dialogOverflow(dialog, 390)).toEqual([]);
    await screenshot(village, 'member-change-split-phone');
    expect(await accessibilityProblems(village)).toEqual([]);
    await dialog.getByRole('button', { name: '发起', exact: true }).click();
    await village.waitForURL(/\/cases\//);
    const caseId = village.url().split('/cases/')[1];
    await village.getByTestId('case-step').getByText('入户核实').waitFor();

    // The village's verification and the township's approval (their inboxes): the split is announced.
    await openTask(village, household.number, '入户核实');
    await village.getByRole('dialog').getByTestId('approve').click();
    await village.getByTestId('decided').waitFor();
    const township = await stack.signedIn(users.townshipA);
    await openTask(township, household.number, '乡镇审批');
    // The township approves seeing who leaves and the income per head before and after (30 000 net: 3 people → 1).
    const changes = township.getByRole('dialog').getByTestId('evidence-member_changes');
    await changes.getByText('成员1 (之子)、成员2 (之子) 分出另立一户, 户主 成员1 (之子)').waitFor();
    expect(await changes.getByTestId('evidence-change-income').innerText()).toMatch(
      /现常住人口\s*3 人[\s\S]*变更后常住人口\s*1 人[\s\S]*变更前年人均纯收入\s*10000 元[\s\S]*变更后年人均纯收入\s*30000 元/,
    );
    await screenshot(township, 'decide-member-change');
    await township.getByRole('dialog').getByTestId('approve').click();
    await township.getByTestId('decided').waitFor();
    const done = await caseAt(caseId, 'finished');
    expect(done.status).toBe('COMPLETED');
    const split = done.timeline.find((a: { action: string }) => a.action === 'household.split');
    expect(split).toBeTruthy();

    // The new household: its own number, the same status, 成员1 its head; the old one keeps the head alone.
    await village.goto(`${stack.consoleUrl}/households/${split.entityId}`);
    await village.getByText(`${split.after.number} 成员1`).first().waitFor();
    await village.getByText('未脱贫').first().waitFor();
    await screenshot(village, 'household-after-split-phone');
    const old = (await stack.registry.http.get(`/households/${household.id}`).set(await stack.auth(users.countyA)))
      .body;
    expect(old.memberCount).toBe(1);
    const created = (
      await stack.registry.http.get(`/households/${split.entityId}`).set(await stack.auth(users.countyA))
    ).body;
    expect(created).toMatchObject({ status: 'POOR', memberCount: 2, headName: '成员1' });
  });

  it("a village cadre on a phone records this year's assessment from the household page and starts the exit, told what is missing before submitting", async () => {
    const county = await stack.auth(users.countyA);
    const members = [
      { name: '赵大山', idNumber: nextIdNumber(), relation: 'HEAD' },
      { name: '赵小山', idNumber: nextIdNumber(), relation: 'SON' },
    ];
    const created = await stack.registry.http
      .post('/households')
      .set(county)
      .send({ villageCode: stack.A.village, status: 'POOR', identifiedYear: 2018, mainCause: 'ILLNESS', members });
    expect(created.status).toBe(201);
    const village = await stack.signedIn(users.villageA, { width: 390, height: 844 });
    const pageErrors: string[] = [];
    village.on('pageerror', (e) => pageErrors.push(e.message));
    await village.goto(`${stack.consoleUrl}/households/${created.body.id}`);
    await village.getByText(created.body.number).first().waitFor();
    // One <main> landmark, and the phone's sign-out button has a name.
    expect(await village.locator('main').count()).toBe(1);
    await village.getByRole('button', { name: '退出登录' }).waitFor();
    // Starting the exit proposes this year and says, before submitting, that its assessment is missing.
    await village.getByTestId('start-exit').click();
    const dialog = village.getByRole('dialog');
    await dialog.getByTestId('preflight-check').filter({ hasText: '当年核实' }).waitFor();
    expect(await dialog.getByTestId('preflight-check').filter({ hasText: '当年核实' }).getAttribute('data-ok')).toBe(
      'false',
    );
    expect(await dialog.getByLabel('年度').inputValue()).toBe(String(new Date().getFullYear()));
    await screenshot(village, 'start-exit-missing-assessment-phone');
    await dialog.getByTestId('record-assessment-inline').click();
    const assess = village.getByRole('dialog', { name: /^录入 \d{4} 年度收入与两不愁三保障核实/ });
    await assess.getByLabel('工资性收入').fill('24000');
    await assess.getByLabel('转移性收入').fill('2000');
    await assess.getByLabel('生产经营性支出').fill('2000');
    // Income per head is computed live over the two residents.
    await assess.getByTestId('live-per-head').getByText('12000 元').waitFor();
    // The form fits the phone: its dialog within 390 px, nothing in it scrolling sideways (the page behind it is checked by the other phone journeys).
    expect(await dialogOverflow(assess, 390)).toEqual([]);
    // ...and the page behind the two dialogs keeps the phone's width.
    expect(await overflowing(village, 390)).toEqual([]);
    await screenshot(village, 'record-assessment-phone');
    expect(await accessibilityProblems(village)).toEqual([]);
    await assess.getByRole('button', { name: '保存' }).click();
    await assess.waitFor({ state: 'hidden' });
    // Now every condition holds; the exit starts.
    await dialog.getByTestId('preflight').getByText('按当前事实核对, 符合发起条件').waitFor();
    // Submitting without a reason says so at the field, and throws nothing in the page.
    await dialog.getByRole('button', { name: '发起', exact: true }).click();
    await dialog.getByText('请说明事由').waitFor();
    await dialog.getByLabel('事由').fill('务工收入稳定, 两不愁三保障均已实现');
    await dialog.getByRole('button', { name: '发起', exact: true }).click();
    await village.waitForURL(/\/cases\//);
    await village.getByTestId('case-step').getByText('村民主评议').waitFor();
    const assessments = (await stack.registry.http.get(`/households/${created.body.id}`).set(county)).body.assessments;
    expect(assessments).toEqual([expect.objectContaining({ year: new Date().getFullYear(), netIncomePerHead: 12000 })]);
    expect(pageErrors).toEqual([]);
  });

  it('double-clicking 登记 in 登记异议 records one objection', async () => {
    const { noticeId, household } = await stack.exitAtVillageNotice();
    const village = await stack.signedIn(users.villageA);
    await village.goto(`${stack.consoleUrl}/notices`);
    const objections = async () =>
      Number((await stack.pg.query(`SELECT count(*) FROM objection WHERE notice_id = $1`, [noticeId])).rows[0].count);
    await village.getByTestId('notice').filter({ hasText: household.number }).getByTestId('record-objection').click();
    await village.getByLabel('异议内容').fill('该户家中有经营性收入未如实申报');
    await village.getByRole('dialog').getByRole('button', { name: '登记', exact: true }).dblclick();
    await village.getByRole('dialog').waitFor({ state: 'detached' });
    for (let i = 0; i < 20 && (await objections()) === 0; i++) await village.waitForTimeout(100);
    await village.waitForTimeout(500);
    expect(await objections()).toBe(1);
  });

  it('a deep link opens where it points: in a new tab of a signed-in user at once, in a fresh browser after sign-in', async () => {
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    const link = `${stack.consoleUrl}/cases/${started.body.id}`;
    const village = await stack.signedIn(users.villageA);
    // Ctrl-click / a pasted link: a new tab of the same browser asks the open tab for the session.
    const tab = await village.context().newPage();
    await tab.goto(link);
    await tab.getByTestId('case-step').waitFor();
    expect(new URL(tab.url()).pathname).toBe(`/cases/${started.body.id}`);
    // A browser with no tab signed in: the login page, then the link (not the home page).
    const fresh = await (await stack.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
    await fresh.goto(link);
    await fresh.waitForURL(/\/login\?next=/);
    await fresh.locator(`button[data-user="${users.villageA}"]`).click();
    await fresh.waitForURL((u) => u.pathname === `/cases/${started.body.id}`);
    await fresh.getByTestId('case-step').waitFor();
    await fresh.context().close();
  });

  it('double-clicking approve decides the task once', async () => {
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    await stack.inboxTask(users.villageA, 'village.appraisal', started.body.id);
    const village = await stack.signedIn(users.villageA);
    await openTask(village, household.number, '村民主评议');
    await village.getByLabel('评议日期').fill('2026-11-28');
    await village.keyboard.press('Enter');
    // More votes than people present is refused at the field, before any request.
    await village.getByLabel('参会人数').fill('10');
    await village.getByLabel('赞成票').fill('40');
    await village.getByLabel('反对票').fill('5');
    await village.getByTestId('approve').click();
    await village.getByText('赞成 40 票与反对 5 票之和超过参会人数 10').waitFor();
    expect((await caseOf(started.body.id)).step).toBe('village.appraisal');
    await village.getByLabel('参会人数').fill('30');
    await village.getByLabel('赞成票').fill('29');
    await village.getByLabel('反对票').fill('0');
    await village.getByTestId('approve').dblclick();
    await village.getByTestId('decided').waitFor();
    const c = await caseOf(started.body.id);
    expect(c.step).toBe('village.verification');
    expect(c.timeline.filter((a: { action: string }) => a.action === 'task.decided')).toHaveLength(1);
    expect(
      c.tasks.filter(
        (t: { step: string; decision: string | null }) => t.step === 'village.appraisal' && t.decision === 'approve',
      ),
    ).toHaveLength(1);
    // 下一件: the next task of the inbox opens in the drawer, its own form, without going back to the list.
    await village.getByTestId('next-task').click();
    await village.getByTestId('decided').waitFor({ state: 'detached' });
    await village.getByRole('dialog').getByTestId('approve').waitFor();
    await village.getByRole('dialog').getByTestId('evidence').waitFor();
  });

  it("a township officer opening another township's case sees the 403 page", async () => {
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    const other = await stack.signedIn(users.townshipAOther);
    await other.goto(`${stack.consoleUrl}/cases/${started.body.id}`);
    await other.getByText('无权访问').waitFor();
    expect(await other.getByText(household.number).count()).toBe(0);
    // A page outside the role's menu is a 403 page too, not a broken screen.
    await other.goto(`${stack.consoleUrl}/imports`);
    await other.getByText('403 无权访问').waitFor();
    await screenshot(other, 'forbidden');
  });

  it('the printed notice is a PDF with the household number and no ID number', async () => {
    const { household } = await stack.exitAtVillageNotice();
    const village = await stack.signedIn(users.villageA);
    await village.goto(`${stack.consoleUrl}/notices`);
    const card = village.getByTestId('notice').filter({ hasText: household.number });
    // The bytes the browser received, taken on their way through (a response read later may be gone).
    const received = new Promise<{ status: number; type: string | undefined; body: Buffer }>((resolve) => {
      void village.route(/\/api\/registry\/notices\/[^/]+\/pdf$/, async (route) => {
        const response = await route.fetch();
        resolve({ status: response.status(), type: response.headers()['content-type'], body: await response.body() });
        await route.fulfill({ response });
      });
    });
    await card.getByTestId('print-notice').click();
    const pdf = await received;
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const text = await pdfText(pdf.body);
    expect(text).toContain(household.number);
    expect(text).toContain('公示');
    expect(text).not.toContain(household.headId);
    expect(text).not.toMatch(/\d{17}[\dX]/);
  });
});
