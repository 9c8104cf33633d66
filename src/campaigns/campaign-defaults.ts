import { HOME_TIME_ZONE } from '../common/time/home-zone';
import type { CampaignPurpose, DayWindow, OverlapPolicy } from './campaign.entity';
import type { HolidayCalendar } from './holiday-calendar';

/** What a campaign gets for the settings its creator leaves out. */
export const CAMPAIGN_DEFAULTS: Readonly<{
  timezone: string;
  callingHours: readonly Readonly<DayWindow>[];
  holidays: HolidayCalendar;
  appointmentMinutes: number;
  travelBufferMinutes: number;
  overlapPolicy: OverlapPolicy;
  privateCallbackGraceMinutes: number;
  purpose: CampaignPurpose;
}> = Object.freeze({
  timezone: HOME_TIME_ZONE,
  // Monday to Friday, 09:00-20:00 in the campaign's zone.
  callingHours: Object.freeze(
    [1, 2, 3, 4, 5].map((day) => Object.freeze({ day, start: '09:00', end: '20:00' })),
  ),
  // Closed on the Italian public holidays (8 December, Easter Monday...).
  holidays: 'IT',
  appointmentMinutes: 60,
  travelBufferMinutes: 0,
  overlapPolicy: 'reject',
  privateCallbackGraceMinutes: 30,
  // A campaign sells unless its admin says it serves existing customers.
  purpose: 'marketing',
});
