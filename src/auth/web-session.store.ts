import { createHash } from 'node:crypto';
import { SessionData, Store } from 'express-session';
import { Repository } from 'typeorm';
import { WebSession } from './web-session.entity';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** The row key is a hash of the cookie's session id: a copy of the table opens no session. */
export function sessionKey(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

/**
 * express-session store on our own table, so every app instance sees every session
 * and a restart signs nobody out.
 */
export class WebSessionStore extends Store {
  constructor(
    private readonly sessions: Repository<WebSession>,
    private readonly ttlMs: number,
  ) {
    super();
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.sessions
      .findOneBy({ id: sessionKey(sid) })
      .then((row) => {
        if (!row || row.expiresAt.getTime() <= Date.now()) return callback(undefined, null);
        callback(undefined, JSON.parse(row.data) as SessionData);
      })
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    const row: WebSession = {
      id: sessionKey(sid),
      userId: session.userId ?? null,
      data: JSON.stringify(session),
      expiresAt: this.expiryOf(session),
    };
    // Upsert on the primary key: one statement on both MySQL and SQLite.
    this.sessions
      .upsert(row, ['id'])
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.sessions
      .update({ id: sessionKey(sid) }, { expiresAt: this.expiryOf(session) })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.sessions
      .delete({ id: sessionKey(sid) })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  private expiryOf(session: SessionData): Date {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.ttlMs);
  }
}
