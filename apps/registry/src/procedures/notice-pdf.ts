import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * The CJK font embedded in printed notices: Noto Sans Hans from the npm package
 * @embedpdf/fonts-sc (installed with the project, never downloaded at run time).
 * NOTICE_FONT may point at another OTF/TTF.
 */
function fontPath(weight: 'Regular' | 'Bold'): string {
  const override =
    weight === 'Regular' ? process.env.NOTICE_FONT : (process.env.NOTICE_FONT_BOLD ?? process.env.NOTICE_FONT);
  if (override) return override;
  // The package exports only its JS entry, so its fonts are found along the module search paths.
  for (const dir of require.resolve.paths('@embedpdf/fonts-sc') ?? []) {
    const file = join(dir, '@embedpdf/fonts-sc/fonts', `NotoSansHans-${weight}.otf`);
    if (existsSync(file)) return file;
  }
  throw new Error('找不到公示用中文字体 (@embedpdf/fonts-sc); 请运行 npm ci');
}

const loaded = new Map<string, Buffer>();
/** Read once per process: the fonts are 8 MB each, a village prints many notices. */
export function cjkFont(weight: 'Regular' | 'Bold'): Buffer {
  let b = loaded.get(weight);
  if (!b) {
    b = readFileSync(fontPath(weight));
    loaded.set(weight, b);
  }
  return b;
}

export interface PrintableNotice {
  title: string;
  /** The notice's text as published: built only from fields that carry no ID number, phone or account. */
  body: string;
  placeName: string;
}

/**
 * An A4 PDF with the CJK fonts registered as 'body' and 'title': `draw` writes its pages, and the
 * bytes come back once the document has ended.
 */
export function renderPdf(
  title: string,
  margin: number,
  draw: (doc: PDFKit.PDFDocument) => void,
  autoFirstPage = true,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: margin, bottom: margin, left: margin, right: margin },
      info: { Title: title, Creator: '精准 扶贫对象动态管理' },
      autoFirstPage,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('body', cjkFont('Regular'));
    doc.registerFont('title', cjkFont('Bold'));
    draw(doc);
    doc.end();
  });
}

/** Renders a notice for the village board: A4, the title, the published text, and the posting place. */
export function renderNoticePdf(n: PrintableNotice): Promise<Buffer> {
  return renderPdf(n.title, 72, (doc) => {
    doc.font('title').fontSize(20).text(n.title, { align: 'center' });
    doc.moveDown(1.5);
    // The first line of the body repeats the title; the board shows it once.
    const lines = n.body.split('\n');
    const text = (lines[0] === n.title ? lines.slice(1) : lines).join('\n').trim();
    doc.font('body').fontSize(13).text(text, { align: 'left', lineGap: 6, paragraphGap: 4 });
  });
}
