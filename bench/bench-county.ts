import type { INestApplicationContext } from '@nestjs/common';
import { HouseholdImporter } from '../apps/registry/src/imports/household-importer';
import type { ParsedRow } from '../apps/registry/src/imports/import-parser';
import { PrismaService } from '../apps/registry/src/prisma/prisma.service';
import { demoHouseholdRows, demoRegions, demoUsers } from '../prisma/seed/demo-county';
import { demoPolicies } from '../prisma/seed/demo-policies';

/**
 * The demo county's regions, users and policies, and `households` households through the real
 * import path, each head row given `head` (the status a bench needs: exit-eligible, exited, …).
 */
export async function seedBenchCounty(
  app: INestApplicationContext,
  households: number,
  head: Record<string, string | undefined>,
): Promise<void> {
  const regions = demoRegions();
  const prisma = app.get(PrismaService);
  await prisma.region.createMany({
    data: [{ code: '000000000000', name: '全国', level: 'PROVINCE' }, ...regions],
    skipDuplicates: true,
  });
  await prisma.user.createMany({ data: demoUsers(regions), skipDuplicates: true });
  for (const p of demoPolicies())
    await prisma.policy.create({ data: { ...p, effectiveFrom: new Date(p.effectiveFrom) } });
  const rows: ParsedRow[] = [];
  let line = 2;
  for (const v of demoHouseholdRows(
    regions.filter((r) => r.level === 'VILLAGE'),
    households,
  )) {
    if (v.relation === 'HEAD') Object.assign(v, head);
    for (const k of Object.keys(v)) if (v[k] === undefined) delete v[k];
    rows.push({ row: line++, values: v });
  }
  await app.get(HouseholdImporter).run(rows, {
    actor: { id: 'bench', role: 'admin', regionCode: '000000000000' },
    fileName: 'bench',
    origin: 'seed',
  });
}
