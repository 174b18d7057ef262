/** mulberry32: a small seeded PRNG, so the demo county is the same on every machine. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    weighted: <T extends string>(weights: Record<T, number>): T => {
      const total = Object.values<number>(weights).reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (const [k, w] of Object.entries<number>(weights)) {
        r -= w;
        if (r < 0) return k as T;
      }
      return Object.keys(weights)[0] as T;
    },
  };
}
export type Random = ReturnType<typeof seededRandom>;
