import type { SessionData } from 'express-session';
import type { Repository } from 'typeorm';
import { sessionKey, WebSessionStore } from './web-session.store';
import type { WebSession } from './web-session.entity';

/** The rows of a fake table, and the expiry writes the store sent it. */
function fakeSessions(expiresAt: Date) {
  const writes: Date[] = [];
  const repo = {
    findOneBy: ({ id }: { id: string }) =>
      Promise.resolve(
        id === sessionKey('sid-1') ? { id, userId: 7, data: '{"userId":7}', expiresAt } : null,
      ),
    update: (_where: unknown, changes: { expiresAt: Date }) => {
      writes.push(changes.expiresAt);
      return Promise.resolve({ affected: 1 });
    },
  } as unknown as Repository<WebSession>;
  return { repo, writes };
}

const session = (expires: Date) => ({ cookie: { expires } }) as unknown as SessionData;
const touch = (store: WebSessionStore, sid: string, expires: Date) =>
  new Promise<void>((resolve) => store.touch(sid, session(expires), () => resolve()));
const get = (store: WebSessionStore, sid: string) =>
  new Promise<SessionData | null | undefined>((resolve) =>
    store.get(sid, (_error, value) => resolve(value)),
  );

describe('WebSessionStore: rolling expiry', () => {
  const stored = new Date(Date.now() + 3_600_000);

  it('leaves a session read less than a minute ago alone, and writes it once the expiry moved a minute', async () => {
    const { repo, writes } = fakeSessions(stored);
    const store = new WebSessionStore(repo, 3_600_000);
    expect(await get(store, 'sid-1')).toEqual({ userId: 7 });
    await touch(store, 'sid-1', new Date(stored.getTime() + 30_000));
    expect(writes).toEqual([]);
    const later = new Date(stored.getTime() + 61_000);
    await touch(store, 'sid-1', later);
    expect(writes).toEqual([later]);
    // Counted from what was written last.
    await touch(store, 'sid-1', new Date(later.getTime() + 59_000));
    expect(writes).toHaveLength(1);
  });

  it('writes a session it has not read', async () => {
    const { repo, writes } = fakeSessions(stored);
    const store = new WebSessionStore(repo, 3_600_000);
    await touch(store, 'sid-2', new Date(stored.getTime() + 1_000));
    expect(writes).toHaveLength(1);
  });
});
