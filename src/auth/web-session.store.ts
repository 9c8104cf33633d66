import { createHash } from 'node:crypto';
import { SessionData, Store } from 'express-session';
import { Repository } from 'typeorm';
import { WebSession } from './web-session.entity';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** How far a rolling session's expiry may move before its row is written again. */
const TOUCH_EVERY_MS = 60_000;
const REMEMBERED_SESSIONS = 50_000;

/** The row key is a hash of the cookie's session id: a copy of the table opens no session. */
export function sessionKey(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

/**
 * express-session store on our own table, so every app instance sees every session
 * and a restart signs nobody out.
 */
export class WebSessionStore extends Store {
  /** The expiry each session was read with, to leave a rolling one alone for a minute. */
  private readonly expiries = new Map<string, number>();

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
        this.remember(sid, row.expiresAt.getTime());
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

  /**
   * A rolling session's new expiry, written at most once a minute per session: every
   * request of a signed-in page would otherwise write its row (an operator's workstation
   * sends several a minute); a minute off an expiry hours away changes nothing.
   */
  override touch(sid: string, session: SessionData, callback?: Callback): void {
    const expiresAt = this.expiryOf(session);
    const known = this.expiries.get(sid);
    if (known !== undefined && expiresAt.getTime() - known < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.remember(sid, expiresAt.getTime());
    this.sessions
      .update({ id: sessionKey(sid) }, { expiresAt })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.expiries.delete(sid);
    this.sessions
      .delete({ id: sessionKey(sid) })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  private remember(sid: string, expiresAt: number): void {
    // Bounded: past this many sessions the oldest-read are forgotten (they are written once more).
    if (this.expiries.size >= REMEMBERED_SESSIONS) {
      this.expiries.delete(this.expiries.keys().next().value!);
    }
    this.expiries.delete(sid);
    this.expiries.set(sid, expiresAt);
  }

  private expiryOf(session: SessionData): Date {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.ttlMs);
  }
}
