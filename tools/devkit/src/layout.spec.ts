import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ERROR_CODES } from '@jingzhun/contracts/src/error-codes';

const ROOT = resolve(__dirname, '../../..');
const MAX_LINES = 300;

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'generated' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.spec\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every module a file imports, as a path under the repository (relative specifiers) or a package name. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(file), s)) : s));
}

function breaches(from: string, forbidden: (target: string) => boolean): string[] {
  return sources(join(ROOT, from)).flatMap((file) =>
    imports(file)
      .filter(forbidden)
      .map((target) => `${relative(ROOT, file)} → ${target}`),
  );
}

/**
 * Where an app's SQL may live: its stores, the registry's journal (the audit and outbox rows, written by
 * the platform's one journal writer) and each service's Prisma client itself.
 */
const STORE_FILE = /(\.store\.ts|\/journal\/journal\.ts|\/prisma\.service\.ts|\/prisma\/prisma\.service\.ts)$/;

/** The lines of a source that run SQL: a Prisma model call, a raw query, or a pg client's query. */
function sqlIn(text: string): string[] {
  const query =
    /\b(?:prisma|tx|db)\.(?!\$transaction\b)[a-zA-Z]+\.(?:find\w*|create\w*|update\w*|delete\w*|upsert|count|aggregate|groupBy)\(|\$(?:queryRaw|executeRaw)\w*|\b(?:client|pool|pg)\.query[<(]/;
  return text
    .split('\n')
    .filter((line) => query.test(line))
    .map((line) => line.trim());
}

/** The house's layout (STYLE.md): tools stand above the apps, libraries below them. */
describe('layout of the house', () => {
  it('nothing in libs/ imports from apps/ or tools/', () => {
    expect(
      breaches('libs', (t) => t.startsWith('apps/') || t.startsWith('tools/') || t.startsWith('@jingzhun/app-')),
    ).toEqual([]);
  });

  it('no app depends on the dev tools (the production worker builds its own workflow bundle)', () => {
    expect(breaches('apps', (t) => t.startsWith('tools/'))).toEqual([]);
  });

  it('the dev tools never import a bench (the benches have their own entry, bench/cli.ts)', () => {
    expect(breaches('tools', (t) => t.startsWith('bench/'))).toEqual([]);
  });

  it('no source file is over 300 lines (tests, generated code and fixtures aside)', () => {
    const tooLong = ['apps', 'libs', 'workflows', 'tools', 'bench', 'prisma']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .map((file) => ({ file: relative(ROOT, file), lines: lineCount(readFileSync(file, 'utf8')) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} 行`);
    expect(tooLong).toEqual([]);
  });

  it('in every app only stores run SQL: services, activities, controllers call stores (Prisma queries, raw SQL, COPY)', () => {
    const apps = readdirSync(join(ROOT, 'apps')).filter((a) => a !== 'console');
    expect(apps).toEqual(expect.arrayContaining(['registry', 'monitoring', 'notifications', 'worker']));
    const offenders = apps
      .flatMap((app) => sources(join(ROOT, 'apps', app, 'src')))
      .filter((file) => !STORE_FILE.test(file))
      .flatMap((file) => sqlIn(readFileSync(file, 'utf8')).map((line) => `${relative(ROOT, file)}: ${line}`));
    expect(offenders).toEqual([]);
  });

  it('the audit and outbox rows are written in one place, the platform journal writer, in every service', () => {
    const writes = ['apps', 'libs']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((file) => /INSERT INTO (audit|outbox)\b|\.(audit|outbox)\.create/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    // The import's bulk COPY of its per-household trail is the one other writer (COPY, not INSERT).
    expect(writes).toEqual(['libs/platform/src/journal/journal-writer.ts']);
  });

  it('an error code is named by its constant (libs/contracts error-codes), never matched or thrown as a literal', () => {
    const literals = ['apps', 'libs/platform', 'libs/domain', 'workflows']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((file) => !file.includes('/generated/'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return ERROR_CODES.filter((code) => text.includes(`'${code}'`)).map(
          (code) => `${relative(ROOT, file)}: '${code}'`,
        );
      });
    expect(ERROR_CODES.length).toBeGreaterThan(40);
    expect(literals).toEqual([]);
  });

  it('the SQL rule sees a query: a Prisma call, a raw query and a pg query are each reported, a transaction boundary is not', () => {
    expect(sqlIn('const h = await this.prisma.household.findUnique({ where: { id } });')).toHaveLength(1);
    expect(sqlIn('await tx.task.update({ where: { id }, data });')).toHaveLength(1);
    expect(sqlIn('const rows = await tx.$queryRaw`SELECT 1`;')).toHaveLength(1);
    expect(sqlIn("await client.query('SELECT 1');")).toHaveLength(1);
    expect(sqlIn('const { rows } = await this.pool.query<{ id: string }>(sql.text, sql.values);')).toHaveLength(1);
    expect(sqlIn('return this.prisma.$transaction(async (tx) => this.tasks.close(tx, i));')).toEqual([]);
  });

  it('the line rule counts as an editor does: a 301-line file is over, a 300-line one with a final newline is not', () => {
    expect(lineCount('x\n'.repeat(300))).toBe(300);
    expect(lineCount('x\n'.repeat(301)) > MAX_LINES).toBe(true);
  });

  it('the rule sees a breach: a libs file importing an app is reported', () => {
    const file = join(ROOT, 'libs/platform/src/index.ts');
    expect(imports(file).length).toBeGreaterThan(0);
    // The resolver turns a relative import into a repository path that the rule can judge.
    expect(relative(ROOT, resolve(dirname(file), '../../../apps/registry/src/app.module'))).toBe(
      'apps/registry/src/app.module',
    );
  });
});
