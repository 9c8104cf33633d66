import { EntityManager, In } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { Appointment } from '../appointments/appointment.entity';
import { appointmentsVisibleTo } from '../appointments/appointment-visibility';
import { Callback } from '../callbacks/callback.entity';
import { mayViewCallback } from '../callbacks/callback-visibility';
import { whereVisible, type Viewer } from '../common/access/viewer';
import { type LastStatusView, toLastStatusView } from '../contacts/dto/contact.view';
import { Contract } from '../contracts/contract.entity';
import { mayViewContract } from '../contracts/contract-visibility';
import { Interaction } from '../interactions/interaction.entity';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';

/** Newest first, at most this many of each kind on a contact card. */
const HISTORY_LIMIT = 50;

export interface InteractionHistoryView {
  id: number;
  at: string;
  status: LastStatusView | null;
  operatorName: string | null;
  notes: string | null;
  answers: Record<string, string>;
  durationSeconds: number;
}

export interface CallbackHistoryView {
  id: number;
  dueAt: string;
  visibility: string;
  state: string;
  ownerName: string | null;
  notes: string | null;
  reason: string | null;
}

export interface ContractHistoryView {
  id: number;
  protocolNumber: string;
  status: string;
  total: string;
  createdAt: string;
}

export interface AppointmentHistoryView {
  id: number;
  agentName: string | null;
  startsAt: string;
  endsAt: string;
  state: string;
  overlaps: boolean;
  notes: string | null;
}

export interface ContactHistory {
  interactions: InteractionHistoryView[];
  callbacks: CallbackHistoryView[];
  contracts: ContractHistoryView[];
  appointments: AppointmentHistoryView[];
}

/**
 * A contact's previous calls with their outcome colours, and the callbacks, contracts and
 * appointments the viewer may see: the same rules as `GET /callbacks`, `/contracts` and
 * `/appointments` (invariant 15), so a colleague's private callback or another operator's
 * sale never reaches a card.
 */
export async function loadContactHistory(
  em: EntityManager,
  contactId: number,
  viewer: Viewer,
): Promise<ContactHistory> {
  const newest = { order: { id: 'DESC' as const }, take: HISTORY_LIMIT };
  const [interactions, allCallbacks, allContracts, appointments] = await Promise.all([
    em.getRepository(Interaction).find({ where: { contactId }, ...newest }),
    em.getRepository(Callback).find({ where: { contactId }, ...newest }),
    em.getRepository(Contract).find({ where: { contactId }, ...newest }),
    whereVisible(
      em
        .getRepository(Appointment)
        .createQueryBuilder('ap')
        .where('ap.contactId = :contactId', { contactId })
        .orderBy('ap.id', 'DESC')
        .limit(HISTORY_LIMIT),
      appointmentsVisibleTo(viewer, 'ap'),
    ).getMany(),
  ]);
  // A contact has few of each: the rules are applied to the rows, so that a call whose
  // callback or contract is hidden can hide its notes and answers too (they are the same
  // words the operator wrote for that callback or sale).
  const callbacks = allCallbacks.filter((c) => mayViewCallback(viewer, c));
  const contracts = allContracts.filter((c) => mayViewContract(viewer, c));
  const shownCallbacks = new Set(callbacks.map((c) => c.id));
  const shownContracts = new Set(contracts.map((c) => c.id));
  const privateCall = (i: Interaction) =>
    (i.callbackId !== null && !shownCallbacks.has(i.callbackId)) ||
    (i.contractId !== null && !shownContracts.has(i.contractId));
  const userIds = [
    ...interactions.map((i) => i.operatorId),
    ...callbacks.map((c) => c.ownerId),
  ].filter((id): id is number => id !== null);
  const [users, statuses, agents] = await Promise.all([
    userIds.length ? em.getRepository(User).findBy({ id: In([...new Set(userIds)]) }) : [],
    interactions.length
      ? em
          .getRepository(OutcomeStatus)
          .findBy({ id: In([...new Set(interactions.map((i) => i.statusId))]) })
      : [],
    appointments.length
      ? em.getRepository(Agent).findBy({ id: In([...new Set(appointments.map((a) => a.agentId))]) })
      : [],
  ]);
  const userName = new Map(users.map((u) => [u.id, u.displayName]));
  const status = new Map(statuses.map((s) => [s.id, toLastStatusView(s)]));
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  return {
    interactions: interactions.map((i) => ({
      id: i.id,
      at: i.createdAt.toISOString(),
      status: status.get(i.statusId) ?? null,
      operatorName: i.operatorId === null ? null : (userName.get(i.operatorId) ?? null),
      // Someone else's private callback or sale: the outcome shows, its words do not.
      notes: privateCall(i) ? null : i.notes,
      answers: privateCall(i) ? {} : (i.answers ?? {}),
      durationSeconds: i.durationSeconds,
    })),
    callbacks: callbacks.map((c) => ({
      id: c.id,
      dueAt: c.dueAt.toISOString(),
      visibility: c.visibility,
      state: c.state,
      ownerName: c.ownerId === null ? null : (userName.get(c.ownerId) ?? null),
      notes: c.notes,
      reason: c.reason,
    })),
    contracts: contracts.map((c) => ({
      id: c.id,
      protocolNumber: c.protocolNumber,
      status: c.status,
      total: c.total,
      createdAt: c.createdAt.toISOString(),
    })),
    appointments: appointments.map((a) => ({
      id: a.id,
      agentName: agentName.get(a.agentId) ?? null,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      state: a.state,
      overlaps: a.overlaps,
      notes: a.notes,
    })),
  };
}
