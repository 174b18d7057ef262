import { Client } from 'pg';
import { CLEANING_RULE_CODES, campaignCalendar } from '@jingzhun/domain';
import { CleaningService } from '../../apps/registry/src/campaigns/cleaning.service';
import { runSeed } from '../../prisma/seed/seed';
import { freshDatabase } from '../support/database';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(180_000);

/** A new user of the demo county sees the cleaning work: every rule finds at least its planted problem. */
describe('data cleaning on the demo county', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let pg: Client;
  beforeAll(async () => {
    db = await freshDatabase('cleaningdemo');
    registry = await startRegistry(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('SET search_path TO registry');
  });
  afterAll(async () => {
    await pg?.end();
    await registry?.close();
    await db?.drop();
  });

  it('the seed plants a problem of each rule, and one run of the rules finds each of them as items for its township', async () => {
    await runSeed(registry.app, { households: 400, log: () => undefined, progress: false });
    const county = (await pg.query(`SELECT code FROM region WHERE level = 'COUNTY' ORDER BY code LIMIT 1`)).rows[0]
      .code as string;
    const year = new Date().getUTCFullYear();
    const data = {
      categories: ['poor'],
      marginalLine: 6000,
      transitionUntil: '2030-12-31',
      calendar: campaignCalendar(year),
      villages: [],
      households: 0,
      reminderBeforeDays: 3,
      escalationGraceDays: 2,
    };
    const caseId = (
      await pg.query(
        `INSERT INTO "case" (id, kind, workflow_id, region_code, township_code, county_code, year, reason, data, opened_by, step, updated_at)
         VALUES (gen_random_uuid(), 'annual_adjustment', $1, $2, $2, $2, $3, 'test', $4, 'county-test', 'campaign.cleaning', now()) RETURNING id`,
        [`annual_adjustment/${county}/${year}/test`, county, year, JSON.stringify(data)],
      )
    ).rows[0].id as string;

    const run = await registry.app.get(CleaningService).run(caseId);
    const missing = CLEANING_RULE_CODES.filter((r) => !(run.newItems[r] > 0));
    expect(missing).toEqual([]);
    // Each item belongs to its household's township and is due at the end of the cleaning window.
    const items = await pg.query(`SELECT township_code, village_code, fix_by FROM problem_item WHERE case_id = $1`, [
      caseId,
    ]);
    expect(items.rows.every((i) => i.township_code === `${i.village_code.slice(0, 9)}000`)).toBe(true);
    expect(new Set(items.rows.map((i) => new Date(i.fix_by).toISOString()))).toEqual(
      new Set([data.calendar.find((w) => w.phase === 'cleaning')!.endsAt]),
    );
    // No item repeats an ID number (18 characters; household numbers have 17 digits).
    const texts = (await pg.query(`SELECT description FROM problem_item WHERE case_id = $1`, [caseId])).rows.map(
      (r) => r.description as string,
    );
    expect(texts.some((t) => /\d{17}[\dX]/.test(t))).toBe(false);
    // Codes are named: the planted pupil's schooling reads 小学, not PRIMARY.
    const schooling = (
      await pg.query(`SELECT description FROM problem_item WHERE case_id = $1 AND rule = 'schooling_age'`, [caseId])
    ).rows.map((r) => r.description as string);
    expect(schooling.some((t) => t.includes('在校情况为 小学'))).toBe(true);
    expect(schooling.join(' ')).not.toMatch(/[A-Z]{4,}/);
  });
});
