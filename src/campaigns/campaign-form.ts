import type { DayWindow } from './campaign.entity';
import type { CampaignView } from './dto/campaign.view';
import { CAMPAIGN_DEFAULTS } from './campaign-defaults';

/**
 * The campaign page's form, both ways: the urlencoded body (`steps[0][title]`, a single
 * checkbox as a string, numbers as text) into the API's input shape, and a stored campaign
 * or a refused submission back into what the template shows.
 */

/** A workflow row as the form shows it; `choicesText` has one answer per line. */
export interface StepRow {
  kind: string;
  title: string;
  body: string;
  choicesText: string;
  required: boolean;
  /** A consent step's purpose (contact, recording), '' for none. */
  consentPurpose: string;
  /** A question step's contract field (fiscalCode, custom:<name>...), '' for none. */
  contractField: string;
}

/** One of a weekday's two windows as typed; `index` is its place in the input's list (-1: empty). */
export interface WindowCell {
  start: string;
  end: string;
  index: number;
}

/** A weekday's row of the hours grid: a morning and an afternoon window (a lunch break). */
export interface WeekdayRow {
  day: number;
  windows: [WindowCell, WindowCell];
}

export interface CampaignFormModel {
  code: string;
  name: string;
  timezone: string;
  week: WeekdayRow[];
  /** The national calendar, '' for none. */
  holidays: string;
  /** The closed dates, one a line. */
  closedDatesText: string;
  appointmentMinutes: string;
  travelBufferMinutes: string;
  overlapPolicy: string;
  privateCallbackGraceMinutes: string;
  /** Marketing or service. */
  purpose: string;
  /** The wrap-up: '' for none. */
  wrapUpSeconds: string;
  wrapUpStatusId: string;
  statusIds: number[];
  productIds: number[];
  agentIds: number[];
  operatorIds: number[];
  steps: StepRow[];
}

type Body = Record<string, unknown>;

const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** "12" → 12; anything else is kept as it came, for the validation to name it. */
function integer(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim()) ? Number(value) : value;
}

/**
 * A repeated field: one value arrives as a string, several as an array, and more than 20
 * indexed ones (`steps[21][...]`) as an object keyed by index (qs's arrayLimit).
 */
function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value as unknown[];
  if (isObject(value)) {
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
  }
  return [value];
}

const idsOf = (value: unknown): unknown[] => listOf(value).map(integer);
const numericIds = (value: unknown): number[] =>
  idsOf(value).filter((id): id is number => typeof id === 'number');

/**
 * The workflow rows in order: sorted by their position number (rows without one go last,
 * in page order); rows left completely empty (the spare rows of the page) are dropped.
 */
export function stepRows(raw: unknown): StepRow[] {
  return listOf(raw)
    .map((row, index) => {
      const fields = isObject(row) ? row : {};
      const position = Number(text(fields.position).trim() || NaN);
      return {
        index,
        position: Number.isFinite(position) ? position : Number.POSITIVE_INFINITY,
        row: {
          kind: text(fields.kind),
          title: text(fields.title),
          body: text(fields.body),
          choicesText: text(fields.choices),
          required: ['on', 'true', '1'].includes(text(fields.required)),
          consentPurpose: text(fields.consentPurpose),
          contractField: text(fields.contractField).trim(),
        },
      };
    })
    .filter(({ row }) => row.title.trim() || row.body.trim() || row.choicesText.trim())
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map(({ row }) => row);
}

/** The submitted form in the shape of CampaignInputDto (validated by the same rules as the API). */
export function campaignInputFromForm(body: Body): Body {
  const { week, holidays, closedDates, steps, ...rest } = body;
  const input: Body = {
    ...rest,
    statusIds: idsOf(body.statusIds),
    productIds: idsOf(body.productIds),
    agentIds: idsOf(body.agentIds),
    operatorIds: idsOf(body.operatorIds),
    steps: stepRows(steps).map((row) => {
      const choices = row.choicesText
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      return {
        kind: row.kind,
        title: row.title,
        ...(row.body.trim() ? { body: row.body } : {}),
        ...(choices.length > 0 ? { choices } : {}),
        // The purpose belongs to consent steps (the page shows it on them only).
        ...(row.kind === 'consent' && row.consentPurpose !== ''
          ? { consentPurpose: row.consentPurpose }
          : {}),
        // And the contract field to question steps.
        ...(row.kind === 'question' && row.contractField !== ''
          ? { contractField: row.contractField }
          : {}),
        required: row.required,
      };
    }),
  };
  for (const key of ['appointmentMinutes', 'travelBufferMinutes', 'privateCallbackGraceMinutes'])
    if (key in input) input[key] = integer(input[key]);
  // An empty wrap-up field is no wrap-up (null), as the API says it.
  for (const key of ['wrapUpSeconds', 'wrapUpStatusId']) {
    if (!(key in input)) continue;
    const value = input[key];
    input[key] = typeof value === 'string' && value.trim() === '' ? null : integer(value);
  }
  input.callingHours = weekFromValues(week)
    .flatMap((row) =>
      row.windows.map((w) => ({ day: row.day, start: w.start, end: w.end, index: w.index })),
    )
    .filter((w) => w.index >= 0)
    .map(({ day, start, end }) => ({ day, start, end }));
  input.holidays = text(holidays) === '' ? null : holidays;
  input.closedDates = linesOf(closedDates);
  return input;
}

const SLOTS = ['first', 'second'] as const;

/** "2026-12-07\n2026-12-24" or with commas: the closed dates as typed, one each. */
function linesOf(value: unknown): string[] {
  return text(value)
    .split(/[\s,;]+/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The hours grid as typed (`week[d1][first][start]`): seven rows, each window's place in the
 * list sent to the rules (by day, then morning before afternoon) so a refusal lands on its cell.
 */
function weekFromValues(week: unknown): WeekdayRow[] {
  const rows = isObject(week) ? week : {};
  let index = 0;
  return [1, 2, 3, 4, 5, 6, 7].map((day) => {
    const row = isObject(rows[`d${day}`]) ? (rows[`d${day}`] as Body) : {};
    const windows = SLOTS.map((slot) => {
      const cell = isObject(row[slot]) ? row[slot] : {};
      const start = text(cell.start).trim();
      const end = text(cell.end).trim();
      return { start, end, index: start || end ? index++ : -1 };
    });
    return { day, windows: [windows[0]!, windows[1]!] };
  });
}

/** Stored windows as the grid shows them. */
function weekFromWindows(windows: readonly Readonly<DayWindow>[]): WeekdayRow[] {
  return [1, 2, 3, 4, 5, 6, 7].map((day) => {
    const today = windows.filter((w) => w.day === day);
    const cell = (i: number): WindowCell => ({
      start: today[i]?.start ?? '',
      end: today[i]?.end ?? '',
      index: -1,
    });
    return { day, windows: [cell(0), cell(1)] };
  });
}

/** What a refused submission showed, to fill the form again exactly as it was. */
export function formModelFromValues(values: Body): CampaignFormModel {
  return {
    code: text(values.code),
    name: text(values.name),
    timezone: text(values.timezone) || CAMPAIGN_DEFAULTS.timezone,
    week: weekFromValues(values.week),
    holidays: text(values.holidays),
    closedDatesText: text(values.closedDates),
    appointmentMinutes: text(values.appointmentMinutes),
    travelBufferMinutes: text(values.travelBufferMinutes),
    overlapPolicy: text(values.overlapPolicy),
    privateCallbackGraceMinutes: text(values.privateCallbackGraceMinutes),
    purpose: text(values.purpose),
    wrapUpSeconds: text(values.wrapUpSeconds),
    wrapUpStatusId: text(values.wrapUpStatusId),
    statusIds: numericIds(values.statusIds),
    productIds: numericIds(values.productIds),
    agentIds: numericIds(values.agentIds),
    operatorIds: numericIds(values.operatorIds),
    steps: stepRows(values.steps),
  };
}

export function formModelFromCampaign(campaign: CampaignView): CampaignFormModel {
  return {
    code: campaign.code,
    name: campaign.name,
    timezone: campaign.timezone,
    week: weekFromWindows(campaign.callingHours),
    holidays: campaign.holidays ?? '',
    closedDatesText: campaign.closedDates.join('\n'),
    appointmentMinutes: String(campaign.appointmentMinutes),
    travelBufferMinutes: String(campaign.travelBufferMinutes),
    overlapPolicy: campaign.overlapPolicy,
    privateCallbackGraceMinutes: String(campaign.privateCallbackGraceMinutes),
    purpose: campaign.purpose,
    wrapUpSeconds: campaign.wrapUpSeconds === null ? '' : String(campaign.wrapUpSeconds),
    wrapUpStatusId: campaign.wrapUpStatusId === null ? '' : String(campaign.wrapUpStatusId),
    statusIds: campaign.statusIds,
    productIds: campaign.productIds,
    agentIds: campaign.agentIds,
    operatorIds: campaign.operatorIds,
    steps: campaign.steps.map((step) => ({
      kind: step.kind,
      title: step.title,
      body: step.body ?? '',
      choicesText: (step.choices ?? []).join('\n'),
      required: step.required,
      consentPurpose: step.consentPurpose ?? '',
      contractField: step.contractField ?? '',
    })),
  };
}

/** A new campaign: the defaults the API would apply, and an empty workflow. */
export function newFormModel(): CampaignFormModel {
  return {
    code: '',
    name: '',
    timezone: CAMPAIGN_DEFAULTS.timezone,
    week: weekFromWindows(CAMPAIGN_DEFAULTS.callingHours),
    holidays: CAMPAIGN_DEFAULTS.holidays,
    closedDatesText: '',
    appointmentMinutes: String(CAMPAIGN_DEFAULTS.appointmentMinutes),
    travelBufferMinutes: String(CAMPAIGN_DEFAULTS.travelBufferMinutes),
    overlapPolicy: CAMPAIGN_DEFAULTS.overlapPolicy,
    privateCallbackGraceMinutes: String(CAMPAIGN_DEFAULTS.privateCallbackGraceMinutes),
    purpose: CAMPAIGN_DEFAULTS.purpose,
    wrapUpSeconds: '',
    wrapUpStatusId: '',
    statusIds: [],
    productIds: [],
    agentIds: [],
    operatorIds: [],
    steps: [],
  };
}
