import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { uuidv7 } from '@jingzhun/platform';
import { freePort } from '../../tools/devkit/src/engines/net';
import { natsDevCredentials, startNats } from '../../tools/devkit/src/engines/nats';
import { freshDatabase } from '../support/database';
import { ownTemporal, testEngines } from '../support/engines';
import { A, B } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { waitUntil } from '../support/nats';
import { startMonitoring, type RunningService } from '../support/services';

jest.setTimeout(120_000);

/**
 * NATS as deploy/nats/auth.conf configures it (the nats-server `npm run dev` starts, and
 * docker-compose.yml's): nobody connects without a user, a county's department publishes only
 * alerts.<department>.<county>, and the monitoring service (with its own user) refuses an alert of
 * that subject whose village lies in another county. Alerts leave the stream once taken in; a dead
 * letter holds the ID number's keyed hash, never the number.
 */
describe('NATS: credentials per service and department', () => {
  let nats: Awaited<ReturnType<typeof startNats>>;
  let url: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let monitoring: RunningService;
  let temporal: Awaited<ReturnType<typeof ownTemporal>>;
  const open: NatsConnection[] = [];
  const as = async (user: string, pass: string) => {
    const nc = await connect({ servers: url, user, pass, reconnect: false });
    open.push(nc);
    return nc;
  };
  const envelope = (subject: string, data: Record<string, unknown>) =>
    JSON.stringify({ id: uuidv7(), subject, occurredAt: new Date().toISOString(), source: 'medical-bureau', data });

  beforeAll(async () => {
    const port = await freePort();
    nats = await startNats({
      bin: testEngines.natsBin,
      dataDir: mkdtempSync(join(tmpdir(), 'jz-nats-auth-')),
      port,
      log: () => undefined,
      auth: true,
    });
    url = nats.url;
    db = await freshDatabase('nats-auth');
    // A Temporal of its own: the alerts' evaluations start there and go no further (no workflow worker).
    temporal = await ownTemporal();
    monitoring = await startMonitoring(db.url, {
      NATS_URL: url,
      ...natsDevCredentials('monitoring'),
      TEMPORAL_ADDRESS: temporal.address,
      REGISTRY_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await monitoring?.close();
    await nats?.stop?.();
    await temporal?.stop();
    await db?.drop();
  });

  it('nobody connects without a user, or with a wrong password', async () => {
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(
      connect({ servers: url, user: 'dept-medical-411599', pass: 'guess', reconnect: false }),
    ).rejects.toThrow(/authorization/i);
  });

  it("a department publishes only on its own department's and county's subject", async () => {
    const nc = await as('dept-medical-411599', 'dev-nats-medical-411599');
    const js = jetstream(nc, { timeout: 2_000 });
    const data = {
      externalId: 'x',
      kind: 'medical_expense',
      occurredAt: new Date().toISOString(),
      villageCode: A.village,
    };
    await expect(js.publish('alerts.medical.522699', envelope('alerts.medical.522699', data))).rejects.toThrow();
    await expect(js.publish('alerts.civil.411599', envelope('alerts.civil.411599', data))).rejects.toThrow();
    await expect(
      js.publish('registry.household.created', envelope('registry.household.created', data)),
    ).rejects.toThrow();
  });

  it('its alert is taken in and then gone from the stream; one for another county is dead-lettered with the hash only', async () => {
    const js = jetstream(await as('dept-medical-411599', 'dev-nats-medical-411599'), { timeout: 5_000 });
    const idNumber = nextIdNumber();
    const good = await js.publish(
      'alerts.medical.411599',
      envelope('alerts.medical.411599', {
        externalId: 'good-1',
        kind: 'medical_expense',
        occurredAt: new Date().toISOString(),
        villageCode: A.village,
        idNumber,
        amount: 30000,
      }),
    );
    const outside = await js.publish(
      'alerts.medical.411599',
      envelope('alerts.medical.411599', {
        externalId: 'outside-1',
        kind: 'medical_expense',
        occurredAt: new Date().toISOString(),
        villageCode: B.village,
        idNumber,
        amount: 30000,
      }),
    );

    const { Client } = await import('pg');
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await waitUntil(
        'the alert stored',
        async () => (await pg.query(`SELECT 1 FROM monitoring.alert WHERE external_id = 'good-1'`)).rowCount === 1,
      );
      const { rows } = await pg.query(
        `SELECT region_code, department, id_masked FROM monitoring.alert ORDER BY external_id`,
      );
      expect(rows).toEqual([
        { region_code: A.village, department: 'medical', id_masked: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/) },
      ]);
    } finally {
      await pg.end();
    }

    const admin = await as('monitoring', 'dev-nats-monitoring');
    const jsm = await jetstreamManager(admin);
    await waitUntil('both alerts removed from ALERTS', async () => {
      const gone = await Promise.all(
        [good.seq, outside.seq].map((seq) =>
          jsm.streams.getMessage('JZ_ALERTS', { seq }).then(
            (m) => m === null,
            () => true,
          ),
        ),
      );
      return gone.every(Boolean);
    });
    const dlq = await jsm.streams.getMessage('JZ_DLQ', { last_by_subj: 'dlq.JZ.monitoring-alerts-medical' });
    if (!dlq) throw new Error('no dead letter');
    const text = new TextDecoder().decode(dlq.data);
    expect(dlq.header.get('Jz-Dead-Letter-Reason')).toContain('alert outside county 411599');
    expect(text).not.toContain(idNumber);
    expect(JSON.parse(text).data).toMatchObject({
      externalId: 'outside-1',
      idHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
