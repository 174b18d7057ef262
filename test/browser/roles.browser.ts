import { A, users } from '../support/fixtures';
import { accessibilityProblems, screenshot } from '../support/browser';
import { householdsDueRevisit } from '../support/revisits';
import { consoleSuite } from '../support/console-stack';
import { nextIdNumber } from '../support/id-numbers';

jest.setTimeout(180_000);

/** What each role does in the console besides deciding: dashboard, phone revisits, registration, import, triage, village exit. */
describe("console: each role's screens in a real Chromium", () => {
  const stack = consoleSuite();

  it('the county dashboard shows the overdue count the inbox shows', async () => {
    // A village exit whose county verification is past its deadline (the clock moved by SQL: days cannot pass in a test).
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.townshipA))
      .send({
        kind: 'village_exit',
        regionCode: A.village2,
        reason: '贫困发生率已降至 2% 以下',
        data: { conditions: { road: true, water: true, power: true, clinic: true, collectiveIncome: true } },
      });
    expect(started.status).toBe(201);
    const application = await stack.inboxTask(users.townshipA, 'township.application', started.body.id);
    await stack.registry.http
      .post(`/tasks/${application.id}/decision`)
      .set(await stack.auth(users.townshipA))
      .send({ decision: 'approve', comment: '申请退出' });
    await stack.inboxTask(users.countyA, 'county.verification', started.body.id);
    await stack.pg.query(
      `UPDATE task SET overdue = true, due_at = now() - interval '3 days' WHERE case_id = $1 AND status = 'OPEN'`,
      [started.body.id],
    );

    const county = await stack.signedIn(users.countyA);
    await county.waitForURL(/\/dashboard$/);
    const onDashboard = Number(await county.getByTestId('my-overdue').getAttribute('data-count'));
    await county.locator('svg').first().waitFor();
    await screenshot(county, 'dashboard');
    expect(await accessibilityProblems(county)).toEqual([]);
    await county.getByTestId('my-overdue').click();
    await county.waitForURL(/overdue=true/);
    await county.getByText('逾期').first().waitFor();
    const inInbox = Number(await county.getByTestId('inbox-total').getAttribute('data-count'));
    const rows = await county.locator('tbody tr.ant-table-row').count();
    const api = (await stack.registry.http.get('/tasks?status=open&overdue=true').set(await stack.auth(users.countyA)))
      .body.total;
    expect(onDashboard).toBe(1);
    expect(inInbox).toBe(onDashboard);
    expect(rows).toBe(onDashboard);
    expect(api).toBe(onDashboard);
    await screenshot(county, 'inbox-county-overdue');

    // A bar opens the list behind it: a village's incidence → its poor households.
    await stack.exitEligibleHousehold();
    await county.goto(`${stack.consoleUrl}/dashboard`);
    const incidence = county.getByRole('img', { name: /^各村贫困发生率/ });
    await incidence.locator('svg').waitFor();
    const bars = incidence.locator(
      'path[fill="#cf1322"], path[fill="#52c41a"], path[fill="rgb(207,19,34)"], path[fill="rgb(82,196,26)"]',
    );
    await bars.first().waitFor();
    let clicked = false;
    for (let i = 0; i < (await bars.count()) && !clicked; i++) {
      const box = await bars.nth(i).boundingBox();
      if (box && box.width > 2 && box.height > 2) {
        await bars.nth(i).click();
        clicked = true;
      }
    }
    expect(clicked).toBe(true);
    await county.waitForURL(/\/households\?region=\d{12}&status=POOR$/);
    await county.getByRole('heading', { name: '农户' }).waitFor();
  });

  it('a helper on a 390×844 phone records a revisit', async () => {
    const [due] = await householdsDueRevisit(stack, ['回访户主']);
    const created = { body: due };
    const revisit = due.task;

    const phone = await stack.signedIn(users.helperA, { width: 390, height: 844 });
    await phone.waitForURL(/\/helper$/);
    const card = phone.getByTestId('revisit-card').filter({ hasText: created.body.number });
    await card.waitFor();
    await screenshot(phone, 'helper-phone');
    expect(await accessibilityProblems(phone)).toEqual([]);
    // Nothing wider than the phone: no sideways scrolling in the field.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await card.getByRole('button', { name: '记录回访' }).click();
    await phone.getByText('持平').click();
    await phone.getByLabel('备注 (不得填写身份证号等敏感信息)').fill('生产生活正常');
    await screenshot(phone, 'helper-phone-revisit');
    await phone.getByTestId('approve').click();
    await phone.getByTestId('decided').waitFor();
    const followUp = (
      await stack.registry.http.get(`/households/${created.body.id}/follow-up`).set(await stack.auth(users.villageA))
    ).body;
    expect(followUp.visits).toHaveLength(1);
    expect(followUp.visits[0].incomeChange).toBe('same');
    const task = (
      await stack.registry.http.get(`/cases/${revisit.caseId}`).set(await stack.auth(users.countyA))
    ).body.tasks.find((t: { id: string }) => t.id === revisit.id);
    expect(task.decidedBy).toBe(users.helperA);
  });

  it("a bad ID number in the register form shows the check-digit error before submit and the API's 400 after", async () => {
    const village = await stack.signedIn(users.villageA);
    await village.goto(`${stack.consoleUrl}/households/new`);
    const good = nextIdNumber();
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    await village.getByLabel('姓名', { exact: true }).fill('张三');
    await village.getByLabel('身份证号', { exact: true }).fill(bad);
    await village.getByText('校验码').first().waitFor();
    await screenshot(village, 'register-bad-id');
    expect(await accessibilityProblems(village)).toEqual([]);
    const before = (await stack.pg.query(`SELECT count(*)::int AS n FROM household`)).rows[0].n;
    await village.getByLabel('主要致贫原因').click();
    await village.getByTitle('因病').click();
    await village.getByTestId('register-submit').click();
    await village.getByTestId('register-error').waitFor();
    expect(await village.getByTestId('register-error').innerText()).toContain('members.0.idNumber');
    expect(await village.locator('.ant-form-item-explain-error').filter({ hasText: '校验码' }).count()).toBeGreaterThan(
      0,
    );
    expect((await stack.pg.query(`SELECT count(*)::int AS n FROM household`)).rows[0].n).toBe(before);
    // The right number fills birth date and sex and registers the household.
    await village.getByLabel('身份证号', { exact: true }).fill(good);
    expect(await village.getByLabel('出生日期 (由身份证号得出)').inputValue()).toBe(
      `${good.slice(6, 10)}-${good.slice(10, 12)}-${good.slice(12, 14)}`,
    );
    await village.getByTestId('register-submit').click();
    await village.waitForURL(/\/households\/[0-9a-f-]{36}$/);
    expect((await stack.pg.query(`SELECT count(*)::int AS n FROM household`)).rows[0].n).toBe(before + 1);
  });

  it('an import with bad rows shows them and offers the error report', async () => {
    const head = nextIdNumber();
    const valid = nextIdNumber();
    const badCheck = valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
    const csv = [
      '行政村代码,姓名,身份证号,与户主关系,主要致贫原因,户状态,识别年度',
      `${A.village},王五,${head},户主,因病,未脱贫,2019`,
      `,王小五,${nextIdNumber()},之子,,,`,
      `${A.village},赵六,${badCheck},户主,因残,未脱贫,2019`,
    ].join('\n');
    const county = await stack.signedIn(users.countyA);
    await county.goto(`${stack.consoleUrl}/imports`);
    await county
      .locator('input[type=file]')
      .setInputFiles({ name: '登记表.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await county.getByTestId('import-errors').waitFor({ timeout: 60_000 });
    expect(Number(await county.getByTestId('import-error-rows').innerText())).toBe(1);
    expect(await county.getByTestId('import-errors').innerText()).toContain('身份证号');
    // The 错误 column says why (the API's `reason`; it was read as `message` and stayed empty).
    expect(await county.getByTestId('import-errors').innerText()).toContain('身份证号校验码错误(GB 11643)');
    await screenshot(county, 'import-errors');
    expect(await accessibilityProblems(county)).toEqual([]);
    const [download] = await Promise.all([county.waitForEvent('download'), county.getByTestId('error-report').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(JSON.stringify(wb.worksheets[0].getSheetValues())).toContain('身份证号');

    // The page lists the columns and gives the template; a file that is not a workbook is refused in Chinese.
    await county.getByText(/^导入列说明/).click();
    await county.getByTestId('import-columns').getByText('每行必填').first().waitFor();
    const [template] = await Promise.all([
      county.waitForEvent('download'),
      county.getByTestId('import-template').click(),
    ]);
    const tpl = new ExcelJS.Workbook();
    await tpl.xlsx.readFile(await template.path());
    expect(tpl.worksheets.map((w) => w.name)).toEqual(['农户信息', '填写说明']);
    expect(JSON.stringify(tpl.worksheets[0].getRow(1).values)).toContain('身份证号');
    await county.locator('input[type=file]').setInputFiles({
      name: '损坏.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from('PK\u0003\u0004 not a workbook'),
    });
    const refused = county.getByRole('alert').filter({ hasText: '不是有效的 XLSX 文件' });
    await refused.waitFor();
    expect(await refused.innerText()).not.toMatch(/https?:|zip/i);
  });

  it('a township officer exports the households list as filtered: the download holds the households and no ID number', async () => {
    const household = await stack.exitEligibleHousehold();
    const township = await stack.signedIn(users.townshipA);
    await township.goto(`${stack.consoleUrl}/households?q=${household.number}`);
    await township.getByRole('link', { name: household.number }).waitFor();
    // Names beside codes: the township and the village by name.
    await township.getByRole('cell', { name: '城关镇' }).first().waitFor();
    await township.getByRole('cell', { name: '东坪村' }).first().waitFor();
    const [download] = await Promise.all([
      township.waitForEvent('download'),
      township.getByTestId('export-households').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^农户-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const text = JSON.stringify(wb.worksheets[0].getSheetValues());
    expect(text).toContain(household.number);
    expect(text).toContain('东坪村');
    expect(text).not.toContain('身份证');
    expect(text).not.toMatch(/\d{17}[\dX]|\d{6}\*+\d{3}[\dX]/);
    expect(text).not.toContain(household.headId);
  });

  it('the other main pages load, pass axe and are captured: login, cases, households, triage, village exit', async () => {
    const login = await (await stack.browser.newContext({ locale: 'zh-CN' })).newPage();
    await login.goto(`${stack.consoleUrl}/login`);
    await login.getByText('选择一个演示用户登录').waitFor();
    await screenshot(login, 'login');
    expect(await accessibilityProblems(login)).toEqual([]);
    await login.close();

    const county = await stack.signedIn(users.countyA);
    for (const [path, name, ready] of [
      ['/cases', 'cases', '案件'],
      ['/households', 'households', '户编号'],
      ['/monitoring', 'monitoring', '监测研判'],
      ['/inbox', 'inbox-county', '待办'],
    ] as const) {
      await county.goto(`${stack.consoleUrl}${path}`);
      await county.getByText(ready).first().waitFor();
      await county.waitForLoadState('networkidle');
      await screenshot(county, name);
      expect({ page: path, problems: await accessibilityProblems(county) }).toEqual({ page: path, problems: [] });
    }
    const township = await stack.signedIn(users.townshipA);
    await township.goto(`${stack.consoleUrl}/village-exit`);
    await township.getByLabel('行政村').click();
    await township.getByTitle(/东坪村/).click();
    await township.getByTestId('incidence').waitFor();
    await screenshot(township, 'village-exit');
    expect(await accessibilityProblems(township)).toEqual([]);

    // Every page of the county and the township, at a desktop's width and a phone's: axe finds nothing serious, nothing scrolls the page sideways on the phone.
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    const pages = [
      '/dashboard',
      '/inbox',
      '/households',
      `/households/${household.id}`,
      '/cases',
      `/cases/${started.body.id}`,
      '/notices',
      '/monitoring',
      '/village-exit',
      '/campaigns',
      '/imports',
    ];
    for (const [user, width] of [
      [users.countyA, 1366],
      [users.countyA, 390],
      [users.townshipA, 390],
    ] as const) {
      const page = await stack.signedIn(user, { width, height: width > 500 ? 900 : 844 });
      for (const path of pages) {
        if (path === '/imports' && user !== users.countyA) continue;
        await page.goto(`${stack.consoleUrl}${path}`);
        await page.locator('main h3, main h4, main .ant-result, main .ant-empty').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect({ path, width, problems: await accessibilityProblems(page) }).toEqual({ path, width, problems: [] });
        if (width < 500)
          expect({ path, scrollWidth: await page.evaluate<number>('document.documentElement.scrollWidth') }).toEqual({
            path,
            scrollWidth: 390,
          });
      }
    }
  });
});
