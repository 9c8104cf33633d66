import type { CallbackOfferView } from './dto/callback-offer.dto';

/**
 * The callback offer's settings page, both ways: the urlencoded body (numbers as text, a
 * checkbox, one `capacity[day-hour]` field per cell of the grid) into the API's input
 * shape, and the stored offer or a refused submission back into what the page shows.
 */

type Body = Record<string, unknown>;

export interface OfferFormValues {
  slotMinutes: string;
  leadMinutes: string;
  daysAhead: string;
  defaultCapacity: string;
  publicPage: boolean;
  /** By cell key (`1-9`: Monday, the slots starting 09:xx); an empty cell is left out. */
  capacity: Record<string, string>;
}

/** The grid's field for a weekday and hour: not numeric, so that qs keeps it a key, not an index. */
export const cellKey = (day: number, hour: number): string => `${day}-${hour}`;

const CELL = /^([0-9]{1,2})-([0-9]{1,2})$/;

/** A cell key's weekday and hour, or undefined for a key the page never writes. */
export function cellOf(key: string): { day: number; hour: number } | undefined {
  const match = CELL.exec(key);
  return match ? { day: Number(match[1]), hour: Number(match[2]) } : undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** "12" → 12; anything else is kept as it came, for the validation to name it. */
function integer(value: string): unknown {
  return /^-?[0-9]{1,9}$/.test(value) ? Number(value) : value;
}

export function formValuesFromBody(body: Body): OfferFormValues {
  const cells = body.capacity;
  const capacity: Record<string, string> = {};
  if (typeof cells === 'object' && cells !== null && !Array.isArray(cells)) {
    for (const [key, value] of Object.entries(cells as Body)) {
      if (text(value) !== '') capacity[key] = text(value);
    }
  }
  return {
    slotMinutes: text(body.slotMinutes),
    leadMinutes: text(body.leadMinutes),
    daysAhead: text(body.daysAhead),
    defaultCapacity: text(body.defaultCapacity),
    publicPage: ['on', 'true', '1'].includes(text(body.publicPage)),
    capacity,
  };
}

export function formValuesFromOffer(offer: CallbackOfferView): OfferFormValues {
  return {
    slotMinutes: String(offer.slotMinutes),
    leadMinutes: String(offer.leadMinutes),
    daysAhead: String(offer.daysAhead),
    defaultCapacity: String(offer.defaultCapacity),
    publicPage: offer.publicPage,
    capacity: Object.fromEntries(
      offer.capacities.map((c) => [cellKey(c.day, c.hour), String(c.capacity)]),
    ),
  };
}

/**
 * The form in the shape of CallbackOfferDto (checked by the API's own rules), and which
 * cell each entry of `capacities` came from, to show a refusal beside it. The grid
 * replaces every capacity: an empty cell takes the default.
 */
export function offerInputFromForm(values: OfferFormValues): { input: Body; cells: string[] } {
  const cells = Object.keys(values.capacity);
  const capacities = cells.map((key) => {
    const at = cellOf(key);
    // A key the page never writes is handed on as it is, for the validation to refuse.
    return {
      day: at?.day ?? key,
      hour: at?.hour ?? key,
      capacity: integer(values.capacity[key] ?? ''),
    };
  });
  return {
    input: {
      slotMinutes: integer(values.slotMinutes),
      leadMinutes: integer(values.leadMinutes),
      daysAhead: integer(values.daysAhead),
      defaultCapacity: integer(values.defaultCapacity),
      publicPage: values.publicPage,
      capacities,
    },
    cells,
  };
}
