import type { Request } from 'express';
import type { User } from '../users/user.entity';

/** Session changes on sign-in and sign-out, wrapped as promises. */
export const SessionSignIn = {
  /** A fresh session id on sign-in, so a planted cookie never becomes a signed-in one. */
  async signIn(req: Request, user: User): Promise<void> {
    const lang = user.uiLanguage ?? req.session.lang;
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((error: unknown) => (error ? reject(error as Error) : resolve())),
    );
    req.session.userId = user.id;
    if (lang) req.session.lang = lang;
    await new Promise<void>((resolve, reject) =>
      req.session.save((error: unknown) => (error ? reject(error as Error) : resolve())),
    );
  },

  async signOut(req: Request): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((error: unknown) => (error ? reject(error as Error) : resolve())),
    );
  },
};
