import type { EligibilityRules, LegacyCallingHours } from '../campaigns/campaign.entity';
import type { CallbackVisibility, OutcomeType } from '../outcome-statuses/outcome-status.entity';

export interface OutageStatusDefault {
  code: string;
  label: string;
  labelEn: string;
  type: OutcomeType;
  color: string;
  quick: boolean;
  quickOrder: number | null;
  callbackVisibility: CallbackVisibility | null;
  retryAfterMinutes: number | null;
  maxAttempts: number | null;
  customerReached: boolean;
}

/**
 * The outcome statuses an outage campaign gets when its coordinator names none: made once
 * (by code) and shared by every outage campaign. The last one is what a contact who could
 * not be called is given when the message goes by e-mail instead; every outage has it.
 */
export const OUTAGE_STATUSES: readonly OutageStatusDefault[] = Object.freeze([
  {
    code: 'OUTAGE_NOTIFIED',
    label: 'Avvisato',
    labelEn: 'Notified',
    type: 'N',
    color: '#2E7D32',
    quick: true,
    quickOrder: 1,
    callbackVisibility: null,
    retryAfterMinutes: null,
    maxAttempts: null,
    customerReached: true,
  },
  {
    code: 'OUTAGE_NOT_REACHED',
    label: 'Non raggiunto',
    labelEn: 'Not reached',
    type: 'N',
    color: '#F9A825',
    quick: true,
    quickOrder: 2,
    callbackVisibility: null,
    retryAfterMinutes: 30,
    maxAttempts: 3,
    customerReached: false,
  },
  {
    code: 'OUTAGE_CALLBACK',
    label: 'Richiamata richiesta',
    labelEn: 'Callback requested',
    type: 'R',
    color: '#1565C0',
    quick: true,
    quickOrder: 3,
    callbackVisibility: 'public',
    retryAfterMinutes: null,
    maxAttempts: null,
    customerReached: true,
  },
  {
    code: 'OUTAGE_EMAILED',
    label: 'Avvisato via e-mail',
    labelEn: 'Told by e-mail',
    type: 'N',
    color: '#6A1B9A',
    quick: false,
    quickOrder: null,
    callbackVisibility: null,
    retryAfterMinutes: null,
    maxAttempts: null,
    customerReached: false,
  },
]);
export const EMAILED_STATUS_CODE = 'OUTAGE_EMAILED';

/**
 * Outages happen any day: every day 08:00-21:00 unless the coordinator says otherwise, holidays
 * included (an outage campaign has no holiday calendar: people are told when it happens).
 */
export const OUTAGE_CALLING_HOURS: Readonly<LegacyCallingHours> = Object.freeze({
  days: [1, 2, 3, 4, 5, 6, 7],
  start: '08:00',
  end: '21:00',
});

/** Proactive rules on by default: who prefers chat or e-mail is written to, not called. */
export const OUTAGE_ELIGIBILITY: Readonly<EligibilityRules> = Object.freeze({
  requireConsent: false,
  matchLanguage: false,
  allowedReasons: null,
  maxConcurrent: null,
  respectPreferredChannel: true,
});

/** The call reason and tag an outage's contacts are imported with (unless the file says). */
export const OUTAGE_CALL_REASON = 'outage';
export const OUTAGE_TAG = 'call_next:outage';

export interface OutageMessage {
  whatHappened: string;
  expectedRestore: string;
  whatToDo: string;
}

const TEXTS = {
  it: {
    script: (m: OutageMessage) =>
      `Buongiorno{{#if contact.firstName}} {{contact.firstName}}{{/if}}, sono {{operator.name}}. ` +
      `La chiamiamo per avvisarla di un disservizio che la riguarda.\n\n` +
      `Cosa è successo: ${m.whatHappened}\n` +
      `Ripristino previsto: ${m.expectedRestore}\n` +
      `Se il problema persiste: ${m.whatToDo}`,
    subject: (name: string) => `Avviso di disservizio: ${name}`,
    email: (m: OutageMessage) =>
      `Gentile{{#if contact.firstName}} {{contact.firstName}} {{contact.lastName}}{{else}} cliente{{/if}},\n\n` +
      `la avvisiamo di un disservizio che la riguarda.\n\n` +
      `Cosa è successo: ${m.whatHappened}\n` +
      `Ripristino previsto: ${m.expectedRestore}\n` +
      `Se il problema persiste: ${m.whatToDo}\n`,
  },
  en: {
    script: (m: OutageMessage) =>
      `Good morning{{#if contact.firstName}} {{contact.firstName}}{{/if}}, this is {{operator.name}}. ` +
      `We are calling about a service outage that affects you.\n\n` +
      `What happened: ${m.whatHappened}\n` +
      `Expected restore: ${m.expectedRestore}\n` +
      `If the problem persists: ${m.whatToDo}`,
    subject: (name: string) => `Service outage: ${name}`,
    email: (m: OutageMessage) =>
      `Dear{{#if contact.firstName}} {{contact.firstName}} {{contact.lastName}}{{else}} customer{{/if}},\n\n` +
      `we are writing about a service outage that affects you.\n\n` +
      `What happened: ${m.whatHappened}\n` +
      `Expected restore: ${m.expectedRestore}\n` +
      `If the problem persists: ${m.whatToDo}\n`,
  },
} as const;

export type OutageLanguage = keyof typeof TEXTS;
export const OUTAGE_LANGUAGES = Object.keys(TEXTS) as OutageLanguage[];

/** The call script, the e-mail's subject and body: templates with contact placeholders. */
export function outageTexts(
  language: OutageLanguage,
  name: string,
  message: OutageMessage,
): { script: string; subject: string; body: string } {
  const texts = TEXTS[language];
  return {
    script: texts.script(message),
    subject: texts.subject(name),
    body: texts.email(message),
  };
}
