import { type CallingWindow, nextCallingMoment } from '../campaigns/calling-hours';
import type { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';

/** What a not-reached outcome does to the contact's place in the queue. */
export type RetryDecision =
  /** Called again from `at` (the delay, moved into the next calling window). */
  | { requeue: true; at: Date }
  /**
   * Final; `lastAttemptFailed` when a retry rule applied but leaves no further call (its
   * attempts are spent, or the calling hours offer no moment to call again).
   */
  | { requeue: false; lastAttemptFailed: boolean };

/**
 * Invariant 7: a status with a retry rule re-queues the contact after its delay, up to its
 * maximum of attempts (this one included); then, or when the calling hours leave no moment
 * to call again, the contact is final. A status without one makes it final.
 */
export function retryRule(
  status: Pick<OutcomeStatus, 'retryAfterMinutes' | 'maxAttempts'>,
  attemptsBefore: number,
  campaign: CallingWindow,
  now: Date,
): RetryDecision {
  if (status.retryAfterMinutes === null) return { requeue: false, lastAttemptFailed: false };
  const attempts = attemptsBefore + 1;
  const retriesLeft = status.maxAttempts === null || attempts < status.maxAttempts;
  const at = retriesLeft
    ? nextCallingMoment(campaign, new Date(now.getTime() + status.retryAfterMinutes * 60_000))
    : null;
  return at ? { requeue: true, at } : { requeue: false, lastAttemptFailed: true };
}
