import { createHmac } from 'node:crypto';

/**
 * SMS through an HTTP gateway webhook: POST { id, to, text } as JSON, signed with
 * `X-Jz-Signature: sha256=<hex HMAC-SHA256 of the body>`; `Idempotency-Key` = delivery id, so a
 * gateway can drop the repeat of a send whose answer was lost. Any non-2xx answer is a failure.
 */
export async function sendSms(url: string, secret: string, m: { id: string; to: string; text: string }): Promise<void> {
  const body = JSON.stringify(m);
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-jz-signature': `sha256=${signature}`, 'idempotency-key': m.id },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
}

export function verifySmsSignature(secret: string, body: string, header: string | undefined): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return header === expected;
}
