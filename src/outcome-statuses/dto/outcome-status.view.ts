import type { CallbackVisibility, OutcomeStatus, OutcomeType } from '../outcome-status.entity';
import { OUTCOME_TYPE_NAMES } from '../outcome-status.rules';
import { readableTextColor } from '../tile-color';

/** An outcome status as the API and pages show it. */
export interface OutcomeStatusView {
  id: number;
  code: string;
  label: string;
  labelEn: string | null;
  type: OutcomeType;
  /** What the type means: callback, negative, close, appointment. */
  typeName: (typeof OUTCOME_TYPE_NAMES)[OutcomeType];
  color: string;
  /** Black or white: readable on `color` (the wall writes the code in it). */
  textColor: string;
  quick: boolean;
  quickOrder: number | null;
  callbackVisibility: CallbackVisibility | null;
  retryAfterMinutes: number | null;
  maxAttempts: number | null;
  doNotCall: boolean;
  /** False for no answer, busy, voicemail: required steps do not apply, no consent is kept. */
  customerReached: boolean;
  /** Type C only (absent for the others): the operator may change a product price. */
  allowPriceOverride?: boolean;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toOutcomeStatusView(status: OutcomeStatus): OutcomeStatusView {
  return {
    id: status.id,
    code: status.code,
    label: status.label,
    labelEn: status.labelEn,
    type: status.type,
    typeName: OUTCOME_TYPE_NAMES[status.type],
    color: status.color,
    textColor: readableTextColor(status.color),
    quick: status.quick,
    quickOrder: status.quickOrder,
    callbackVisibility: status.callbackVisibility,
    retryAfterMinutes: status.retryAfterMinutes,
    maxAttempts: status.maxAttempts,
    doNotCall: status.doNotCall,
    customerReached: status.customerReached,
    ...(status.type === 'C' ? { allowPriceOverride: status.allowPriceOverride } : {}),
    archived: status.archivedAt !== null,
    archivedAt: status.archivedAt?.toISOString() ?? null,
    createdAt: status.createdAt.toISOString(),
    updatedAt: status.updatedAt.toISOString(),
  };
}
