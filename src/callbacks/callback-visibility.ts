import type { Viewer, VisibleRows } from '../common/access/viewer';

/**
 * Invariant 6 as a read rule: an operator sees the callbacks they own (private or public)
 * and the public ones of the campaigns they are assigned to; coordinators and admins see
 * all; no other role sees any. `GET /callbacks`, a contact's history and the workstation's
 * card all read through it.
 */
export function callbacksVisibleTo(viewer: Viewer, alias: string): VisibleRows {
  switch (viewer.role) {
    case 'admin':
    case 'coordinator':
      return 'all';
    case 'operator': {
      const own = `${alias}.ownerId = :visibleOwnerId`;
      if (viewer.campaignIds.length === 0)
        return { where: own, params: { visibleOwnerId: viewer.id } };
      return {
        where: `(${own} OR (${alias}.visibility = 'public' AND ${alias}.campaignId IN (:...visibleCampaignIds)))`,
        params: { visibleOwnerId: viewer.id, visibleCampaignIds: [...viewer.campaignIds] },
      };
    }
    case 'backoffice':
    case 'integration':
      return 'none';
  }
}

/** The same rule for one callback already loaded. */
export function mayViewCallback(
  viewer: Viewer,
  callback: { ownerId: number | null; visibility: string; campaignId: number },
): boolean {
  const rule = callbacksVisibleTo(viewer, 'cb');
  if (rule === 'all') return true;
  if (rule === 'none') return false;
  return (
    callback.ownerId === viewer.id ||
    (callback.visibility === 'public' && viewer.campaignIds.includes(callback.campaignId))
  );
}
