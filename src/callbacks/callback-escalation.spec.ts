import { escalationReason, type EscalationFacts } from './callback-escalation';

describe('escalationReason', () => {
  const due = new Date('2026-11-30T10:00:00Z');
  const at = (minutes: number) => new Date(due.getTime() + minutes * 60_000);
  const facts = (overrides: Partial<EscalationFacts> = {}): EscalationFacts => ({
    dueAt: due,
    assignedAt: null,
    graceMinutes: 30,
    owner: { active: true, signedIn: true },
    ...overrides,
  });

  it('keeps a callback that is not due yet, whoever owns it', () => {
    expect(escalationReason(facts({ owner: null }), at(-1))).toBeNull();
    expect(escalationReason(facts({ owner: { active: false, signedIn: false } }), at(-1))).toBe(
      null,
    );
  });

  it('keeps it for its present owner during the grace, then says how late it is', () => {
    expect(escalationReason(facts(), at(0))).toBeNull();
    expect(escalationReason(facts(), at(29.9))).toBeNull();
    expect(escalationReason(facts(), at(30))).toBe('overdue by 30 min');
    expect(escalationReason(facts(), at(95.5))).toBe('overdue by 95 min');
    expect(escalationReason(facts({ graceMinutes: 0 }), at(0))).toBe('overdue by 0 min');
  });

  it('gives it up as soon as it is due when the owner cannot call it', () => {
    expect(escalationReason(facts({ owner: { active: false, signedIn: true } }), at(0))).toBe(
      'owner disabled',
    );
    expect(escalationReason(facts({ owner: { active: true, signedIn: false } }), at(1))).toBe(
      'owner not signed in',
    );
    expect(escalationReason(facts({ owner: null }), at(1))).toBe('owner removed');
  });

  it("counts the grace from a coordinator's later assignment", () => {
    const assigned = facts({ assignedAt: at(60) });
    expect(escalationReason(assigned, at(80))).toBeNull();
    expect(escalationReason(assigned, at(90))).toBe('overdue by 90 min');
    // An assignment before the due time changes nothing.
    expect(escalationReason(facts({ assignedAt: at(-600) }), at(30))).toBe('overdue by 30 min');
  });
});
