import type { INestApplicationContext } from '@nestjs/common';
import { SingleBar, Presets } from 'cli-progress';
import type { Pool } from 'pg';
import { PG_POOL } from '@jingzhun/platform';
import { HouseholdImporter } from '../../apps/registry/src/imports/household-importer';
import type { ParsedRow } from '../../apps/registry/src/imports/import-parser';
import { PrismaService } from '../../apps/registry/src/prisma/prisma.service';
import { demoHouseholdRows, demoRegions, demoUsers } from './demo-county';
import { demoPolicies } from './demo-policies';
import { plantCleaningProblems } from './planted-problems';

export interface SeedOptions {
  households: number;
  log: (line: string) => void;
  progress?: boolean;
}

export interface SeedResult {
  regions: number;
  users: number;
  households: number;
  skippedHouseholds: number;
  members: number;
}

const SEED_ACTOR = { id: 'seed', role: 'admin' as const, regionCode: '000000000000' };

/**
 * Seeds the demo county through the same paths production uses: regions, users and policy
 * with Prisma, households through the importer (validation, ID vault, audit, outbox).
 * Running it again adds nothing that is already there.
 */
export async function runSeed(app: INestApplicationContext, opts: SeedOptions): Promise<SeedResult> {
  const prisma = app.get(PrismaService);
  const pool = app.get<Pool>(PG_POOL);
  const importer = app.get(HouseholdImporter);

  const regions = demoRegions();
  const users = demoUsers(regions);
  await prisma.$transaction(async (tx) => {
    // The admin's region is the national root, so it exists too.
    await tx.region.createMany({
      data: [{ code: '000000000000', name: '全国', level: 'PROVINCE', parentCode: null }],
      skipDuplicates: true,
    });
    for (const level of ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE'] as const) {
      await tx.region.createMany({ data: regions.filter((r) => r.level === level), skipDuplicates: true });
    }
    // The demo users sign in through the compose file's Keycloak realm as subjects named like them.
    await tx.user.createMany({
      data: users.map((u) => ({ ...u, oidcSubject: u.role === 'department' ? null : u.id })),
      skipDuplicates: true,
    });
    for (const p of demoPolicies()) {
      await tx.policy.upsert({
        where: { key_scope_effectiveFrom: { key: p.key, scope: p.scope, effectiveFrom: new Date(p.effectiveFrom) } },
        create: { ...p, effectiveFrom: new Date(p.effectiveFrom) },
        update: {},
      });
    }
    await tx.audit.create({
      data: {
        actorId: SEED_ACTOR.id,
        actorRole: SEED_ACTOR.role,
        action: 'seed.reference-data',
        entity: 'seed',
        entityId: 'demo',
        after: { regions: regions.length, users: users.length },
      },
    });
  });
  opts.log(`区划 ${regions.length} 个, 用户 ${users.length} 个`);

  const villages = regions.filter((r) => r.level === 'VILLAGE');
  const rows: ParsedRow[] = [];
  let line = 2;
  for (const values of demoHouseholdRows(villages, opts.households)) rows.push({ row: line++, values });

  const bar = opts.progress
    ? new SingleBar(
        {
          format: '  导入演示户 [{bar}] {percentage}% | {value}/{total} 户 | 用时 {duration}s',
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 3000,
        },
        Presets.shades_classic,
      )
    : null;
  let started = false;
  const report = await importer.run(rows, {
    actor: SEED_ACTOR,
    fileName: `demo-seed-${opts.households}`,
    origin: 'seed',
    onProgress: (p) => {
      if (!bar || p.phase === 'validating') return;
      if (!started) {
        bar.start(opts.households, 0);
        started = true;
      }
      bar.update(p.processed);
    },
  });
  bar?.stop();
  if (report.errors.length > 0) {
    throw new Error(
      `演示数据有 ${report.errors.length} 处错误, 例如 第${report.errors[0].row}行 ${report.errors[0].column}: ${report.errors[0].reason}`,
    );
  }

  // Helpers: each village's households are shared among its three helpers.
  await pool.query(`
    UPDATE household h SET helper_id = 'helper-' || h.village_code || '-' || ((abs(hashtext(h.number)) % 3) + 1)
     WHERE h.helper_id IS NULL AND h.status <> 'APPLICANT'`);

  // One income assessment per household for last year, in line with its status; audited like any other.
  await pool.query(`
    WITH src AS (
      SELECT h.id, h.village_code, h.member_count AS people,
             abs(hashtext(h.number)) AS r,
             CASE h.status WHEN 'EXITED' THEN 7800 WHEN 'POOR' THEN 2600 WHEN 'MONITORED' THEN 5200 ELSE 3200 END AS base
        FROM household h
       WHERE NOT EXISTS (SELECT 1 FROM assessment a WHERE a.household_id = h.id)
    ), ins AS (
      INSERT INTO assessment (id, household_id, year, assessed_on, wage_income, business_income, property_income, transfer_income,
                              production_costs, people, net_income_per_head, food, clothing, education, medical, housing, water, created_by)
      SELECT gen_random_uuid(), id, 2025, DATE '2025-11-15',
             (base + r % 6000) * people * 6 / 10, (base + r % 6000) * people * 2 / 10, 0, (base + r % 6000) * people * 3 / 10,
             (base + r % 6000) * people / 10, people, base + r % 6000,
             true, true, r % 50 <> 0, r % 40 <> 0, r % 30 <> 0, r % 25 <> 0, 'seed'
        FROM src
      RETURNING id, household_id, net_income_per_head
    ), upd AS (
      UPDATE household h SET net_income_per_head = ins.net_income_per_head FROM ins WHERE h.id = ins.household_id RETURNING h.id, h.village_code
    )
    INSERT INTO audit (actor_id, actor_role, action, entity, entity_id, household_id, region_code, after)
    SELECT 'seed', 'admin', 'assessment.recorded', 'assessment', ins.id::text, ins.household_id, upd.village_code,
           jsonb_build_object('year', 2025, 'netIncomePerHead', ins.net_income_per_head)
      FROM ins JOIN upd ON upd.id = ins.household_id`);

  await plantCleaningProblems(pool);

  const { rows: counts } = await pool.query<{ households: string; members: string }>(
    `SELECT (SELECT count(*) FROM household) AS households, (SELECT count(*) FROM member WHERE active) AS members`,
  );
  return {
    regions: regions.length,
    users: users.length,
    households: report.households,
    skippedHouseholds: report.skippedHouseholds,
    members: Number(counts[0].members),
  };
}
