import type { OutcomeStatus, OutcomeType } from './outcome-status.entity';

/**
 * What confirming a status asks of the operator besides the status itself: the one rule
 * the outcome (work/outcome.service.ts) applies and the campaign's wrap-up is checked
 * against (a status confirmed by itself cannot fill anything in).
 */

/** The part of the outcome each type cannot go without: the agreed callback, the cart, the appointment. */
export const TYPE_FORMS = {
  R: 'callback',
  N: null,
  C: 'cart',
  T: 'appointment',
} as const satisfies Record<OutcomeType, 'callback' | 'cart' | 'appointment' | null>;

export type OutcomeForm = NonNullable<(typeof TYPE_FORMS)[OutcomeType]>;

/** The workflow steps whose answer is captured with the outcome. */
export const ANSWERED_STEP_KINDS = ['question', 'consent'] as const;

interface StepLike {
  kind: string;
  required: boolean;
}

/**
 * The steps that must be answered to confirm `status`: the required question and consent
 * steps, and only when the customer was reached (invariant 12).
 */
export function stepsNeedingAnswers<S extends StepLike>(
  status: Pick<OutcomeStatus, 'customerReached'>,
  steps: readonly S[],
): S[] {
  if (!status.customerReached) return [];
  return steps.filter(
    (step) => step.required && (ANSWERED_STEP_KINDS as readonly string[]).includes(step.kind),
  );
}

export interface OutcomeNeeds<S> {
  /** The sub-form its type needs (null for N). */
  form: OutcomeForm | null;
  /** The required steps to answer. */
  answers: S[];
}

/** Everything `status` needs in a campaign with these steps; nothing for a plain N. */
export function outcomeNeeds<S extends StepLike>(
  status: Pick<OutcomeStatus, 'type' | 'customerReached'>,
  steps: readonly S[],
): OutcomeNeeds<S> {
  return { form: TYPE_FORMS[status.type], answers: stepsNeedingAnswers(status, steps) };
}

/** Whether a status can be confirmed with nothing but notes (what a wrap-up confirms). */
export function needsNothing(needs: OutcomeNeeds<unknown>): boolean {
  return needs.form === null && needs.answers.length === 0;
}
