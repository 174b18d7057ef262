import { parentPort } from 'node:worker_threads';
import { renderComparisonSheets } from '../campaigns/comparison-sheet';
import { renderNoticePdf } from '../procedures/notice-pdf';
import type { PdfJob } from './pdf-job';

/**
 * A PDF renderer thread (pdf-renderer.ts starts them): lays out notices and comparison sheets with
 * the embedded CJK font (read once per thread), so the registry's event loop keeps answering.
 */
parentPort!.on('message', async ({ id, job }: { id: number; job: PdfJob }) => {
  try {
    const pdf =
      job.kind === 'sheets' ? await renderComparisonSheets(job.title, job.sheets) : await renderNoticePdf(job.notice);
    const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength).slice();
    parentPort!.postMessage({ id, ok: true, pdf: bytes }, [bytes.buffer]);
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, message: (err as Error).message });
  }
});
