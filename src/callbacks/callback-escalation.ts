/** What the escalation job knows about a private callback that is due. */
export interface EscalationFacts {
  dueAt: Date;
  /** When its owner and visibility were last set; null = never since it was agreed. */
  assignedAt: Date | null;
  /** The campaign's privateCallbackGraceMinutes. */
  graceMinutes: number;
  /** Null when the owner's user is gone. */
  owner: { active: boolean; signedIn: boolean } | null;
}

/**
 * Why a private callback must be offered to every operator of its campaign now (invariant
 * 6), or null while it stays its owner's. An owner who cannot call it (disabled, not signed
 * in) gives it up as soon as it is due; one who is there keeps it for the campaign's grace,
 * counted from the due time or from when a coordinator last assigned it, whichever is later.
 */
export function escalationReason(facts: EscalationFacts, now: Date): string | null {
  const lateMs = now.getTime() - facts.dueAt.getTime();
  if (lateMs < 0) return null;
  if (!facts.owner) return 'owner removed';
  if (!facts.owner.active) return 'owner disabled';
  if (!facts.owner.signedIn) return 'owner not signed in';
  const from = Math.max(facts.dueAt.getTime(), facts.assignedAt?.getTime() ?? 0);
  if (now.getTime() - from < facts.graceMinutes * 60_000) return null;
  return `overdue by ${Math.floor(lateMs / 60_000)} min`;
}
