/** The frequency cap across campaigns, as an admin sets it; null: that limit is off. */
export interface FrequencyCapSettings {
  /** Calls a person may receive in one local day, from all campaigns together. */
  maxCallsPerDay: number | null;
  /** Minutes that must pass after a call before another campaign calls the same person. */
  minMinutesBetweenCampaigns: number | null;
  /** Whether service campaigns are capped too (marketing ones always are). */
  applyToService: boolean;
}

export const CAP_OFF: FrequencyCapSettings = {
  maxCallsPerDay: null,
  minMinutesBetweenCampaigns: null,
  applyToService: false,
};

export const MAX_CALLS_PER_DAY = 50;
export const MAX_GAP_MINUTES = 1440;

/** Whether any limit is on. */
export function capIsOn(settings: FrequencyCapSettings): boolean {
  return settings.maxCallsPerDay !== null || settings.minMinutesBetweenCampaigns !== null;
}

/** The stored JSON read back; anything unreadable counts as off. */
export function readSettings(text: string | null | undefined): FrequencyCapSettings {
  if (!text) return CAP_OFF;
  try {
    const value = JSON.parse(text) as Partial<Record<keyof FrequencyCapSettings, unknown>>;
    const whole = (v: unknown, max: number) =>
      typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max ? v : null;
    return {
      maxCallsPerDay: whole(value.maxCallsPerDay, MAX_CALLS_PER_DAY),
      minMinutesBetweenCampaigns: whole(value.minMinutesBetweenCampaigns, MAX_GAP_MINUTES),
      applyToService: value.applyToService === true,
    };
  } catch {
    return CAP_OFF;
  }
}
