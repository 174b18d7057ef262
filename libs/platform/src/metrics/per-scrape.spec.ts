import { perScrape } from './metrics.service';

describe('perScrape', () => {
  it('shares one read among the calls of a scrape and reads again after the window', async () => {
    let clock = 0;
    let reads = 0;
    const read = perScrape(
      async () => ++reads,
      1000,
      () => clock,
    );
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    clock = 999;
    expect(await read()).toBe(1);
    clock = 1000;
    expect(await read()).toBe(2);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    let clock = 0;
    let fail = true;
    const read = perScrape(
      async () => {
        if (fail) throw new Error('down');
        return 'ok';
      },
      1000,
      () => clock,
    );
    await expect(read()).rejects.toThrow('down');
    fail = false;
    clock = 1;
    expect(await read()).toBe('ok');
  });
});
