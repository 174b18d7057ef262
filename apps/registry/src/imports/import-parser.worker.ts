import { readFile } from 'node:fs/promises';
import { ImportFormatError, ImportLimitError, parseImportFile, type SheetLimits } from './import-parser';
import { readFirstSheet, XlsxFormatError } from './xlsx';

/** A household import (rows by the import's columns), or a sheet's raw rows (the province's problem list). */
export type ParserJob =
  | { kind: 'households'; path: string; fileName: string; limits: SheetLimits }
  | { kind: 'sheet'; path: string; limits: SheetLimits };

/**
 * The upload parser's process (forked by parse-upload.ts with a heap cap): reads the file from
 * disk, parses it within the limits, sends the rows back and exits.
 */
process.once('message', async (job: ParserJob) => {
  let reply: unknown;
  try {
    const file = await readFile(job.path);
    reply = {
      ok: true,
      rows:
        job.kind === 'sheet'
          ? await readFirstSheet(file, job.limits)
          : await parseImportFile(job.fileName, file, job.limits),
    };
  } catch (err) {
    const kind =
      err instanceof ImportLimitError
        ? 'limit'
        : err instanceof ImportFormatError || err instanceof XlsxFormatError
          ? 'format'
          : 'unreadable';
    reply = {
      ok: false,
      kind,
      status: err instanceof ImportLimitError ? err.status : 400,
      message: (err as Error).message,
    };
  }
  process.send!(reply, () => process.exit(0));
});
