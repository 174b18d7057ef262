import { randomFillSync } from 'node:crypto';

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Time-ordered keys go to the right
 * edge of B-tree indexes instead of random pages: bulk imports write several times faster.
 * A counter in the random part keeps ids from one millisecond in order.
 */
const pool = Buffer.alloc(16 * 256);
let offset = pool.length;
let lastMs = 0;
let seq = 0;

export function uuidv7(now: number = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const b = pool.subarray(offset, offset + 16);
  offset += 16;
  if (now === lastMs) seq = (seq + 1) & 0xfff;
  else {
    lastMs = now;
    seq = b[6] & 0x0f; // random start, leaves room to count up within the millisecond
  }
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = 0x70 | ((seq >>> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
