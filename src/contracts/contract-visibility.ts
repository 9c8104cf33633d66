import type { Viewer, VisibleRows } from '../common/access/viewer';

/**
 * Operators see the contracts they closed, and to them any other does not exist (404);
 * backoffice, coordinators and admins see all; an integration none. The contracts list,
 * one contract, its export and a contact's history all read through it.
 */
export function contractsVisibleTo(
  viewer: Pick<Viewer, 'id' | 'role'>,
  alias: string,
): VisibleRows {
  switch (viewer.role) {
    case 'admin':
    case 'coordinator':
    case 'backoffice':
      return 'all';
    case 'operator':
      return {
        where: `${alias}.operatorId = :visibleOperatorId`,
        params: { visibleOperatorId: viewer.id },
      };
    case 'integration':
      return 'none';
  }
}

/** The same rule for one contract already loaded. */
export function mayViewContract(
  viewer: Pick<Viewer, 'id' | 'role'>,
  contract: { operatorId: number | null },
): boolean {
  const rule = contractsVisibleTo(viewer, 'c');
  if (rule === 'all') return true;
  if (rule === 'none') return false;
  return contract.operatorId === viewer.id;
}
