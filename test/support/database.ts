import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testEngines } from './engines';

function adminUrl(): URL {
  const u = new URL(testEngines.templateDatabaseUrl);
  u.pathname = '/postgres';
  return u;
}

/**
 * A database of the test file's own, cloned from the migrated template (CREATE DATABASE …
 * TEMPLATE is a file copy: milliseconds), so files never see each other's rows.
 */
export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = new URL(testEngines.templateDatabaseUrl).pathname.slice(1);
  const name = `${template}_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl().toString() });
  await admin.connect();
  try {
    // Two files may clone at once; PostgreSQL refuses a template in use by another clone, so retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        if (attempt > 50 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(testEngines.templateDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl().toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}
