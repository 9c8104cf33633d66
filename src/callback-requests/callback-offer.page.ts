import { callingHoursSaid } from '../campaigns/calling-hours';
import type { ErrorResponse } from '../common/errors/error-response';
import type { Say } from '../common/http/form-page';
import { cellKey, cellOf, type OfferFormValues } from './callback-offer-form';
import type { CallbackOfferEditor } from './callback-offer.service';

/** The page's own wording of a refused field (the rules' English messages are the API's). */
const FIELD_KEYS: Record<string, string> = {
  slotMinutes: 'callbackOffer.errors.slotMinutes',
  leadMinutes: 'callbackOffer.errors.leadMinutes',
  daysAhead: 'callbackOffer.errors.daysAhead',
  defaultCapacity: 'callbackOffer.errors.capacity',
  publicPage: 'callbackOffer.errors.publicPage',
  capacity: 'callbackOffer.errors.capacity',
};

/** A refused cell of the grid, listed under it with its weekday and hour. */
interface CellError {
  day?: number;
  time?: string;
  message: string;
}

export interface RefusedOffer {
  errors: Record<string, string>;
  cellErrors: CellError[];
}

const time = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** The refusal's fields in the user's language; the grid's beside their cells (`cells`: index → key). */
export function refusedOffer(refusal: ErrorResponse, cells: string[], say: Say): RefusedOffer {
  const words = (key: string) => say(key) ?? key;
  const errors: Record<string, string> = {};
  const cellErrors: CellError[] = [];
  for (const [field, english] of Object.entries(refusal.fields ?? {})) {
    const inGrid = /^capacities(?:\.([0-9]+))?/.exec(field);
    const own = refusal.userMessage?.key;
    if (inGrid) {
      const key = inGrid[1] === undefined ? undefined : cells[Number(inGrid[1])];
      const at = key === undefined ? undefined : cellOf(key);
      const message = words(own ?? FIELD_KEYS.capacity!);
      if (key !== undefined) errors[`capacity.${key}`] = message;
      cellErrors.push(at ? { day: at.day, time: time(at.hour), message } : { message });
    } else {
      const translated = own ?? FIELD_KEYS[field];
      errors[field] = translated ? words(translated) : english;
    }
  }
  if (Object.keys(errors).length === 0 && cellErrors.length === 0) {
    const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
    errors.form = messages.join(' ');
  }
  return { errors, cellErrors };
}

/** The offer's page: the settings, the capacity grid, the public page's link as saved. */
export function callbackOfferPage(
  editor: CallbackOfferEditor,
  canEdit: boolean,
  origin: string,
  values: OfferFormValues,
  refused: RefusedOffer = { errors: {}, cellErrors: [] },
) {
  const { campaign, offer } = editor;
  return {
    title: 'callbackOffer.title',
    campaign,
    canEdit,
    action: `/campaigns/${campaign.id}/callback-offer`,
    // Said in the page's language by the view ({{said callingHours}}).
    callingHours: callingHoursSaid(campaign),
    // The link of the page as saved, not as typed.
    publicUrl: offer.publicPage
      ? `${origin}/callback/${encodeURIComponent(campaign.code)}`
      : undefined,
    values,
    form: { errors: refused.errors, values: {} },
    cellErrors: refused.cellErrors,
    invalid: Object.keys(refused.errors).length > 0 || refused.cellErrors.length > 0,
    savedDefault: offer.defaultCapacity,
    hours: editor.hours.map((hour) => ({ hour, label: time(hour) })),
    rows: editor.days.map((day) => ({
      day,
      cells: editor.hours.map((hour) => {
        const key = cellKey(day, hour);
        return {
          key,
          hour,
          value: values.capacity[key] ?? '',
          invalid: refused.errors[`capacity.${key}`] !== undefined,
        };
      }),
    })),
  };
}
