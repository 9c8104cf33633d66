import type { Say } from '../http/form-page';
import { argsIn, ConflictError, ValidationError } from './domain-errors';
import { toErrorResponse } from './error-response';
import { saidInLanguage } from './said';

const WORDS: Record<string, string> = {
  'validation.isInt': 'Deve essere un numero intero.',
  'work.errors.answerRequired': '«{title}» richiede una risposta.',
  'users.errors.extensionTakenBy': "L'interno {extension} è già assegnato a {username}.",
  'errors.404.record': 'Non trovato.',
};
const say: Say = (key, args) =>
  WORDS[key]?.replace(/\{(\w+)\}/g, (_, name: string) => String(argsIn(args, 'it')?.[name] ?? ''));

describe('saidInLanguage', () => {
  it('says a domain error in its own words, naming its field apart', () => {
    const error = new ValidationError('answers.2', 'answers.2: "Consenso" needs an answer').say(
      'work.errors.answerRequired',
      { title: 'Consenso' },
    );
    expect(saidInLanguage(toErrorResponse(error), say)).toEqual([
      { field: 'answers.2', text: '«Consenso» richiede una risposta.' },
    ]);
    const clash = new ConflictError('extension 201 is already taken by operatore', 'extension').say(
      'users.errors.extensionTakenBy',
      { extension: '201', username: 'operatore' },
    );
    expect(saidInLanguage(toErrorResponse(clash), say)).toEqual([
      { field: 'extension', text: "L'interno 201 è già assegnato a operatore." },
    ]);
  });

  it('says each refused field by its broken rule, else as the server said it', () => {
    expect(
      saidInLanguage(
        {
          statusCode: 400,
          message: ['quantity must be an integer', 'note: too odd'],
          fields: { quantity: 'quantity must be an integer', note: 'note: too odd' },
          fieldRules: { quantity: 'isInt', note: 'custom' },
        },
        say,
      ),
    ).toEqual([
      { field: 'quantity', text: 'Deve essere un numero intero.' },
      { field: 'note', text: 'note: too odd' },
    ]);
  });

  it('says a refusal without words by its status where it can, else as the server said it', () => {
    expect(saidInLanguage({ statusCode: 404, message: 'contact 7 not found' }, say)).toEqual([
      { field: '', text: 'Non trovato.' },
    ]);
    expect(
      saidInLanguage({ statusCode: 409, message: 'contactId: contact 7 is taken' }, say),
    ).toEqual([{ field: 'contactId', text: 'contactId: contact 7 is taken' }]);
  });
});
