import { download } from '../api/http';

/** Opens a server-rendered file (PDF) in a new tab, or saves it (XLSX), through the same origin and token. */
export async function openFile(path: string, fileName: string, save = false): Promise<void> {
  const blob = await download(path);
  const url = URL.createObjectURL(blob);
  if (save) {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
  } else {
    window.open(url, '_blank', 'noopener');
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
