import { actionsFor, backoffMs, outcomeOf } from './outbox-policy';

describe('the outbox (#24)', () => {
  it('sends again only what may succeed later, and asks the user about the rest', () => {
    expect([200, 201].map(outcomeOf)).toEqual(['sent', 'sent']);
    expect([null, 500, 502, 503, 429].map(outcomeOf)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect(outcomeOf(401)).toBe('signin');
    expect([400, 413, 415].map(outcomeOf)).toEqual(['invalid', 'invalid', 'invalid']);
    expect([403, 404, 409, 422].map(outcomeOf)).toEqual(['conflict', 'conflict', 'conflict', 'conflict']);
  });

  it('backs off from 5 s to 5 minutes, and longer when the server says so', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(20)).toBe(300_000);
    expect(backoffMs(1, 60)).toBe(60_000);
  });

  it('offers to send a revisit as a new record only when its task was decided or closed meanwhile', () => {
    expect(actionsFor('conflict', 'TASK_ALREADY_DECIDED')).toEqual(['resend', 'reopen', 'discard']);
    expect(actionsFor('conflict', 'ENTRY_CLOSED')).toEqual(['reopen', 'discard']);
    expect(actionsFor('invalid', 'VALIDATION_FAILED')).toEqual(['reopen', 'discard']);
    expect(actionsFor('retrying')).toEqual([]);
  });
});
