/**
 * The answers bound to a contract field (fiscal code, IBAN, POD...), checked as the operator
 * types with the server's own rules (src/contracts/contract-fields.ts, bundled here): the
 * words go under the input, and CONFERMA ESITO refuses while one is wrong.
 */
import {
  checkContractField,
  type ContractFieldProblem,
  isContractFieldName,
  normaliseContractField,
} from '../../src/contracts/contract-fields';
import { findAll, targetOf } from '../common/dom';

/** Each problem's words in #work-strings (data-field-*). */
const WORDS: Readonly<Record<ContractFieldProblem, string>> = {
  fiscalCode: 'fieldFiscalCode',
  vatNumber: 'fieldVatNumber',
  iban: 'fieldIban',
  pod: 'fieldPod',
  pdr: 'fieldPdr',
  documentNumber: 'fieldDocumentNumber',
  tooLong: 'fieldTooLong',
};

/**
 * From this many characters a value could be complete: the check speaks while typing from
 * there on (before, only once the field is left), so the first keystrokes raise no alarm.
 */
const COMPLETE_AT: Readonly<Record<string, number>> = {
  fiscalCode: 11,
  vatNumber: 11,
  iban: 15,
  pod: 14,
  pdr: 14,
  documentNumber: 4,
};

export interface ContractFieldInputs {
  /** Checks every bound answer and says what is wrong beside each: the first wrong one, or null. */
  firstInvalid(): HTMLInputElement | null;
}

export function watchContractFields(
  card: HTMLElement,
  text: (key: string) => string,
): ContractFieldInputs {
  const left = new WeakSet<HTMLInputElement>();

  function slotOf(input: HTMLInputElement): HTMLElement | null {
    return card.querySelector<HTMLElement>(`[data-error-for="${input.name}"]`);
  }

  function say(input: HTMLInputElement, words: string | null): void {
    const slot = slotOf(input);
    if (words === null) {
      input.removeAttribute('aria-invalid');
      if (slot?.dataset.contractField === 'said') {
        slot.hidden = true;
        slot.textContent = '';
        delete slot.dataset.contractField;
      }
      return;
    }
    input.setAttribute('aria-invalid', 'true');
    if (slot) {
      slot.textContent = words;
      slot.hidden = false;
      slot.dataset.contractField = 'said';
    }
  }

  /** True when the answer may be sent (empty, or right); `speak` says a wrong one. */
  function check(input: HTMLInputElement, speak: boolean): boolean {
    const field = input.dataset.contractField ?? '';
    if (!isContractFieldName(field) || input.value.trim() === '') {
      say(input, null);
      return true;
    }
    const checked = checkContractField(field, input.value);
    if (checked.ok) {
      say(input, null);
      return true;
    }
    if (speak) say(input, text(WORDS[checked.problem]) || checked.message);
    return false;
  }

  function bound(event: Event): HTMLInputElement | null {
    const target = targetOf(event);
    return target instanceof HTMLInputElement && target.dataset.contractField ? target : null;
  }

  card.addEventListener('input', (event) => {
    const input = bound(event);
    if (!input) return;
    const field = input.dataset.contractField ?? '';
    const typed = isContractFieldName(field)
      ? normaliseContractField(field, input.value).length
      : 0;
    check(input, left.has(input) || typed >= (COMPLETE_AT[field] ?? 0));
  });
  card.addEventListener('focusout', (event) => {
    const input = bound(event);
    if (!input) return;
    left.add(input);
    check(input, true);
  });

  return {
    firstInvalid: () =>
      findAll(card, 'input[data-contract-field]', HTMLInputElement).find(
        (input) => !check(input, true),
      ) ?? null,
  };
}
