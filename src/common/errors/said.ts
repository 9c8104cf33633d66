import type { Say } from '../http/form-page';
import type { ErrorResponse } from './error-response';

/** One thing a refusal says in the user's language, and the field it is about ('' for none). */
export interface SaidMessage {
  field: string;
  text: string;
}

/** Refusals without words of their own, said in general terms by their status. */
const STATUS_KEYS: Partial<Record<number, string>> = {
  404: 'errors.404.record',
  500: 'errors.500.text',
};

/** The field an English message starts with: "callback.at: ..." or "answers.5 must be ...". */
function fieldNamed(message: string): string {
  return /^([A-Za-z_]\w*(?:\.\w+)*)(?::|\s)/.exec(message)?.[1] ?? '';
}

/**
 * What a JSON refusal says to a signed-in browser (`said`, beside the English `message`):
 * the error's own words (DomainError.say), else the broken rule's words for each field
 * (validation.json), else the English message; a refusal naming no field and having no
 * words is said by its status where the status says enough (404, 500).
 */
export function saidInLanguage(refusal: ErrorResponse, say: Say): SaidMessage[] {
  const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
  const fields = Object.entries(refusal.fields ?? {});
  if (refusal.userMessage) {
    const { key, args } = refusal.userMessage;
    const field = fields[0]?.[0] ?? fieldNamed(messages[0] ?? '');
    return [{ field, text: say(key, args) ?? messages.join(' ') }];
  }
  if (fields.length > 0) {
    return fields.map(([field, message]) => {
      const rule = refusal.fieldRules?.[field];
      return { field, text: (rule ? say(`validation.${rule}`) : undefined) ?? message };
    });
  }
  const statusKey = STATUS_KEYS[refusal.statusCode];
  const general = statusKey ? say(statusKey) : undefined;
  if (general) return [{ field: '', text: general }];
  return messages.map((message) => ({ field: fieldNamed(message), text: message }));
}
