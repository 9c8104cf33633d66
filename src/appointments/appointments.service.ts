import { lockAgentAgenda } from './agent-lock';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { AuditService } from '../audit/audit.service';
import { CallbackBook } from '../callbacks/callback-book';
import { Campaign } from '../campaigns/campaign.entity';
import { CAMPAIGN_DEFAULTS } from '../campaigns/campaign-defaults';
import { retriedTransaction } from '../common/database/retried-transaction';
import { forUpdate } from '../common/database/row-lock';
import { CampaignAccess } from '../campaigns/campaign-access';
import { whereVisible } from '../common/access/viewer';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { appointmentsVisibleTo, mayViewAppointment } from './appointment-visibility';
import { zonedLocalToUtc } from '../common/time/local-time';
import { addDays } from '../common/time/calendar-day';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import { User } from '../users/user.entity';
import { webhookEvent } from '../webhooks/webhook-events';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { contactZones, dayRange, DayRange } from './agenda.service';
import { AppointmentBooker } from './appointment-booker';
import { Appointment, APPOINTMENT_STATES, AppointmentState } from './appointment.entity';

export interface AppointmentView {
  id: number;
  agentId: number;
  agentName: string;
  campaignId: number;
  campaignName: string;
  timezone: string;
  contactId: number;
  contact: { name: string; phone: string; address: string; zones: string[] };
  operatorId: number | null;
  operatorName: string | null;
  startsAt: string;
  endsAt: string;
  state: AppointmentState;
  overlaps: boolean;
  notes: string | null;
  stateReason: string | null;
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

export interface AppointmentQuery extends DayRange {
  agentId?: number;
  campaignId?: number;
  /** Appointments of the agents covering this province or postcode. */
  zone?: string;
  state?: AppointmentState;
}

/** Who acts on the agenda page: recorded with the change. */
export interface Actor {
  id: number;
}

/** The most rows one list returns: a week of a large agenda. */
export const MAX_APPOINTMENTS = 5000;

/** The customer's address as the list gave it: street, postcode, city, province. */
export function contactAddress(contact: Pick<Contact, 'city' | 'province' | 'fields'>): string {
  const fields = contact.fields ?? {};
  const street = fields.address ?? fields.indirizzo ?? fields.via;
  const postcode = fields.postcode ?? fields.cap ?? fields.zip;
  const town = [postcode, contact.city, contact.province ? `(${contact.province})` : null]
    .filter(Boolean)
    .join(' ');
  return [street, town].filter((part) => part && part.trim() !== '').join(', ');
}

/**
 * The agenda page's side of appointments: lists across agents, moves, cancellations, done /
 * no-show, and "to be rescheduled" (a callback for the operator who booked it). Every change
 * locks the agent's row first, as a booking does (see AppointmentBooker), so a booking and a
 * change of one agent never interleave.
 */
@Injectable()
export class AppointmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly booker: AppointmentBooker,
    private readonly audit: AuditService,
    private readonly callbacks: CallbackBook,
    private readonly queue: ContactQueue,
    private readonly access: CampaignAccess,
    private readonly webhooks: WebhookOutbox,
  ) {}

  async list(
    query: AppointmentQuery,
    now: Date,
    user: AuthenticatedUser,
  ): Promise<AppointmentView[]> {
    const em = this.dataSource.manager;
    const viewer = await this.access.viewer(user);
    if (
      query.campaignId !== undefined &&
      !mayViewAppointment(viewer, { campaignId: query.campaignId })
    ) {
      throw new ForbiddenError(`campaignId: you are not assigned to campaign ${query.campaignId}`);
    }
    let zone: string = CAMPAIGN_DEFAULTS.timezone;
    if (query.campaignId !== undefined) {
      const campaign = await em.findOneBy(Campaign, { id: query.campaignId });
      if (!campaign)
        throw new ValidationError(
          'campaignId',
          `campaignId: campaign ${query.campaignId} not found`,
        );
      zone = campaign.timezone;
    }
    const range = dayRange({ from: query.from, to: query.to }, zone, now, 7);
    const since =
      zonedLocalToUtc(`${range.from}T00:00`, zone) ?? new Date(`${range.from}T00:00:00Z`);
    const until =
      zonedLocalToUtc(`${addDays(range.to, 1)}T00:00`, zone) ??
      new Date(`${addDays(range.to, 1)}T00:00:00Z`);
    const found = em
      .createQueryBuilder(Appointment, 'ap')
      .where('ap.startsAt >= :since AND ap.startsAt < :until', { since, until })
      .orderBy('ap.startsAt', 'ASC')
      .addOrderBy('ap.id', 'ASC')
      .take(MAX_APPOINTMENTS);
    whereVisible(found, appointmentsVisibleTo(viewer, 'ap'));
    if (query.agentId !== undefined)
      found.andWhere('ap.agentId = :agentId', { agentId: query.agentId });
    if (query.campaignId !== undefined) {
      found.andWhere('ap.campaignId = :campaignId', { campaignId: query.campaignId });
    }
    if (query.state !== undefined) found.andWhere('ap.state = :state', { state: query.state });
    if (query.zone !== undefined) {
      const wanted = query.zone.trim().toUpperCase();
      const agents = await em.find(Agent, { select: { id: true, zones: true } });
      const covering = agents.filter((a) => a.zones.includes(wanted)).map((a) => a.id);
      if (covering.length === 0) return [];
      found.andWhere('ap.agentId IN (:...covering)', { covering });
    }
    return this.views(em, await found.getMany());
  }

  /** One appointment; one the user may not see does not exist to them (404). */
  async get(id: number, user: AuthenticatedUser): Promise<AppointmentView> {
    const em = this.dataSource.manager;
    const appointment = await em.findOneBy(Appointment, { id });
    if (!appointment || !mayViewAppointment(await this.access.viewer(user), appointment)) {
      throw new NotFoundError('appointment', id);
    }
    return (await this.views(em, [appointment]))[0]!;
  }

  /** One appointment after a change the caller was allowed to make (their roles see all). */
  private async view(id: number): Promise<AppointmentView> {
    const em = this.dataSource.manager;
    const appointment = await em.findOneBy(Appointment, { id });
    if (!appointment) throw new NotFoundError('appointment', id);
    return (await this.views(em, [appointment]))[0]!;
  }

  /** To another slot, and possibly another agent of the campaign, by the same rules as a booking. */
  async move(
    actor: Actor,
    id: number,
    input: { startsAt: string; agentId?: number; acknowledgeOverlap?: boolean; reason?: string },
    now: Date,
  ): Promise<AppointmentView> {
    await this.transaction(async (em) => {
      const current = await em.findOneBy(Appointment, { id });
      if (!current) throw new NotFoundError('appointment', id);
      const agentId = input.agentId ?? current.agentId;
      // Both agents' rows, in id order so two opposite moves cannot deadlock.
      await this.lockAgents(em, [current.agentId, agentId]);
      const appointment = await this.lockBooked(em, id, 'moved');
      const campaign = await em.findOneByOrFail(Campaign, { id: appointment.campaignId });
      const place = await this.booker.check(em, {
        campaign,
        agentId,
        startsAt: input.startsAt,
        acknowledgeOverlap: input.acknowledgeOverlap === true,
        now,
        ignoreId: id,
      });
      await em.update(
        Appointment,
        { id },
        {
          agentId: place.agent.id,
          startsAt: place.startsAt,
          endsAt: place.endsAt,
          overlaps: place.overlaps,
          stateReason: input.reason?.trim() || null,
          changedBy: actor.id,
          sequence: appointment.sequence + 1,
        },
      );
      await this.audit.record(em, {
        userId: actor.id,
        action: 'appointment.moved',
        entity: 'appointment',
        entityId: id,
        detail: `agent ${appointment.agentId} ${appointment.startsAt.toISOString()} to agent ${place.agent.id} ${place.startsAt.toISOString()}${input.reason ? `: ${input.reason}` : ''}`,
      });
    });
    return this.view(id);
  }

  /** Cancelled (the reason is required), done or no-show. */
  async close(
    actor: Actor,
    id: number,
    input: { state: AppointmentState; reason?: string },
    now: Date,
  ): Promise<AppointmentView> {
    const reason = input.reason?.trim() || null;
    if (!['cancelled', 'done', 'no_show'].includes(input.state)) {
      throw new ValidationError('state', 'state must be one of: cancelled, done, no_show');
    }
    if (input.state === 'cancelled' && !reason) {
      throw new ValidationError('reason', 'reason: say why the appointment is cancelled');
    }
    await this.transaction(async (em) => {
      const appointment = await this.lockForChange(em, id, input.state);
      if (input.state !== 'cancelled' && appointment.startsAt.getTime() > now.getTime()) {
        throw new ConflictError(
          `state: appointment ${id} starts at ${appointment.startsAt.toISOString()}; it can be marked ${input.state === 'done' ? 'done' : 'no-show'} once it has started`,
          'state',
        );
      }
      await em.update(
        Appointment,
        { id },
        {
          state: input.state,
          stateReason: reason,
          changedBy: actor.id,
          sequence: appointment.sequence + 1,
        },
      );
      await this.audit.record(em, {
        userId: actor.id,
        action: `appointment.${input.state}`,
        entity: 'appointment',
        entityId: id,
        detail: reason,
      });
      if (input.state === 'cancelled') {
        await this.cancelledEvent(em, appointment, 'cancelled', now);
      }
    });
    return this.view(id);
  }

  /**
   * The agent cannot keep it: the appointment leaves the agenda and the operator who booked
   * it gets a private callback due now, carrying the appointment's context (a public one
   * when that operator is gone). The contact's other active callback, if any, is replaced.
   */
  async reschedule(
    actor: Actor,
    id: number,
    input: { reason?: string },
    now: Date,
  ): Promise<{ appointment: AppointmentView; callbackId: number }> {
    const reason = input.reason?.trim() || null;
    const callbackId = await this.transaction(async (em) => {
      const appointment = await this.lockForChange(em, id, 'reschedule');
      await em.update(
        Appointment,
        { id },
        {
          state: 'reschedule',
          stateReason: reason,
          changedBy: actor.id,
          sequence: appointment.sequence + 1,
        },
      );
      const [agent, owner] = await Promise.all([
        em.findOneByOrFail(Agent, { id: appointment.agentId }),
        appointment.operatorId === null
          ? null
          : em.findOneBy(User, { id: appointment.operatorId, active: true, role: 'operator' }),
      ]);
      const context = [
        `Appointment ${appointment.startsAt.toISOString()} with ${agent.name} to be rescheduled`,
        reason,
        appointment.notes,
      ]
        .filter(Boolean)
        .join(' · ');
      const { phone } = await em
        .getRepository(Contact)
        .findOneOrFail({ where: { id: appointment.contactId }, select: { id: true, phone: true } });
      // Replaces the contact's other active callback (one per contact, and per number).
      const newId = await this.callbacks.schedule(
        em,
        {
          contactId: appointment.contactId,
          phone,
          campaignId: appointment.campaignId,
          ownerId: owner?.id ?? null,
          visibility: owner ? 'private' : 'public',
          dueAt: now,
          notes: context.slice(0, 2000),
          reason: 'appointment to be rescheduled',
          answers: null,
        },
        now,
        actor.id,
      );
      await this.queue.awaitCallback(em, appointment.contactId, now);
      await this.audit.record(em, {
        userId: actor.id,
        action: 'appointment.reschedule',
        entity: 'appointment',
        entityId: id,
        detail: `callback ${newId}${reason ? `: ${reason}` : ''}`,
      });
      // Out of the agenda, and a callback in its place: both said outside (invariant 16).
      await this.cancelledEvent(em, appointment, 'reschedule', now, { id: newId, dueAt: now });
      return newId;
    });
    return { appointment: await this.view(id), callbackId };
  }

  /**
   * `appointment.cancelled` (and the callback that replaces it, if any) into the webhook
   * outbox, in the caller's transaction.
   */
  private async cancelledEvent(
    em: EntityManager,
    appointment: Appointment,
    state: 'cancelled' | 'reschedule',
    now: Date,
    callback?: { id: number; dueAt: Date },
  ): Promise<void> {
    const campaign = await em.findOne(Campaign, {
      where: { id: appointment.campaignId },
      select: { id: true, code: true },
    });
    const about = {
      campaignId: appointment.campaignId,
      campaignCode: campaign?.code ?? null,
      contactId: appointment.contactId,
    };
    const events = [
      webhookEvent('appointment.cancelled', now, {
        ...about,
        appointment: {
          id: appointment.id,
          agentId: appointment.agentId,
          startsAt: appointment.startsAt.toISOString(),
          endsAt: appointment.endsAt.toISOString(),
          state,
        },
      }),
    ];
    if (callback) {
      events.push(
        webhookEvent('callback.scheduled', now, {
          ...about,
          callback: {
            id: callback.id,
            dueAt: callback.dueAt.toISOString(),
            reason: 'appointment to be rescheduled',
          },
        }),
      );
    }
    await this.webhooks.recordWithin(em, events);
  }

  /**
   * READ COMMITTED on MySQL, so reads after the agent's lock see what its holder committed;
   * a lost deadlock is tried again.
   */
  private transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return retriedTransaction(this.dataSource, work, { readCommitted: true });
  }

  /** The agent's row, then the appointment's: the order every change of an agenda takes. */
  private async lockForChange(em: EntityManager, id: number, verb: string): Promise<Appointment> {
    const current = await em.findOneBy(Appointment, { id });
    if (!current) throw new NotFoundError('appointment', id);
    await this.lockAgents(em, [current.agentId]);
    return this.lockBooked(em, id, verb);
  }

  private async lockAgents(em: EntityManager, ids: number[]): Promise<void> {
    for (const agentId of [...new Set(ids)].sort((a, b) => a - b)) {
      await lockAgentAgenda(em, agentId);
    }
  }

  /** The appointment, locked; only a booked one can change (409 otherwise). */
  private async lockBooked(em: EntityManager, id: number, verb: string): Promise<Appointment> {
    const appointment = await em.findOne(Appointment, { where: { id }, ...forUpdate(em) });
    if (!appointment) throw new NotFoundError('appointment', id);
    if (appointment.state !== 'booked') {
      throw new ConflictError(
        `state: appointment ${id} is ${appointment.state}; only a booked appointment can be ${verb === 'reschedule' ? 'sent back for rescheduling' : verb === 'moved' ? 'moved' : `marked ${verb}`}`,
        'state',
      );
    }
    return appointment;
  }

  private async views(em: EntityManager, rows: Appointment[]): Promise<AppointmentView[]> {
    if (rows.length === 0) return [];
    const ids = (pick: (a: Appointment) => number | null) => [
      ...new Set(rows.map(pick).filter((v): v is number => v !== null)),
    ];
    const [agents, campaigns, contacts, operators] = await Promise.all([
      em.find(Agent, {
        select: { id: true, name: true },
        where: { id: In(ids((a) => a.agentId)) },
      }),
      em.find(Campaign, {
        select: { id: true, name: true, timezone: true },
        where: { id: In(ids((a) => a.campaignId)) },
      }),
      em.find(Contact, { where: { id: In(ids((a) => a.contactId)) } }),
      em.find(User, {
        select: { id: true, displayName: true, username: true },
        where: { id: In(ids((a) => a.operatorId)) },
      }),
    ]);
    const byId = <T extends { id: number }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
    const [agentOf, campaignOf, contactOf, operatorOf] = [
      byId(agents),
      byId(campaigns),
      byId(contacts),
      byId(operators),
    ];
    return rows.map((a) => {
      const contact = contactOf.get(a.contactId);
      const operator = a.operatorId === null ? undefined : operatorOf.get(a.operatorId);
      return {
        id: a.id,
        agentId: a.agentId,
        agentName: agentOf.get(a.agentId)?.name ?? '',
        campaignId: a.campaignId,
        campaignName: campaignOf.get(a.campaignId)?.name ?? '',
        timezone: campaignOf.get(a.campaignId)?.timezone ?? CAMPAIGN_DEFAULTS.timezone,
        contactId: a.contactId,
        contact: {
          name: contact ? `${contact.firstName} ${contact.lastName}`.trim() : '',
          phone: contact?.phone ?? '',
          address: contact ? contactAddress(contact) : '',
          zones: contact ? contactZones(contact) : [],
        },
        operatorId: a.operatorId,
        operatorName: operator ? operator.displayName || operator.username : null,
        startsAt: a.startsAt.toISOString(),
        endsAt: a.endsAt.toISOString(),
        state: a.state,
        overlaps: a.overlaps,
        notes: a.notes,
        stateReason: a.stateReason,
        sequence: a.sequence,
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      };
    });
  }
}

export { APPOINTMENT_STATES };
