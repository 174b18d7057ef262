import { ImportError } from '@jingzhun/contracts';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DomainException } from '@jingzhun/platform';
import type { PdfJob } from './pdf-job';

const ENTRY = join(__dirname, `pdf.worker${extname(__filename)}`);
/** Running from TypeScript sources (dev, tests): the thread loads them through the same register hook. */
const REGISTER = join(__dirname, '..', '..', '..', '..', 'tools', 'devkit', 'register.js');

/** Renderer threads per registry process, and PDFs one person may have in flight at once (#22). */
export const PDF_THREADS = Math.max(1, Number(process.env.PDF_THREADS ?? 2));
export const PDF_PER_USER = 2;

interface Pending {
  resolve: (pdf: Buffer) => void;
  reject: (err: Error) => void;
}

/**
 * PDFs off the event loop (#22: ten comparison-sheet requests pushed /health/live to 2.4 s): laid out
 * in worker threads, queued in order, at most `PDF_PER_USER` in flight per person (a 429 beyond it,
 * with Retry-After). Threads start on first use and end with the app.
 */
@Injectable()
export class PdfRenderer implements OnApplicationShutdown {
  private readonly threads: { worker: Worker; busy: boolean }[] = [];
  private readonly queue: { id: number; job: PdfJob; pending: Pending }[] = [];
  private readonly pending = new Map<number, { pending: Pending; thread: { worker: Worker; busy: boolean } }>();
  private readonly perUser = new Map<string, number>();
  private nextId = 1;

  async render(userId: string, job: PdfJob): Promise<Buffer> {
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= PDF_PER_USER)
      throw new DomainException(429, ImportError.PdfBusy, `您已有 ${PDF_PER_USER} 份文件正在生成, 请稍后再试`, {
        retryAfterSeconds: 5,
      });
    this.perUser.set(userId, mine + 1);
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        this.queue.push({ id: this.nextId++, job, pending: { resolve, reject } });
        this.dispatch();
      });
    } finally {
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => !t.busy);
      if (!thread && this.threads.length < PDF_THREADS) thread = this.start();
      if (!thread) return;
      const next = this.queue.shift()!;
      thread.busy = true;
      this.pending.set(next.id, { pending: next.pending, thread });
      thread.worker.postMessage({ id: next.id, job: next.job });
    }
  }

  private start(): { worker: Worker; busy: boolean } {
    const fromSources = extname(__filename) === '.ts';
    if (fromSources && !existsSync(REGISTER)) throw new Error(`register hook missing: ${REGISTER}`);
    const worker = fromSources
      ? new Worker(`require(${JSON.stringify(REGISTER)}); require(${JSON.stringify(ENTRY)});`, { eval: true })
      : new Worker(ENTRY);
    const thread = { worker, busy: false };
    worker.on(
      'message',
      (m: { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; message: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        thread.busy = false;
        if (m.ok) p.pending.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
        else p.pending.reject(new Error(m.message));
        this.dispatch();
      },
    );
    worker.on('error', (err) => this.fail(thread, err));
    worker.on('exit', (code) => this.fail(thread, new Error(`PDF renderer thread exited (${code})`)));
    worker.unref();
    this.threads.push(thread);
    return thread;
  }

  /** A thread that died fails what it held; the next job starts a new one. */
  private fail(thread: { worker: Worker; busy: boolean }, err: Error): void {
    const i = this.threads.indexOf(thread);
    if (i < 0) return;
    this.threads.splice(i, 1);
    for (const [id, p] of this.pending) {
      if (p.thread !== thread) continue;
      this.pending.delete(id);
      p.pending.reject(err);
    }
    this.dispatch();
  }

  async onApplicationShutdown(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
