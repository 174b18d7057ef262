import { cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  op: string;
  /** The arguments as written (flags included). */
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/**
 * The stages of a Dockerfile, each with its instructions (comments and parser directives dropped).
 * A stage built FROM an earlier stage starts with that stage's instructions: it inherits its files
 * and settings, so what it installs is decided by what its parent copied too.
 */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = line.replace(/\\\s*$/, ' ') + lines[++i].trim();
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(trimmed);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read "${trimmed}"`);
    const ins: Instruction = { op: m[1].toUpperCase(), args: m[2].trim(), line: start + 1 };
    if (ins.op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!f) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${ins.args}`);
      const parent = stages.find((st) => st.name === f[1]);
      stages.push({
        name: f[2] ?? String(stages.length),
        base: f[1],
        instructions: parent ? [...parent.instructions] : [],
      });
    } else {
      if (!stages.length) throw new Error(`Dockerfile line ${start + 1}: ${ins.op} before FROM`);
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

/** A COPY or ADD: its --from (if any), its sources and its destination. */
export function copyOf(ins: Instruction): { from?: string; sources: string[]; dest: string } {
  const words = ins.args.trim().startsWith('[') ? (JSON.parse(ins.args) as string[]) : ins.args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const rest = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: rest.slice(0, -1), dest: rest[rest.length - 1] };
}

/** The stage's working directory at an instruction (the last WORKDIR before it; / when none). */
export function workdirAt(stage: Stage, index: number): string {
  let dir = '/';
  for (const ins of stage.instructions.slice(0, index)) if (ins.op === 'WORKDIR') dir = posix.resolve(dir, ins.args);
  return dir;
}

/** Where `npm ci` runs in a stage: the first RUN with it, its own command (not what is chained to it), and what is copied from the context before it. */
export function npmInstallOf(
  stage: Stage,
): { command: string; workdir: string; copies: { sources: string[]; dest: string }[] } | null {
  const at = stage.instructions.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
  if (at < 0) return null;
  const command = stage.instructions[at].args
    .split('&&')
    .map((s) => s.trim())
    .find((s) => s.startsWith('npm ci'))!;
  const copies = stage.instructions
    .slice(0, at)
    .filter((i) => i.op === 'COPY' || i.op === 'ADD')
    .map(copyOf)
    .filter((c) => !c.from)
    .map((c) => ({ sources: c.sources, dest: c.dest }));
  return { command, workdir: workdirAt(stage, at), copies };
}

/**
 * Performs one COPY as Docker does, from the build context into `root` (the image's file system
 * below `imageDir`, e.g. /app): a directory's contents go into the destination; several sources
 * or a destination ending in / put each source inside it.
 */
export function copyInto(
  context: string,
  root: string,
  imageDir: string,
  workdir: string,
  sources: string[],
  dest: string,
): string[] {
  const destAbs = posix.resolve(workdir, dest);
  const rel = posix.relative(imageDir, destAbs);
  if (rel.startsWith('..')) throw new Error(`COPY to ${destAbs} lies outside ${imageDir}`);
  const target = join(root, rel);
  const intoDir = dest.endsWith('/') || dest === '.' || sources.length > 1;
  const copied: string[] = [];
  for (const src of sources) {
    const from = join(context, src);
    if (statSync(from).isDirectory()) {
      cpSync(from, target, { recursive: true });
    } else {
      const to = intoDir ? join(target, posix.basename(src)) : target;
      mkdirSync(intoDir ? target : join(to, '..'), { recursive: true });
      cpSync(from, to);
    }
    copied.push(src);
  }
  return copied;
}

/**
 * What `npm ci` silently leaves out: the lockfile's packages (workspaces and their links
 * included) that are not in the tree it installed. npm ci succeeds when a workspace's
 * package.json is missing; its hidden lockfile then lacks that workspace.
 */
export function missingFromInstall(dir: string, omitDev: boolean): string[] {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages as Record<
    string,
    { dev?: boolean; optional?: boolean }
  >;
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8'))
    .packages as Record<string, unknown>;
  return Object.entries(lock)
    .filter(([key, p]) => key !== '' && !p.optional && !(omitDev && p.dev) && !(key in installed))
    .map(([key]) => key);
}

/** A JSON-form command (CMD ["node", …], HEALTHCHECK … CMD ["node", …]) as its words. */
export function execForm(args: string): string[] {
  const words = JSON.parse(args.slice(args.indexOf('[')));
  if (!Array.isArray(words)) throw new Error(`not an exec-form command: ${args}`);
  return words as string[];
}
