import { LANGUAGES, type Language } from '../config/app.config';
import {
  type FormErrors,
  HONEYPOT_FIELD,
  PUBLIC_NAME_MAX,
  PUBLIC_REASON_MAX,
  type PublicPage,
} from './public-callback.service';

/** The public "call me back" page: the days and their slots, the form with what was typed. */
export function publicFormPage(
  page: PublicPage,
  language: Language,
  errors: FormErrors,
  values: Record<string, string>,
) {
  const dayName = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'it-IT', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
  const chosen = values.slotStart ?? '';
  const chosenDay = page.days.find((d) => d.slots.some((s) => s.start === chosen))?.date;
  return {
    title: 'callbackPage.title',
    bare: true,
    pageCss: true,
    campaign: page.campaign,
    action: `/callback/${encodeURIComponent(page.campaign.code)}`,
    languages: LANGUAGES.map((code) => ({ code, active: code === language })),
    days: page.days.map((day, i) => ({
      date: day.date,
      label: dayName.format(new Date(`${day.date}T12:00:00Z`)),
      open: chosenDay ? day.date === chosenDay : i === 0,
      slots: day.slots.map((slot) => {
        const [from = '', to = ''] = slot.window.split('-');
        return {
          value: slot.start,
          id: `slot-${slot.start.replace(/[^0-9]/g, '').slice(0, 12)}`,
          from,
          to,
          checked: slot.start === chosen,
        };
      }),
    })),
    empty: page.days.length === 0,
    errors,
    invalid: Object.keys(errors).length > 0,
    values,
    honeypot: HONEYPOT_FIELD,
    nameMax: PUBLIC_NAME_MAX,
    reasonMax: PUBLIC_REASON_MAX,
  };
}

/** After the booking (Post/Redirect/Get): what was booked, and the way back to the form. */
export function publicBookedPage(code: string, booked: object) {
  return {
    title: 'callbackPage.bookedTitle',
    bare: true,
    pageCss: true,
    booked,
    formHref: `/callback/${encodeURIComponent(code)}`,
  };
}
