import { needsNothing, outcomeNeeds, stepsNeedingAnswers } from './outcome-needs';

const steps = [
  { id: 1, kind: 'script', required: true },
  { id: 2, kind: 'question', required: true },
  { id: 3, kind: 'question', required: false },
  { id: 4, kind: 'consent', required: true },
  { id: 5, kind: 'notes', required: true },
  { id: 6, kind: 'outcome', required: true },
];

describe('what a status needs to be confirmed', () => {
  it('asks the required question and consent steps only when the customer was reached', () => {
    expect(stepsNeedingAnswers({ customerReached: true }, steps).map((s) => s.id)).toEqual([2, 4]);
    expect(stepsNeedingAnswers({ customerReached: false }, steps)).toEqual([]);
  });

  it('gives each type its sub-form: R a callback, C a cart, T an appointment, N none', () => {
    const none: typeof steps = [];
    expect(outcomeNeeds({ type: 'R', customerReached: true }, none).form).toBe('callback');
    expect(outcomeNeeds({ type: 'C', customerReached: true }, none).form).toBe('cart');
    expect(outcomeNeeds({ type: 'T', customerReached: true }, none).form).toBe('appointment');
    expect(outcomeNeeds({ type: 'N', customerReached: true }, none).form).toBeNull();
  });

  it('a negative status needs nothing when it reached no one or no step is required', () => {
    expect(needsNothing(outcomeNeeds({ type: 'N', customerReached: false }, steps))).toBe(true);
    expect(needsNothing(outcomeNeeds({ type: 'N', customerReached: true }, steps))).toBe(false);
    const optional = steps.filter((s) => s.kind !== 'question' && s.kind !== 'consent');
    expect(needsNothing(outcomeNeeds({ type: 'N', customerReached: true }, optional))).toBe(true);
    expect(needsNothing(outcomeNeeds({ type: 'R', customerReached: false }, []))).toBe(false);
  });
});
