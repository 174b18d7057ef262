import { Client } from 'pg';
import { JetStreamService } from '@jingzhun/platform';
import { A, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { ownNats, readStream, waitUntil } from '../support/nats';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(90_000);

describe('outbox → JetStream while NATS is down', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pg: Client;
  let nats: Awaited<ReturnType<typeof ownNats>>;
  let registry: RunningRegistry;

  beforeAll(async () => {
    db = await freshDatabase('outbox');
    await seedFixtures(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('SET search_path TO registry');
    nats = await ownNats();
    registry = await startRegistry(db.url, { NATS_URL: nats.url });
    await registry.app.get(JetStreamService).whenReady();
  });
  afterAll(async () => {
    await registry?.close();
    await nats?.stop();
    await pg?.end();
    await db?.drop();
  });

  it('delivers an event written while NATS is unreachable exactly once after it returns', async () => {
    await nats.stop();
    const idNumber = nextIdNumber();
    const token = await registry.token(users.villageA);
    const res = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '周建国', idNumber, relation: 'HEAD' }],
      });
    expect(res.status).toBe(201);
    const householdId: string = res.body.id;

    const { rows } = await pg.query(`SELECT id, published_at FROM outbox WHERE payload->'data'->>'householdId' = $1`, [
      householdId,
    ]);
    expect(rows).toHaveLength(1);
    const eventId: string = rows[0].id;
    // Give the relay time to try and fail against the stopped server.
    await new Promise((r) => setTimeout(r, 1500));
    const pending = await pg.query(`SELECT published_at, attempts, last_error FROM outbox WHERE id = $1`, [eventId]);
    expect(pending.rows[0].published_at).toBeNull();

    await nats.start();
    await waitUntil('the outbox row to be published', async () => {
      const r = await pg.query(`SELECT published_at FROM outbox WHERE id = $1`, [eventId]);
      return r.rows[0].published_at !== null;
    });

    // A relay that crashed after publishing but before marking the row sends it again:
    // JetStream drops the repeat by its Nats-Msg-Id.
    await pg.query(`UPDATE outbox SET published_at = NULL, leased_until = NULL WHERE id = $1`, [eventId]);
    await waitUntil('the re-sent row to be marked again', async () => {
      const r = await pg.query(`SELECT published_at FROM outbox WHERE id = $1`, [eventId]);
      return r.rows[0].published_at !== null;
    });

    const messages = await readStream(nats.url, 'JZ_REGISTRY');
    const ours = messages.filter((m) => m.data.id === eventId);
    expect(ours).toHaveLength(1);
    expect(ours[0].subject).toBe('registry.household.created');
    expect(ours[0].data.data).toMatchObject({ householdId, villageCode: A.village, origin: 'api' });
    // Events never carry an ID number.
    expect(JSON.stringify(ours[0].data)).not.toContain(idNumber);
  });
});
