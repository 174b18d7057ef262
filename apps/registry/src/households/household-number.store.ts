import type { Tx } from '../prisma/prisma.service';

/**
 * Allocates `count` consecutive household numbers in a village: 户编号 = village code + 5-digit
 * sequence. Atomic under concurrency (row lock on the village's counter).
 */
export async function allocateHouseholdNumbers(
  tx: Pick<Tx, '$queryRaw'>,
  villageCode: string,
  count = 1,
): Promise<string[]> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO household_number_counter (village_code, last) VALUES (${villageCode}, ${count})
    ON CONFLICT (village_code) DO UPDATE SET last = household_number_counter.last + ${count}
    RETURNING last`;
  const last = Number(rows[0].last);
  return Array.from({ length: count }, (_, i) => villageCode + String(last - count + 1 + i).padStart(5, '0'));
}
