import type { FrequencyCapSettings } from './frequency-cap.settings';

/**
 * The frequency cap page's form, both ways: the urlencoded body (two numbers as text, a
 * checkbox) into FrequencyCapDto's shape, and the stored settings or a refused submission
 * back into what the page shows.
 */

type Body = Record<string, unknown>;

export interface FrequencyCapFormValues {
  maxCallsPerDay: string;
  minMinutesBetweenCampaigns: string;
  applyToService: boolean;
}

/** A field as typed; anything a form would not send (repeated, nested) as text for the rules to refuse. */
const text = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : value === undefined ? '' : JSON.stringify(value);

export function formValuesFromBody(body: Body): FrequencyCapFormValues {
  return {
    maxCallsPerDay: text(body.maxCallsPerDay),
    minMinutesBetweenCampaigns: text(body.minMinutesBetweenCampaigns),
    applyToService: ['on', 'true', '1'].includes(text(body.applyToService)),
  };
}

export function formValuesFromSettings(settings: FrequencyCapSettings): FrequencyCapFormValues {
  const shown = (value: number | null) => (value === null ? '' : String(value));
  return {
    maxCallsPerDay: shown(settings.maxCallsPerDay),
    minMinutesBetweenCampaigns: shown(settings.minMinutesBetweenCampaigns),
    applyToService: settings.applyToService,
  };
}

/**
 * The form in the shape of FrequencyCapDto, checked by the API's own rules: the page sends
 * every field, an empty number turns its limit off (null), an unticked box is false; a
 * number that is not a whole one goes on as typed, for the validation to name it.
 */
export function capInputFromForm(values: FrequencyCapFormValues): Body {
  const limit = (typed: string) =>
    typed === '' ? null : /^-?[0-9]{1,9}$/.test(typed) ? Number(typed) : typed;
  return {
    maxCallsPerDay: limit(values.maxCallsPerDay),
    minMinutesBetweenCampaigns: limit(values.minMinutesBetweenCampaigns),
    applyToService: values.applyToService,
  };
}
