import { join } from 'node:path';
import { create } from 'express-handlebars';
import Handlebars, { type HelperOptions } from 'handlebars';
import type { I18nService } from 'nestjs-i18n';
import { argsIn, type InLanguages, type SayArgs } from '../errors/domain-errors';
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatMoney,
  formatNumber,
  formatPercent,
  formatTime,
  localeOf,
} from '../format/locale-format';

export const VIEWS_DIR = join(__dirname, '..', '..', '..', 'views');

type Args = Record<string, unknown>;

const displayNames = new Map<string, Intl.DisplayNames>();
function languageNames(lang: string): Intl.DisplayNames {
  let names = displayNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([localeOf(lang)], { type: 'language' });
    displayNames.set(lang, names);
  }
  return names;
}

/** An instant given as ISO text or a Date, written by `write`; '' for anything else. */
function instantText(value: unknown, write: (at: Date) => string): string {
  const at = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? write(at) : '';
}

/** The view engine: layouts and partials under views/, helpers for translation and forms. */
export function createViewEngine(
  i18n: I18nService,
  phoneScheme: 'tel' | 'sip' = 'tel',
  /** The call centre's zone (TIMEZONE): where the pages' dates are read. */
  zone = 'Europe/Rome',
) {
  const langOf = (options: HelperOptions): string => {
    const root = options.data as { root?: { lang?: string } } | undefined;
    return root?.root?.lang ?? 'it';
  };
  const translate = (key: string, options: HelperOptions, args?: Args): string =>
    i18n.t(key, { lang: langOf(options), args: { ...options.hash, ...args } });

  return create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: join(VIEWS_DIR, 'layouts'),
    partialsDir: join(VIEWS_DIR, 'partials'),
    helpers: {
      /** {{t "key" name=value}}: the text in the page's language (escaped by {{ }}). */
      t: (key: unknown, options: HelperOptions) =>
        typeof key === 'string' ? translate(key, options) : '',
      /** A flash message: an i18n key with args, or a literal text from the server. */
      flashText: (
        message: { text: string; literal?: boolean; args?: SayArgs },
        options: HelperOptions,
      ) =>
        message.literal
          ? message.text
          : translate(message.text, options, argsIn(message.args, langOf(options))),
      /** {{said value}}: a text given in each language ({it, en}), in the page's. */
      said: (value: unknown, options: HelperOptions) =>
        typeof value === 'object' && value !== null
          ? (argsIn({ value: value as InLanguages }, langOf(options))?.value ?? '')
          : value,
      eq: (a: unknown, b: unknown) => a === b,
      /** Builds an i18n key from parts: {{t (concat "roles." role)}}. */
      concat: (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''),
      includes: (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item),
      /** The value typed before a failed submission, for re-filling a form. */
      old: (form: { values?: Args } | undefined, field: string) => {
        const value = form?.values?.[field];
        return typeof value === 'string' || typeof value === 'number' ? value : '';
      },
      /** After a failed submission what was typed, else the stored value (for edit forms). */
      oldOr: (form: { values?: Args } | undefined, field: string, stored: unknown) => {
        const values = form?.values ?? {};
        return Object.keys(values).length > 0 ? values[field] : stored;
      },
      fieldError: (form: { errors?: Record<string, string> } | undefined, field: string) =>
        form?.errors?.[field],
      // One format per kind of date and number (common/format/locale-format.ts).
      /** {{dateTime iso}}: "lun 30/11/2026, 11:05" (it), "Mon 30/11/2026, 11:05" (en). */
      dateTime: (iso: unknown, options: HelperOptions) =>
        instantText(iso, (at) => formatDateTime(at, langOf(options), zone)),
      /** {{fmtDate iso}}: "lun 30/11/2026"; a calendar day "YYYY-MM-DD" as itself. */
      fmtDate: (value: unknown, options: HelperOptions) =>
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? formatDay(value, langOf(options))
          : instantText(value, (at) => formatDate(at, langOf(options), zone)),
      /** {{fmtTime iso}}: "11:05". */
      fmtTime: (iso: unknown, options: HelperOptions) =>
        instantText(iso, (at) => formatTime(at, langOf(options), zone)),
      /** {{fmtNumber n}}: "12.345" (it), "12,345" (en). */
      fmtNumber: (value: unknown, options: HelperOptions) =>
        typeof value === 'number' ? formatNumber(value, langOf(options)) : '',
      /** {{fmtPercent ratio}}: 0.333 as "33,3 %" (it), "33.3%" (en); none as "—". */
      fmtPercent: (value: unknown, options: HelperOptions) =>
        formatPercent(typeof value === 'number' ? value : null, langOf(options)),
      /** {{fmtMoney "1234.50"}}: "1.234,50 €" (it), "€1,234.50" (en). */
      fmtMoney: (value: unknown, options: HelperOptions) =>
        typeof value === 'string' || typeof value === 'number'
          ? formatMoney(String(value), langOf(options))
          : '',
      /** {{answerText answer}}: a consent's yes/no in the page's language, other answers as given. */
      answerText: (answer: unknown, options: HelperOptions) =>
        answer === 'yes' || answer === 'no'
          ? translate(`work.steps.${answer}`, options)
          : typeof answer === 'string'
            ? answer
            : '',
      /** {{languageName "en"}}: a language's name in the page's language ("inglese"). */
      languageName: (code: unknown, options: HelperOptions) =>
        typeof code === 'string' && /^[a-z]{2,3}$/i.test(code)
          ? (languageNames(langOf(options)).of(code) ?? code)
          : '',
      /** {{statusLabel status}}: an outcome status's label in the page's language. */
      statusLabel: (status: unknown, options: HelperOptions) => {
        if (typeof status !== 'object' || status === null) return '';
        const { label, labelEn } = status as { label?: unknown; labelEn?: unknown };
        if (langOf(options) === 'en' && typeof labelEn === 'string' && labelEn) return labelEn;
        return typeof label === 'string' ? label : '';
      },
      year: () => new Date().getFullYear(),
      /**
       * {{phoneLink phone}}: the number as a click-to-call link for the softphone
       * (PHONE_LINK_SCHEME `tel:` or `sip:`); escaped here, the only markup is ours.
       */
      phoneLink: (phone: unknown) => {
        if (typeof phone !== 'string' || phone === '') return '';
        const dial = phone.replace(/[^0-9+]/g, '');
        const text = Handlebars.escapeExpression(phone);
        return new Handlebars.SafeString(
          `<a class="phone-link" href="${phoneScheme}:${dial}" title="${text}"><code>${text}</code></a>`,
        );
      },
    },
  });
}
