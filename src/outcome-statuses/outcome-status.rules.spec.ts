import { ValidationError } from '../common/errors/domain-errors';
import { settleTypeSettings, StatusTypeSettings } from './outcome-status.rules';

const base: StatusTypeSettings = {
  type: 'N',
  quick: false,
  quickOrder: null,
  callbackVisibility: null,
  retryAfterMinutes: null,
  maxAttempts: null,
  doNotCall: false,
  customerReached: true,
};

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('settleTypeSettings', () => {
  it('gives a new R status a private callback visibility unless told', () => {
    expect(settleTypeSettings(null, { type: 'R' })).toEqual({
      ...base,
      type: 'R',
      callbackVisibility: 'private',
    });
    expect(
      settleTypeSettings(null, { type: 'R', callbackVisibility: 'public' }).callbackVisibility,
    ).toBe('public');
  });

  it('refuses settings the type does not have, naming them', () => {
    expect(
      fieldOf(() => settleTypeSettings(null, { type: 'N', callbackVisibility: 'public' })),
    ).toBe('callbackVisibility');
    expect(
      fieldOf(() => settleTypeSettings(null, { type: 'C', retryAfterMinutes: 5, maxAttempts: 3 })),
    ).toBe('retryAfterMinutes');
    expect(fieldOf(() => settleTypeSettings(null, { type: 'T', maxAttempts: 3 }))).toBe(
      'maxAttempts',
    );
    expect(fieldOf(() => settleTypeSettings(null, { type: 'R', doNotCall: true }))).toBe(
      'doNotCall',
    );
    // "false" and null say nothing, so they are fine for any type.
    expect(settleTypeSettings(null, { type: 'C', doNotCall: false, maxAttempts: null }).type).toBe(
      'C',
    );
  });

  it('wants both halves of a retry rule, and no retry on a do-not-call status', () => {
    expect(fieldOf(() => settleTypeSettings(null, { type: 'N', retryAfterMinutes: 30 }))).toBe(
      'maxAttempts',
    );
    expect(fieldOf(() => settleTypeSettings(null, { type: 'N', maxAttempts: 3 }))).toBe(
      'retryAfterMinutes',
    );
    expect(
      settleTypeSettings(null, { type: 'N', retryAfterMinutes: 30, maxAttempts: 3 }),
    ).toMatchObject({ retryAfterMinutes: 30, maxAttempts: 3 });
    expect(
      fieldOf(() =>
        settleTypeSettings(null, {
          type: 'N',
          retryAfterMinutes: 30,
          maxAttempts: 3,
          doNotCall: true,
        }),
      ),
    ).toBe('doNotCall');
  });

  it('wants a quick order exactly when the status is a quick button', () => {
    expect(fieldOf(() => settleTypeSettings(null, { type: 'N', quick: true }))).toBe('quickOrder');
    expect(fieldOf(() => settleTypeSettings(null, { type: 'N', quickOrder: 2 }))).toBe(
      'quickOrder',
    );
    expect(settleTypeSettings(null, { type: 'N', quick: true, quickOrder: 2 })).toMatchObject({
      quick: true,
      quickOrder: 2,
    });
  });

  it('on an update keeps what is not mentioned and drops what the new type cannot have', () => {
    const noAnswer = { ...base, retryAfterMinutes: 60, maxAttempts: 5, quick: true, quickOrder: 1 };
    expect(settleTypeSettings(noAnswer, { maxAttempts: 8 })).toEqual({
      ...noAnswer,
      maxAttempts: 8,
    });
    expect(settleTypeSettings(noAnswer, { type: 'R' })).toEqual({
      ...base,
      type: 'R',
      quick: true,
      quickOrder: 1,
      callbackVisibility: 'private',
    });
    expect(settleTypeSettings(noAnswer, { quick: false })).toMatchObject({
      quick: false,
      quickOrder: null,
    });
    expect(
      settleTypeSettings(noAnswer, { retryAfterMinutes: null, maxAttempts: null }),
    ).toMatchObject({ retryAfterMinutes: null, maxAttempts: null });
    expect(fieldOf(() => settleTypeSettings(noAnswer, { retryAfterMinutes: null }))).toBe(
      'retryAfterMinutes',
    );
    expect(fieldOf(() => settleTypeSettings(noAnswer, { doNotCall: true }))).toBe('doNotCall');
    const callback = { ...base, type: 'R' as const, callbackVisibility: 'public' as const };
    expect(settleTypeSettings(callback, {}).callbackVisibility).toBe('public');
    expect(settleTypeSettings(callback, { callbackVisibility: null }).callbackVisibility).toBe(
      'private',
    );
  });
});

describe('customer reached', () => {
  it('is true unless an N status says otherwise, and kept by later edits', () => {
    expect(settleTypeSettings(null, { type: 'N' }).customerReached).toBe(true);
    const noAnswer = settleTypeSettings(null, { type: 'N', customerReached: false });
    expect(noAnswer.customerReached).toBe(false);
    expect(settleTypeSettings(noAnswer, { quick: false }).customerReached).toBe(false);
  });

  it('cannot be false for a callback, a sale or an appointment', () => {
    for (const type of ['R', 'C', 'T'] as const) {
      expect(fieldOf(() => settleTypeSettings(null, { type, customerReached: false }))).toBe(
        'customerReached',
      );
    }
    // An N status made a callback becomes reached.
    const noAnswer = settleTypeSettings(null, { type: 'N', customerReached: false });
    expect(settleTypeSettings(noAnswer, { type: 'R' }).customerReached).toBe(true);
  });
});
