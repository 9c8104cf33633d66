import type { CallingHours, OverlapPolicy } from './campaign.entity';

/** What a campaign gets for the settings its creator leaves out. */
export const CAMPAIGN_DEFAULTS: Readonly<{
  timezone: string;
  callingHours: Readonly<CallingHours>;
  appointmentMinutes: number;
  travelBufferMinutes: number;
  overlapPolicy: OverlapPolicy;
  privateCallbackGraceMinutes: number;
}> = Object.freeze({
  timezone: 'Europe/Rome',
  // Monday to Friday, 09:00-20:00 in the campaign's zone.
  callingHours: Object.freeze({ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }),
  appointmentMinutes: 60,
  travelBufferMinutes: 0,
  overlapPolicy: 'reject',
  privateCallbackGraceMinutes: 30,
});
