import { createHmac } from 'node:crypto';

/**
 * The signature a delivery carries in `X-Esito-Signature`: `sha256=` and the hex HMAC-SHA256,
 * keyed with the endpoint's secret, of `<X-Esito-Timestamp>.<raw body>`. The timestamp is
 * signed with the body so that a captured delivery cannot be replayed later with a new
 * timestamp; a receiver recomputes it over the bytes it received, compares in constant
 * time, and refuses a timestamp too far from its own clock (e.g. 5 minutes).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
