/** Offered first in the campaign form: where Italian call centres usually call. */
export const COMMON_TIME_ZONES = [
  'Europe/Rome',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Zurich',
  'Europe/Vienna',
  'Europe/Athens',
  'Europe/Bucharest',
  'UTC',
] as const;

const supported = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);

/**
 * The IANA name of a zone (canonical spelling, e.g. "europe/rome" → "Europe/Rome"), or
 * undefined when it is not one. Offsets such as "+01:00" and abbreviations such as "CET"
 * are refused: calling hours follow the zone's daylight-saving rules.
 */
export function ianaTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  if (!/^(?:[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+|UTC)$/.test(value)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  // Old aliases (Europe/Kiev, Asia/Calcutta) resolve too; keep the name as the zone database spells it.
  if (supported.has(resolved) || resolved.toLowerCase() === value.toLowerCase()) return resolved;
  return undefined;
}

/** The zones for the form's select: the common ones, then every other one. */
export function timeZoneChoices(): { common: string[]; others: string[] } {
  const common: string[] = [...COMMON_TIME_ZONES];
  const others = [...supported].filter((zone) => !common.includes(zone) && zone !== 'Etc/UTC');
  return { common, others: others.sort() };
}
