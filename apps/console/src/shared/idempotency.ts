import { useCallback, useRef } from 'react';

/**
 * One Idempotency-Key per submit: a double click or a retried request sends the same key and is
 * decided once; after a refusal the next submit gets a new key.
 */
export function useIdempotencyKey(): { key: () => string; renew: () => void } {
  const ref = useRef<string>(crypto.randomUUID());
  const renew = useCallback(() => {
    ref.current = crypto.randomUUID();
  }, []);
  return { key: () => ref.current, renew };
}
