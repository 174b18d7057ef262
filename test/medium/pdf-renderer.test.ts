import type { SheetHousehold } from '../../apps/registry/src/campaigns/comparison-sheet';
import { PDF_PER_USER, PdfRenderer } from '../../apps/registry/src/pdf/pdf-renderer';
import { pdfText } from '../support/pdf-text';

jest.setTimeout(180_000);

const household = (i: number): SheetHousehold => ({
  number: `411599001001${String(i).padStart(5, '0')}`,
  headName: `户主${i}`,
  status: 'POOR',
  villageName: '东坪村',
  helperName: '帮扶人',
  members: [0, 1, 2].map((m) => ({
    name: `成员${m}`,
    relation: m === 0 ? 'HEAD' : 'SON',
    sex: 'MALE',
    idMasked: '411599********1234',
    education: 'JUNIOR',
    health: 'HEALTHY',
    labourCapacity: 'NORMAL',
    workStatus: null,
    medicalInsurance: true,
    pensionInsurance: false,
  })),
  assessment: {
    year: 2026,
    wageIncome: 30000,
    businessIncome: 0,
    propertyIncome: 0,
    transferIncome: 3000,
    productionCosts: 3000,
    netIncomePerHead: 10000,
    food: true,
    clothing: true,
    education: true,
    medical: true,
    housing: true,
    water: true,
  },
  measures: [{ kind: 'EMPLOYMENT', description: '公益岗位', year: 2026 }],
});

/** PDFs are laid out in worker threads (#22): the registry's event loop keeps turning while a village prints. */
describe('the PDF renderer threads', () => {
  const renderer = new PdfRenderer();
  afterAll(() => renderer.onApplicationShutdown());

  it('renders a notice and a batch of comparison sheets in its threads, with the CJK font', async () => {
    const notice = await renderer.render('u1', {
      kind: 'notice',
      notice: { title: '脱贫退出公示', body: '东坪村 41159900100100001 户拟脱贫退出。', placeName: '东坪村' },
    });
    expect(notice.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdfText(notice)).toContain('脱贫退出公示');
    const sheets = await renderer.render('u1', {
      kind: 'sheets',
      title: '年度动态调整入户核查对照表',
      sheets: [household(1), household(2)],
    });
    expect(await pdfText(sheets)).toContain('41159900100100002');
  });

  it("keeps the event loop turning while 150 households' sheets are laid out (on the loop it stops for seconds)", async () => {
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 10);
    try {
      const pdf = await renderer.render('u2', {
        kind: 'sheets',
        title: '对照表',
        sheets: Array.from({ length: 150 }, (_, i) => household(i)),
      });
      expect(pdf.length).toBeGreaterThan(100_000);
    } finally {
      clearInterval(timer);
    }
    // The copy of the finished PDF back to this thread is the only work here.
    expect(longest).toBeLessThan(500);
  });

  it(`lets one person have ${PDF_PER_USER} in flight; the next is a 429 with a retry time`, async () => {
    const job = {
      kind: 'sheets' as const,
      title: '对照表',
      sheets: Array.from({ length: 20 }, (_, i) => household(i)),
    };
    const results = await Promise.allSettled([
      renderer.render('u3', job),
      renderer.render('u3', job),
      renderer.render('u3', job),
      renderer.render('u4', job),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ status: 429, code: 'PDF_BUSY' });
  });
});
