/**
 * `p`, or `fallback` once `ms` have passed, whichever comes first. The timer is cleared as soon as `p`
 * settles: a pending timer would hold a closing process (and jest) up to `ms` after everything stopped.
 */
export function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
