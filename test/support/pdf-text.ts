import { spawn } from 'node:child_process';

/**
 * The text of a PDF, extracted by pdf-parse (pdf.js) in a child Node process: pdf.js loads its
 * worker with a dynamic import that jest's module VM does not allow.
 */
export function pdfText(pdf: Buffer): Promise<string> {
  const script = `
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => {
      const { PDFParse } = await import('pdf-parse');
      const r = await new PDFParse({ data: Buffer.concat(chunks) }).getText();
      process.stdout.write(r.text);
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pdf-parse failed (${code}): ${err}`))));
    child.stdin.end(pdf);
  });
}
