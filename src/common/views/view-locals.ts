import type { Request, Response } from 'express';
import type { Language } from '../../config/app.config';
import { generateCsrfToken } from '../http/csrf';
import { pathOf } from '../http/request-context';
import { navigationFor } from './navigation';

/**
 * What every page's layout needs (language, who is signed in, menu, CSRF token, flash
 * messages, the state of a form that failed), put on res.locals once per request.
 */
export function setLayoutLocals(req: Request, res: Response, defaultLanguage: Language): void {
  if (res.locals.layoutReady) return;
  res.locals.layoutReady = true;
  const user = req.user;
  const lang: Language = user?.uiLanguage ?? req.session?.lang ?? defaultLanguage;
  res.locals.lang = lang;
  res.locals.requestId =
    typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : undefined;
  if (user) {
    res.locals.currentUser = {
      displayName: user.displayName,
      username: user.username,
      role: user.role,
    };
    res.locals.nav = navigationFor(user.role, pathOf(req));
  }
  if (req.session) {
    // A token is stored in the session, so only when a form may need it: a signed-in user,
    // a session already started, or a public page with a form (@AnonymousForm).
    const started = (req.session as { csrfToken?: unknown }).csrfToken !== undefined;
    if (user || started || res.locals.anonymousForm === true) {
      res.locals.csrfToken = generateCsrfToken(req);
    }
    res.locals.flash = req.session.flash ?? [];
    res.locals.form = req.session.formState ?? { errors: {}, values: {} };
    delete req.session.flash;
    delete req.session.formState;
  }
}
