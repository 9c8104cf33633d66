import { promisify } from 'node:util';
import type { Request } from 'express';
import type { User } from '../users/user.entity';

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
