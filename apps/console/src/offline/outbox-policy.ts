import { CaseError } from '@jingzhun/contracts/src/error-codes';

/**
 * What the outbox does with an answer (#24): pure, so the rules are tested without a browser.
 * - sent: 2xx, the record is in the registry (a repeat with the same Idempotency-Key answers the first result);
 * - retry: no network, a 5xx, 429 or 503: again later, with backoff, and the items after it wait (order is kept);
 * - signin: 401, the session ended: kept until the user signs in again;
 * - invalid: 400, 413, 415: the form (or a photo) needs changing: the user re-opens it;
 * - conflict: 403, 404, 409, 422: the world changed meanwhile (decided, closed, the window shut): the user decides.
 */
export type Outcome = 'sent' | 'retry' | 'signin' | 'invalid' | 'conflict';

export function outcomeOf(status: number | null): Outcome {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'sent';
  if (status === 401) return 'signin';
  if (status === 429 || status >= 500) return 'retry';
  if (status === 400 || status === 413 || status === 415) return 'invalid';
  return 'conflict';
}

/** Waits between attempts: 5 s doubling to 5 minutes, or the server's Retry-After when longer. */
export function backoffMs(attempts: number, retryAfterSeconds?: number | null): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 300_000);
  return Math.max(base, (retryAfterSeconds ?? 0) * 1000);
}

/** What the user can do with an item: discard it, re-open its form, or send it again as a new record where the law allows. */
export function actionsFor(
  state: 'waiting' | 'sending' | 'retrying' | 'conflict' | 'invalid',
  code?: string,
): ('discard' | 'reopen' | 'resend')[] {
  if (state === 'invalid') return ['reopen', 'discard'];
  if (state !== 'conflict') return [];
  // A revisit whose task was decided or closed meanwhile may be recorded on the household's open revisit (the next one).
  const asNew = [CaseError.TaskAlreadyDecided, CaseError.StepNotOpen, CaseError.CaseClosed].includes(code as never);
  return asNew ? ['resend', 'reopen', 'discard'] : ['reopen', 'discard'];
}
