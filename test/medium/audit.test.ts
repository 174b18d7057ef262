import { Client } from 'pg';
import { freshDatabase } from '../support/database';

describe('audit is append-only at the database level', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: Client;
  beforeAll(async () => {
    db = await freshDatabase('audit');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('SET search_path TO registry');
    await client.query(
      `INSERT INTO audit (actor_id, actor_role, action, entity, entity_id) VALUES ('u1', 'county', 'test.created', 'thing', '1')`,
    );
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('accepts INSERT', async () => {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM audit`);
    expect(rows[0].n).toBe(1);
  });

  it.each([
    ['UPDATE', `UPDATE audit SET action = 'tampered'`],
    ['DELETE', `DELETE FROM audit`],
    ['TRUNCATE', `TRUNCATE audit`],
  ])('rejects %s', async (op, sql) => {
    await expect(client.query(sql)).rejects.toThrow(new RegExp(`audit is append-only: ${op} rejected`));
    const { rows } = await client.query(`SELECT action FROM audit`);
    expect(rows).toEqual([{ action: 'test.created' }]);
  });
});
