import { formatDateTime, formatMoney } from '../common/format/locale-format';

/** What the outcome created, for the e-mail to say (times in the campaign's zone). */
export interface FollowUpFacts {
  zone: string;
  callbackAt: string | null;
  appointment: { at: string; agent: string } | null;
  contract: { protocolNumber: string; total: string } | null;
}

/**
 * The placeholders of the outcome's facts, written in the template's language: `{{callback.at}}`,
 * `{{appointment.at}}`, `{{appointment.agent}}`, `{{contract.protocolNumber}}`,
 * `{{contract.total}}`; empty when the outcome created no such thing.
 */
export function factsContext(facts: FollowUpFacts | undefined, language: string) {
  const at = (instant: string | null | undefined) =>
    instant && facts ? formatDateTime(instant, language, facts.zone) : '';
  return {
    callback: { at: at(facts?.callbackAt) },
    appointment: { at: at(facts?.appointment?.at), agent: facts?.appointment?.agent ?? '' },
    contract: {
      protocolNumber: facts?.contract?.protocolNumber ?? '',
      total: facts?.contract ? formatMoney(facts.contract.total, language) : '',
    },
  };
}
