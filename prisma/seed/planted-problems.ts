import type { Pool } from 'pg';

/**
 * 数据清洗 on the demo county shows its work from the first run: one planted problem of each rule
 * that the generated data does not already have (it has exited households with an unmet need, and
 * no assessment of this year), each in a POOR household of the demo county (the first), in number order so every seed plants the
 * same ones. Audited as the seed's correction-to-be.
 */
export async function plantCleaningProblems(pool: Pool): Promise<number> {
  // Two households of one village (the duplicate person needs a neighbour), then five more, in number order.
  const { rows } = await pool.query<{ id: string; village_code: string }>(`
    WITH county AS (SELECT left(min(code), 6) AS prefix FROM region WHERE level = 'COUNTY'),
    poor AS (SELECT h.id, h.number, h.village_code FROM household h, county WHERE h.status = 'POOR' AND h.member_count >= 2 AND h.village_code LIKE county.prefix || '%'),
    village AS (SELECT village_code FROM poor GROUP BY village_code ORDER BY count(*) DESC, village_code LIMIT 1),
    pair AS (SELECT p.* FROM poor p JOIN village v USING (village_code) ORDER BY p.number LIMIT 2)
    SELECT id, village_code FROM (SELECT id, village_code, number, 0 AS k FROM pair
                                  UNION ALL
                                  SELECT id, village_code, number, 1 FROM (SELECT * FROM poor WHERE id NOT IN (SELECT id FROM pair) ORDER BY number LIMIT 5) rest) x
     ORDER BY k, number`);
  if (rows.length < 7) return 0;
  const [twoHeads, twin, wrongBirth, oldPupil, sumOff, richPoor, noHelper] = rows.map((r) => r.id);
  const statements: [string, unknown[]][] = [
    // duplicate_person: a member with the name and birth date of another household's head in the village.
    [
      `UPDATE member m SET name = h.name, birth_date = h.birth_date
        FROM (SELECT name, birth_date FROM member WHERE household_id = $2 AND relation = 'HEAD') h
       WHERE m.id = (SELECT id FROM member WHERE household_id = $1 AND relation <> 'HEAD' AND active ORDER BY created_at LIMIT 1)`,
      [twin, twoHeads],
    ],
    // head_count: a son recorded as a second head.
    [
      `UPDATE member SET relation = 'HEAD' WHERE id = (SELECT id FROM member WHERE household_id = $1 AND relation <> 'HEAD' AND active ORDER BY created_at LIMIT 1)`,
      [twoHeads],
    ],
    // id_mismatch: a birth date one day off the ID number's.
    [
      `UPDATE member SET birth_date = birth_date + 1 WHERE id = (SELECT id FROM member WHERE household_id = $1 AND active ORDER BY created_at LIMIT 1)`,
      [wrongBirth],
    ],
    // schooling_age: the head recorded as a primary pupil.
    [`UPDATE member SET schooling = 'PRIMARY' WHERE household_id = $1 AND relation = 'HEAD'`, [oldPupil]],
    // income_sum: a net income per head that its components do not give.
    [`UPDATE household SET net_income_per_head = net_income_per_head + 500 WHERE id = $1`, [sumOff]],
    // poor_income_high: a POOR household far above the line (its assessment says so too).
    [
      `UPDATE assessment SET wage_income = 30000 * people, business_income = 0, property_income = 0, transfer_income = 0, production_costs = 0, net_income_per_head = 30000 WHERE household_id = $1`,
      [richPoor],
    ],
    [`UPDATE household SET net_income_per_head = 30000 WHERE id = $1`, [richPoor]],
    // no_helper.
    [`UPDATE household SET helper_id = NULL WHERE id = $1`, [noHelper]],
  ];
  for (const [sql, params] of statements) await pool.query(sql, params);
  await pool.query(
    `INSERT INTO audit (actor_id, actor_role, action, entity, entity_id, region_code, after) VALUES ('seed', 'admin', 'seed.planted-problems', 'seed', 'demo', $1, $2)`,
    [
      rows[0].village_code,
      JSON.stringify({
        households: rows.length,
        rules: [
          'head_count',
          'id_mismatch',
          'schooling_age',
          'income_sum',
          'poor_income_high',
          'no_helper',
          'duplicate_person',
        ],
      }),
    ],
  );
  return rows.length;
}
