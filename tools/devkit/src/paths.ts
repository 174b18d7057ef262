import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const DATA = join(ROOT, '.data');

export function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} 未设置 (请通过 npm run … 启动, bootstrap 会设置它)`);
  return v;
}
