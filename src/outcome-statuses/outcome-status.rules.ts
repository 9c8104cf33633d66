import { ValidationError } from '../common/errors/domain-errors';
import type { CallbackVisibility, OutcomeType } from './outcome-status.entity';

/** What a type means, for API clients and pages (the letter alone says little). */
export const OUTCOME_TYPE_NAMES = {
  R: 'callback',
  N: 'negative',
  C: 'close',
  T: 'appointment',
} as const satisfies Record<OutcomeType, string>;

export const RETRY_AFTER_MINUTES = { min: 1, max: 10_080 } as const; // up to a week
export const MAX_ATTEMPTS = { min: 1, max: 50 } as const;
export const QUICK_ORDER = { min: 1, max: 9 } as const; // the hotkeys 1-9

/** The settings whose meaning depends on the status type. */
export interface StatusTypeSettings {
  type: OutcomeType;
  quick: boolean;
  quickOrder: number | null;
  callbackVisibility: CallbackVisibility | null;
  retryAfterMinutes: number | null;
  maxAttempts: number | null;
  doNotCall: boolean;
  customerReached: boolean;
}

/** A request's view of them: undefined = not mentioned, null = cleared. */
export type AskedTypeSettings = {
  [K in keyof StatusTypeSettings]?: StatusTypeSettings[K] | null;
};

/**
 * The settings a status ends up with when `asked` is applied to `current` (null when
 * creating). A field the request names but the type does not allow is a 400 naming it;
 * a stored one the new type does not allow is cleared (changing R to N drops the
 * callback visibility). Callback visibility only for R (default private), retry rule
 * only for N and both-or-neither, do-not-call only for N and never with a retry rule,
 * quick order 1-9 exactly when the status is a quick button, "customer not reached" only
 * for N (R, C and T mean the operator spoke to the customer).
 */
export function settleTypeSettings(
  current: StatusTypeSettings | null,
  asked: AskedTypeSettings,
): StatusTypeSettings {
  const type = asked.type ?? current?.type;
  if (!type)
    throw new ValidationError('type', 'type is required').say('statuses.errors.typeRequired');
  const kept = <K extends keyof StatusTypeSettings>(key: K): StatusTypeSettings[K] | null => {
    const value = asked[key];
    if (value !== undefined) return value;
    return current ? current[key] : null;
  };
  const refuse = (field: keyof StatusTypeSettings, allowed: string): never => {
    throw new ValidationError(field, `${field} is only allowed for ${allowed}`).say(
      `statuses.errors.onlyFor.${field}`,
    );
  };

  let callbackVisibility: CallbackVisibility | null = null;
  if (type === 'R') {
    callbackVisibility = kept('callbackVisibility') ?? 'private';
  } else if (asked.callbackVisibility != null) {
    refuse('callbackVisibility', 'type R (callback) statuses');
  }

  let retryAfterMinutes: number | null = null;
  let maxAttempts: number | null = null;
  let doNotCall = false;
  let customerReached = true;
  if (type === 'N') {
    customerReached = kept('customerReached') ?? true;
    retryAfterMinutes = kept('retryAfterMinutes');
    maxAttempts = kept('maxAttempts');
    if (retryAfterMinutes !== null && maxAttempts === null) {
      throw new ValidationError(
        'maxAttempts',
        'maxAttempts is required with retryAfterMinutes (a retry rule needs both)',
      ).say('statuses.errors.retryNeedsBoth');
    }
    if (maxAttempts !== null && retryAfterMinutes === null) {
      throw new ValidationError(
        'retryAfterMinutes',
        'retryAfterMinutes is required with maxAttempts (a retry rule needs both)',
      ).say('statuses.errors.retryNeedsBoth');
    }
    doNotCall = kept('doNotCall') ?? false;
    if (doNotCall && retryAfterMinutes !== null) {
      const field = asked.doNotCall ? 'doNotCall' : 'retryAfterMinutes';
      throw new ValidationError(
        field,
        `${field}: a do-not-call status cannot also have a retry rule (it would call the contact again)`,
      ).say('statuses.errors.doNotCallRetry');
    }
  } else {
    if (asked.retryAfterMinutes != null) refuse('retryAfterMinutes', 'type N (negative) statuses');
    if (asked.maxAttempts != null) refuse('maxAttempts', 'type N (negative) statuses');
    if (asked.doNotCall === true) refuse('doNotCall', 'type N (negative) statuses');
    // A callback agreed, a sale or an appointment: the customer was reached.
    if (asked.customerReached === false) {
      refuse('customerReached', 'type N (negative) statuses: false');
    }
  }

  const quick = kept('quick') ?? false;
  let quickOrder: number | null = null;
  if (quick) {
    quickOrder = kept('quickOrder');
    if (quickOrder === null) {
      throw new ValidationError(
        'quickOrder',
        'quickOrder (1-9, the hotkey) is required for a quick status',
      ).say('statuses.errors.quickOrderRequired');
    }
  } else if (asked.quickOrder != null) {
    throw new ValidationError('quickOrder', 'quickOrder is only allowed when quick is true').say(
      'statuses.errors.quickOrderWithoutQuick',
    );
  }

  return {
    type,
    quick,
    quickOrder,
    callbackVisibility,
    retryAfterMinutes,
    maxAttempts,
    doNotCall,
    customerReached,
  };
}
