import type { EntityManager } from 'typeorm';

/**
 * Serialises every change of one agent's agenda (invariant 5) with a write, not a read
 * lock: the agent's `agenda_version` goes up by one. On one MySQL server the UPDATE takes
 * the row's exclusive lock as SELECT ... FOR UPDATE did; on a Galera cluster a lock that
 * writes nothing is not certified, and two nodes could both book the agent's slot, while
 * two writes of one row conflict and one transaction is rolled back (and retried). Raw
 * SQL: the version is not configuration (no cache stamp, no audit line).
 */
export async function lockAgentAgenda(em: EntityManager, agentId: number): Promise<void> {
  await em.query('UPDATE agents SET agenda_version = agenda_version + 1 WHERE id = ?', [agentId]);
}
