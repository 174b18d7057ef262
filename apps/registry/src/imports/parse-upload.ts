import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DomainException } from '@jingzhun/platform';
import type { ParsedRow, SheetLimits } from './import-parser';

const ENTRY = join(__dirname, `import-parser.worker${extname(__filename)}`);
/** Running from TypeScript sources (dev, tests): the child loads them through the same register hook. */
const REGISTER = join(__dirname, '..', '..', '..', '..', 'tools', 'devkit', 'register.js');

type Reply = { ok: true; rows: ParsedRow[] } | { ok: false; kind: 'limit' | 'format' | 'unreadable'; status: 400 | 413; message: string };

const tooLarge = (memoryMb: number) => new DomainException(413, 'IMPORT_TOO_LARGE', `file: 文件解析所需内存超过 ${memoryMb} MB 上限, 请拆分后分批导入`, { issues: [{ path: 'file', message: 'out of memory' }] });

/**
 * Parses an upload that multer streamed to disk, in a child process with a heap cap (`memoryMb`):
 * the registry's event loop keeps answering and its memory stays its own while a sheet is read; a
 * file that would need more memory than allowed ends the child (a 413), not the registry.
 */
export function parseUpload(path: string, fileName: string, limits: SheetLimits, memoryMb: number): Promise<ParsedRow[]> {
  const fromSources = extname(__filename) === '.ts';
  if (fromSources && !existsSync(REGISTER)) throw new Error(`register hook missing: ${REGISTER}`);
  const child = fork(ENTRY, [], {
    execArgv: [...(fromSources ? ['-r', REGISTER] : []), `--max-old-space-size=${memoryMb}`, '--max-semi-space-size=4'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<ParsedRow[]>((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    child.once('message', (reply: Reply) =>
      done(() => {
        if (reply.ok) return resolve(reply.rows);
        const code = reply.kind === 'limit' ? (reply.status === 413 ? 'IMPORT_TOO_LARGE' : 'IMPORT_TOO_WIDE') : 'IMPORT_UNREADABLE';
        reject(new DomainException(reply.status, code, `file: ${reply.kind === 'unreadable' ? `文件无法读取: ${reply.message}` : reply.message}`, { issues: [{ path: 'file', message: reply.message }] }));
      }),
    );
    child.once('error', (err) => done(() => reject(err)));
    // V8 ends a process whose heap hits its cap (exit code 134 / SIGABRT): the file needed too much.
    child.once('exit', (code, signal) => done(() => reject(code === 134 || signal === 'SIGABRT' || signal === 'SIGKILL' ? tooLarge(memoryMb) : new Error(`import parser exited (${code ?? signal}) without an answer`))));
    child.send({ path, fileName, limits });
  });
}
