import { uuidv7 } from './uuidv7';

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID carrying the millisecond time', () => {
    const id = uuidv7(Date.UTC(2026, 10, 29));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 29));
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_800_000_000_000 + Math.floor(i / 100)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
