import { argsIn } from '../errors/domain-errors';
import type { ErrorResponse } from '../errors/error-response';
import { pathWithParams, refusedForm, type Say } from './form-page';

const WORDS: Record<string, string> = {
  'validation.isInt': 'Deve essere un numero intero.',
  'validation.required': 'Campo obbligatorio.',
  'callbacks.errors.reasonRequired': 'Scrivi il motivo.',
  'campaigns.errors.outcomeCount': 'Serve un esito (ora {count}).',
};
const say: Say = (key, args) =>
  WORDS[key]?.replace(/\{(\w+)\}/g, (_, name: string) => String(argsIn(args, 'it')?.[name] ?? ''));

const refusal = (overrides: Partial<ErrorResponse>): ErrorResponse => ({
  statusCode: 400,
  message: 'wrong',
  ...overrides,
});

describe('refusedForm', () => {
  it('without a form page: every field, the broken rule in the user’s words, the flash points there', () => {
    const answer = refusedForm(
      refusal({
        fields: { ownerId: 'ownerId must be an integer', code: 'code: taken' },
        fieldRules: { ownerId: 'isInt' },
      }),
      undefined,
      say,
    );
    expect(answer.errors).toEqual({
      ownerId: 'Deve essere un numero intero.',
      code: 'code: taken',
    });
    expect(answer.flash).toEqual([{ type: 'error', text: 'errors.form' }]);
  });

  it('a form page shows only its fields, in its own words when the rule has none', () => {
    const page = { fields: { reason: 'callbacks.errors.reasonRequired' } };
    const required = refusedForm(
      refusal({ fields: { reason: 'reason is required' }, fieldRules: { reason: 'required' } }),
      page,
      say,
    );
    expect(required.errors).toEqual({ reason: 'Scrivi il motivo.' });
    const elsewhere = refusedForm(
      refusal({
        statusCode: 409,
        message: 'callback 3 is done',
        fields: { id: 'callback 3 is done' },
      }),
      { ...page, statusKeys: { 409: 'callbacks.errors.notWaiting' } },
      say,
    );
    expect(elsewhere.errors).toEqual({});
    expect(elsewhere.flash).toEqual([{ type: 'error', text: 'callbacks.errors.notWaiting' }]);
  });

  it('a domain error’s own words go beside its field, and in the flash unless the page says so', () => {
    const error = refusal({
      fields: { steps: 'steps: exactly one outcome step' },
      userMessage: { key: 'campaigns.errors.outcomeCount', args: { count: 0 } },
    });
    expect(refusedForm(error, { ownWordsBesideField: true }, say)).toEqual({
      errors: { steps: 'Serve un esito (ora 0).' },
      flash: [{ type: 'error', text: 'errors.form' }],
    });
    expect(refusedForm(error, {}, say)).toEqual({
      errors: { steps: 'Serve un esito (ora 0).' },
      flash: [{ type: 'error', text: 'campaigns.errors.outcomeCount', args: { count: 0 } }],
    });
  });

  it('a refusal without fields is said literally, one flash per message', () => {
    expect(refusedForm(refusal({ message: ['a', 'b'] }), {}, say).flash).toEqual([
      { type: 'error', text: 'a', literal: true },
      { type: 'error', text: 'b', literal: true },
    ]);
  });
});

describe('pathWithParams', () => {
  it('fills the route’s parameters', () => {
    expect(pathWithParams('/campaigns/:id/edit', { id: '12' })).toBe('/campaigns/12/edit');
  });
});
