import { composeIdNumber } from '@jingzhun/domain';

let counter = 0;
const salt = Math.floor(Math.random() * 5000);

/** A fresh valid ID number each call (unique within a test process). */
export function nextIdNumber(address = '411599', sex: 'MALE' | 'FEMALE' = 'MALE'): string {
  counter++;
  const day = (salt + counter) % 20000;
  const birth = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000);
  const seq = ((counter * 7) % 499) * 2 + (sex === 'MALE' ? 1 : 0);
  return composeIdNumber(address, birth, seq);
}
