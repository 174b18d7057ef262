import { readFile } from 'node:fs/promises';
import { ImportFormatError, ImportLimitError, parseImportFile, type SheetLimits } from './import-parser';

/**
 * The upload parser's process (forked by parse-upload.ts with a heap cap): reads the file from
 * disk, parses it within the limits, sends the rows back and exits.
 */
process.once('message', async (job: { path: string; fileName: string; limits: SheetLimits }) => {
  let reply: unknown;
  try {
    reply = { ok: true, rows: await parseImportFile(job.fileName, await readFile(job.path), job.limits) };
  } catch (err) {
    const kind = err instanceof ImportLimitError ? 'limit' : err instanceof ImportFormatError ? 'format' : 'unreadable';
    reply = { ok: false, kind, status: err instanceof ImportLimitError ? err.status : 400, message: (err as Error).message };
  }
  process.send!(reply, () => process.exit(0));
});
