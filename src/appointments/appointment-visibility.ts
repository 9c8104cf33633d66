import type { Viewer, VisibleRows } from '../common/access/viewer';

/**
 * An appointment carries the customer's name, phone, address and notes: an operator sees
 * those of the campaigns they are assigned to (the agenda of the outcome step, a contact's
 * history); coordinators, admins and backoffice (who move, close and reschedule visits)
 * see all; an integration none. The API, the agenda pages and a contact's history read
 * through it.
 */
export function appointmentsVisibleTo(viewer: Viewer, alias: string): VisibleRows {
  switch (viewer.role) {
    case 'admin':
    case 'coordinator':
    case 'backoffice':
      return 'all';
    case 'operator':
      if (viewer.campaignIds.length === 0) return 'none';
      return {
        where: `${alias}.campaignId IN (:...visibleCampaignIds)`,
        params: { visibleCampaignIds: [...viewer.campaignIds] },
      };
    case 'integration':
      return 'none';
  }
}

/** The same rule for one appointment already loaded. */
export function mayViewAppointment(viewer: Viewer, appointment: { campaignId: number }): boolean {
  const rule = appointmentsVisibleTo(viewer, 'ap');
  if (rule === 'all') return true;
  if (rule === 'none') return false;
  return viewer.campaignIds.includes(appointment.campaignId);
}
