import { within } from './within';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('within: a promise or a fallback after a time', () => {
  it('answers the promise when it settles first, and leaves no timer behind (a closing process would wait for it)', async () => {
    const before = timers();
    await expect(within(Promise.resolve('done'), 60_000, 'late')).resolves.toBe('done');
    expect(timers()).toBe(before);
  });

  it('answers the fallback when the time passes first', async () => {
    await expect(within(new Promise<string>(() => undefined), 20, 'late')).resolves.toBe('late');
  });
});
