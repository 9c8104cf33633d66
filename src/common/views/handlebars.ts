import { join } from 'node:path';
import { create } from 'express-handlebars';
import Handlebars, { type HelperOptions } from 'handlebars';
import type { I18nService } from 'nestjs-i18n';

export const VIEWS_DIR = join(__dirname, '..', '..', '..', 'views');

type Args = Record<string, unknown>;

/** The view engine: layouts and partials under views/, helpers for translation and forms. */
export function createViewEngine(i18n: I18nService, phoneScheme: 'tel' | 'sip' = 'tel') {
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
        message: { text: string; literal?: boolean; args?: Args },
        options: HelperOptions,
      ) => (message.literal ? message.text : translate(message.text, options, message.args)),
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
      dateTime: (iso: unknown, options: HelperOptions) => {
        if (typeof iso !== 'string') return '';
        return new Intl.DateTimeFormat(langOf(options) === 'en' ? 'en-GB' : 'it-IT', {
          dateStyle: 'short',
          timeStyle: 'short',
          timeZone: 'Europe/Rome',
        }).format(new Date(iso));
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
