import { promisify } from 'node:util';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../common/http/request-context';
import type { User } from '../users/user.entity';
import { sessionKey } from './web-session.store';

/** Session changes on sign-in and sign-out, as promises. */
export const SessionSignIn = {
  /** A fresh session id on sign-in, so a planted cookie never becomes a signed-in one. */
  async signIn(req: Request, user: User): Promise<void> {
    const lang = user.uiLanguage ?? req.session.lang;
    await promisify(req.session.regenerate.bind(req.session))();
    req.session.userId = user.id;
    if (lang) req.session.lang = lang;
    await promisify(req.session.save.bind(req.session))();
  },

  async signOut(req: Request): Promise<void> {
    await promisify(req.session.destroy.bind(req.session))();
  },
};

/** The credential a request came with, to keep it when the user's others end. */
export function currentCredentials(
  user: Pick<AuthenticatedUser, 'via' | 'tokenId'>,
  req: Request,
): { sessionId?: string; tokenId?: number } {
  return user.via === 'token'
    ? { tokenId: user.tokenId }
    : { sessionId: req.sessionID ? sessionKey(req.sessionID) : undefined };
}
