import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { isApiRequest } from './request-context';

// Synchronizer-token CSRF: the token lives in the database-backed session.
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const fromHeader = req.headers['x-csrf-token'];
    if (typeof fromHeader === 'string') return fromHeader;
    // A multipart upload (a CSV import without scripts) is streamed, never parsed before
    // the route, so its form carries the token in its action URL instead.
    const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
    return req.is('multipart/form-data') && typeof fromQuery === 'string' ? fromQuery : undefined;
  },
});

export { generateToken as generateCsrfToken };

/**
 * Every state-changing request that relies on the session cookie must carry the token.
 * Bearer-token requests carry no ambient credential, and API calls without a signed-in
 * session use no cookie at all, so neither can be forged cross-site.
 */
export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  const bearer = req.headers.authorization?.startsWith('Bearer ') ?? false;
  const cookieLessApi = isApiRequest(req) && req.session?.userId === undefined;
  if (bearer || cookieLessApi) {
    next();
    return;
  }
  csrfSynchronisedProtection(req, res, (error?: unknown) => {
    // The token has done its job; DTOs refuse unknown fields, so it leaves the body here.
    if (!error && req.body && typeof req.body === 'object')
      delete (req.body as Record<string, unknown>)._csrf;
    next(error);
  });
}

/**
 * In an HTML form an empty input means "not given": drop it so optional fields stay
 * optional and required ones are reported as missing.
 */
export function formBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
    const body = req.body as Record<string, unknown>;
    for (const key of Object.keys(body)) if (body[key] === '') delete body[key];
  }
  next();
}
