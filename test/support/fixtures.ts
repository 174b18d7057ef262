import { Client } from 'pg';

/**
 * A small world for HTTP tests: county A (411599, non-western) and county B (522699, western),
 * each with two townships of two villages, and one user per role per region.
 */
export const A = {
  county: '411599000000',
  township: '411599001000',
  village: '411599001001',
  village2: '411599001002',
  otherTownship: '411599002000',
  otherVillage: '411599002001',
};
export const B = { county: '522699000000', township: '522699001000', village: '522699001001' };

export const users = {
  admin: 'admin',
  countyA: 'county-a',
  townshipA: 'township-a',
  villageA: 'village-a',
  helperA: 'helper-a',
  helperA2: 'helper-a2',
  departmentA: 'dept-a',
  medicalA: 'dept-medical-411599',
  countyB: 'county-b',
  townshipB: 'township-b',
  villageB: 'village-b',
  helperB: 'helper-b',
  departmentB: 'dept-b',
  townshipAOther: 'township-a2',
  villageA2: 'village-a-second',
  villageAOther: 'village-a2',
};

export async function seedFixtures(databaseUrl: string): Promise<void> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('SET search_path TO registry');
    const regions: [string, string, string, string | null, boolean, number][] = [
      ['000000000000', '全国', 'PROVINCE', null, false, 0],
      ['410000000000', '河南省', 'PROVINCE', null, false, 0],
      ['411500000000', '信阳市', 'CITY', '410000000000', false, 0],
      [A.county, '东岭县', 'COUNTY', '411500000000', false, 0],
      [A.township, '城关镇', 'TOWNSHIP', A.county, false, 0],
      [A.village, '东坪村', 'VILLAGE', A.township, false, 1000],
      [A.village2, '西沟村', 'VILLAGE', A.township, false, 1000],
      [A.otherTownship, '青石镇', 'TOWNSHIP', A.county, false, 0],
      [A.otherVillage, '南岭村', 'VILLAGE', A.otherTownship, false, 1000],
      ['520000000000', '贵州省', 'PROVINCE', null, true, 0],
      ['522600000000', '黔东南州', 'CITY', '520000000000', true, 0],
      [B.county, '西岭县', 'COUNTY', '522600000000', true, 0],
      [B.township, '白云乡', 'TOWNSHIP', B.county, true, 0],
      [B.village, '上河村', 'VILLAGE', B.township, true, 1000],
    ];
    for (const r of regions) {
      await c.query(
        `INSERT INTO region (code, name, level, parent_code, western, rural_population, updated_at) VALUES ($1,$2,$3,$4,$5,$6, now()) ON CONFLICT DO NOTHING`,
        r,
      );
    }
    // Designated poor villages (贫困村) since 2014; 南岭村 (A.otherVillage) is not one.
    await c.query(`UPDATE region SET designated_since = 2014 WHERE code = ANY($1)`, [
      [A.village, A.village2, B.village],
    ]);
    const people: [string, string, string][] = [
      [users.admin, 'admin', '000000000000'],
      [users.countyA, 'county', A.county],
      [users.townshipA, 'township', A.township],
      [users.villageA, 'village', A.village],
      [users.helperA, 'helper', A.village],
      [users.helperA2, 'helper', A.village],
      [users.departmentA, 'department', A.county],
      [users.medicalA, 'department', A.county],
      [users.countyB, 'county', B.county],
      [users.townshipB, 'township', B.township],
      [users.villageB, 'village', B.village],
      [users.helperB, 'helper', B.village],
      [users.departmentB, 'department', B.county],
      [users.townshipAOther, 'township', A.otherTownship],
      [users.villageAOther, 'village', A.otherVillage],
      [users.villageA2, 'village', A.village],
    ];
    for (const [id, role, region] of people) {
      await c.query(`INSERT INTO "user" (id, name, role, region_code) VALUES ($1, $1, $2, $3) ON CONFLICT DO NOTHING`, [
        id,
        role,
        region,
      ]);
    }
  } finally {
    await c.end();
  }
}
