import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { backup, restore, type BackupManifest } from '../../tools/devkit/src/backup';
import { users } from '../support/fixtures';
import { ownTemporal } from '../support/engines';
import { procedureStack } from '../support/procedure-stack';
import { startRegistry, type RunningRegistry } from '../support/registry-app';
import { records } from '../support/records';

jest.setTimeout(240_000);
const ROOT = join(__dirname, '..', '..');

/**
 * Backups that restore (#12 §4): `npm run backup` of a stack with an open case, the database
 * dropped and created again, `npm run restore`: the same row counts, the same audit entries, and
 * the open case decidable by the next officer (its workflow lives on in Temporal).
 */
describe('backup and restore', () => {
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let restored: RunningRegistry | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'jz-backup-'));
  const lines: string[] = [];

  beforeAll(async () => {
    server = await ownTemporal();
    stack = await procedureStack('backup', server.address);
  });
  afterAll(async () => {
    await restored?.close();
    await stack?.worker.stop();
    await stack?.db.drop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a dropped database to the same rows and audit, and the open case is decided after the restore', async () => {
    const { registry, auth, inboxTask, pg } = stack;
    const household = await stack.exitEligibleHousehold();
    const started = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    expect(started.status).toBe(201);
    const appraisal = await inboxTask(users.villageA, 'village.appraisal', started.body.id);
    const r1 = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '评议通过', data: records.appraisal() });
    expect(r1.status).toBe(200);
    const visit = await inboxTask(users.villageA, 'village.verification', started.body.id);
    const auditBefore = (await pg.query('SELECT id::text, action, entity_id, after::text FROM audit ORDER BY id')).rows;

    const manifest = await backup(ROOT, stack.db.url, dir, (l) => lines.push(l));
    const written = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    expect(written.schemas.map((s) => s.name).sort()).toEqual(['monitoring', 'notify', 'registry']);
    const registryRows = written.schemas.find((s) => s.name === 'registry')!;
    expect(registryRows.rows.audit).toBe(auditBefore.length);
    expect(registryRows.rows.household).toBeGreaterThan(0);
    expect(registryRows.migrations.length).toBeGreaterThan(5);
    expect(JSON.stringify(written)).not.toMatch(/postgres:[^@]*@/);

    // The database is lost: the registry stops, the database is dropped and created empty.
    await registry.close();
    await pg.end();
    const name = new URL(stack.db.url).pathname.slice(1);
    const admin = new URL(stack.db.url);
    admin.pathname = '/postgres';
    const a = new Client({ connectionString: admin.toString() });
    await a.connect();
    await a.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await a.query(`CREATE DATABASE "${name}"`);
    await a.end();

    const back = await restore(ROOT, stack.db.url, dir, (l) => lines.push(l));
    expect(back.takenAt).toBe(manifest.takenAt);
    const c = new Client({ connectionString: stack.db.url });
    await c.connect();
    try {
      await c.query('SET search_path TO registry');
      expect((await c.query('SELECT id::text, action, entity_id, after::text FROM audit ORDER BY id')).rows).toEqual(
        auditBefore,
      );
      // The audit stays append-only after a restore: its trigger came back with it.
      await expect(c.query('DELETE FROM audit')).rejects.toThrow();
    } finally {
      await c.end();
    }

    // The next officer decides the open verification: the workflow in Temporal finds its rows again.
    restored = await startRegistry(stack.db.url, { TEMPORAL_ADDRESS: server.address });
    const token = await restored.token(users.villageA);
    const r2 = await restored.http
      .post(`/tasks/${visit.id}/decision`)
      .set('authorization', `Bearer ${token}`)
      .send({ decision: 'approve', comment: '入户核实属实', data: records.exitVisit() });
    expect(r2.status).toBe(200);
    expect(r2.body.step).toBe('village.notice');
    const detail = await restored.http.get(`/cases/${started.body.id}`).set('authorization', `Bearer ${token}`);
    expect(detail.body.notices).toHaveLength(1);
    process.stdout.write(`[backup] ${lines.join('\n[backup] ')}\n`);
  });
});
