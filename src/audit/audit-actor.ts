import { AsyncLocalStorage } from 'node:async_hooks';

/** Who the work in progress is done for: set once a request is authenticated. */
export interface AuditActor {
  userId: number;
  /** Records that the user downloaded a file (the request's path says which, with its filters). */
  downloaded(file: { name: string; path: string }): Promise<void>;
}

const actors = new AsyncLocalStorage<AuditActor>();

/** Runs the rest of a request as the user (the audit trail names them on what it writes). */
export function actingAs<T>(actor: AuditActor, work: () => T): T {
  return actors.run(actor, work);
}

/** The user the current request acts for; null for jobs and anonymous requests. */
export function currentActor(): number | null {
  return actors.getStore()?.userId ?? null;
}

/** Records a download by the current request's user; nothing for jobs and anonymous ones. */
export async function recordDownload(file: { name: string; path: string }): Promise<void> {
  await actors.getStore()?.downloaded(file);
}
