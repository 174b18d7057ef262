import { ImportError } from '@jingzhun/contracts';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DomainException } from '@jingzhun/platform';
import type { ParsedRow, SheetLimits } from './import-parser';
import type { ParserJob } from './import-parser.worker';
import type { SheetRow } from './xlsx';

const ENTRY = join(__dirname, `import-parser.worker${extname(__filename)}`);
/** Running from TypeScript sources (dev, tests): the child loads them through the same register hook. */
const REGISTER = join(__dirname, '..', '..', '..', '..', 'tools', 'devkit', 'register.js');

type Reply<T> =
  | { ok: true; rows: T[] }
  | { ok: false; kind: 'limit' | 'format' | 'unreadable'; status: 400 | 413; message: string };

/**
 * Parsers running at once in this process (#22: four 2 MB uploads ran four children, 1.4 GB): past
 * it an upload is refused with 503 and Retry-After instead of queueing memory.
 */
const MAX_PARSERS = Math.max(1, Number(process.env.IMPORT_PARSERS ?? 2));
let running = 0;

const busy = () =>
  new DomainException(
    503,
    ImportError.ImportBusy,
    `file: 正在解析其他上传的文件 (同时最多 ${MAX_PARSERS} 个), 请 30 秒后重试`,
    {
      retryAfterSeconds: 30,
      issues: [{ path: 'file', message: 'parsers busy' }],
    },
  );

const tooLarge = (memoryMb: number) =>
  new DomainException(
    413,
    ImportError.ImportTooLarge,
    `file: 文件解析所需内存超过 ${memoryMb} MB 上限, 请拆分后分批导入`,
    {
      issues: [{ path: 'file', message: 'out of memory' }],
    },
  );

/**
 * Parses an upload that multer streamed to disk, in a child process with a heap cap (`memoryMb`):
 * the registry's event loop keeps answering and its memory stays its own while a sheet is read; a
 * file that would need more memory than allowed ends the child (a 413), not the registry.
 */
export function parseUpload(
  path: string,
  fileName: string,
  limits: SheetLimits,
  memoryMb: number,
): Promise<ParsedRow[]> {
  return runParser<ParsedRow>({ kind: 'households', path, fileName, limits }, memoryMb);
}

/** A sheet's raw rows (the province's problem list), read the same way: its own process, its own limits. */
export function parseSheetUpload(path: string, limits: SheetLimits, memoryMb: number): Promise<SheetRow[]> {
  return runParser<SheetRow>({ kind: 'sheet', path, limits }, memoryMb);
}

async function runParser<T>(job: ParserJob, memoryMb: number): Promise<T[]> {
  if (running >= MAX_PARSERS) throw busy();
  running++;
  try {
    return await forkParser<T>(job, memoryMb);
  } finally {
    running--;
  }
}

function forkParser<T>(job: ParserJob, memoryMb: number): Promise<T[]> {
  const fromSources = extname(__filename) === '.ts';
  if (fromSources && !existsSync(REGISTER)) throw new Error(`register hook missing: ${REGISTER}`);
  const child = fork(ENTRY, [], {
    execArgv: [...(fromSources ? ['-r', REGISTER] : []), `--max-old-space-size=${memoryMb}`, '--max-semi-space-size=4'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<T[]>((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    child.once('message', (reply: Reply<T>) =>
      done(() => {
        if (reply.ok) return resolve(reply.rows);
        const code =
          reply.kind === 'limit'
            ? reply.status === 413
              ? ImportError.ImportTooLarge
              : ImportError.ImportTooWide
            : ImportError.ImportUnreadable;
        reject(
          new DomainException(
            reply.status,
            code,
            `file: ${reply.kind === 'unreadable' ? `文件无法读取: ${reply.message}` : reply.message}`,
            { issues: [{ path: 'file', message: reply.message }] },
          ),
        );
      }),
    );
    child.once('error', (err) => done(() => reject(err)));
    // V8 ends a process whose heap hits its cap (exit code 134 / SIGABRT): the file needed too much.
    child.once('exit', (code, signal) =>
      done(() =>
        reject(
          code === 134 || signal === 'SIGABRT' || signal === 'SIGKILL'
            ? tooLarge(memoryMb)
            : new Error(`import parser exited (${code ?? signal}) without an answer`),
        ),
      ),
    );
    child.send(job);
  });
}
