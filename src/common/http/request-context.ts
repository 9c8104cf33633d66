import type { Language } from '../../config/app.config';
import type { Role } from '../access/role';
import type { SayArgs } from '../errors/domain-errors';

/** Who is making the request, as the guards and controllers see it. */
export interface AuthenticatedUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  uiLanguage: Language;
  /** Languages the user speaks (ISO 639-1): an operator is offered contacts in these first. */
  languages: string[];
  /** How the request authenticated: a browser session or an API bearer token. */
  via: 'session' | 'token';
  tokenId?: number;
}

export interface FlashMessage {
  type: 'success' | 'error' | 'info';
  /** An i18n key, or a literal text when `literal` is set. */
  text: string;
  literal?: boolean;
  args?: SayArgs;
}

/** What a failed form submission leaves for the page it is redirected back to. */
export interface FormState {
  errors: Record<string, string>;
  values: Record<string, unknown>;
}

declare module 'express-session' {
  interface SessionData {
    userId: number;
    lang: Language;
    flash: FlashMessage[];
    formState: FormState;
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthenticatedUser;
    id?: string | number | object;
  }
}

/**
 * The request's path as the browser sent it. Inside middleware mounted on a path,
 * Express's `req.path` is relative to the mount point, so it cannot be trusted there.
 */
export function pathOf(req: { originalUrl: string }): string {
  const end = req.originalUrl.search(/[?#]/);
  return end === -1 ? req.originalUrl : req.originalUrl.slice(0, end);
}

export function isApiRequest(req: { originalUrl: string }): boolean {
  return pathOf(req).startsWith('/api/');
}
