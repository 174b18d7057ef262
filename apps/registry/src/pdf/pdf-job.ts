import type { SheetHousehold } from '../campaigns/comparison-sheet';
import type { PrintableNotice } from '../procedures/notice-pdf';

/** What a renderer thread lays out: plain data, copied to the thread. */
export type PdfJob =
  | { kind: 'sheets'; title: string; sheets: SheetHousehold[] }
  | { kind: 'notice'; notice: PrintableNotice };
