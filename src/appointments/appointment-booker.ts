import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan, MoreThan, Not } from 'typeorm';
import { AgentAbsence } from '../agents/agent-absence.entity';
import { Agent } from '../agents/agent.entity';
import { CampaignAgent } from '../campaigns/campaign-agent.entity';
import type { Campaign } from '../campaigns/campaign.entity';
import { forShare } from '../common/database/row-lock';
import { lockAgentAgenda } from './agent-lock';
import { ConflictError, inEachLanguage, ValidationError } from '../common/errors/domain-errors';
import { formatDateTime } from '../common/format/locale-format';
import { instantInZone, toZonedLocal } from '../common/time/local-time';
import { AgendaService, slotRulesOf } from './agenda.service';
import { Appointment } from './appointment.entity';
import { placeOnGrid, ZoneClock } from './availability';

export interface AppointmentRequest {
  agentId: number;
  startsAt: string;
  acknowledgeOverlap?: boolean;
  notes?: string;
}

export interface BookedAppointment {
  id: number;
  agentId: number;
  agentName: string;
  startsAt: string;
  endsAt: string;
  overlaps: boolean;
}

/** A place in an agent's agenda that passed every rule of the campaign. */
export interface CheckedPlace {
  agent: Agent;
  startsAt: Date;
  endsAt: Date;
  /** Booked over another visit (overlap policy warn, acknowledged, or allow). */
  overlaps: boolean;
}

/**
 * Decides whether a visit may go into a field agent's agenda, inside the caller's
 * transaction (the outcome's, or a move on the agenda page).
 *
 * Race safety (invariant 5) comes from locking the agent's row with a write (agent-lock.ts,
 * which a Galera cluster certifies, where SELECT ... FOR UPDATE is not) before reading
 * their appointments: every booking, move and cancellation of one agent
 * takes that lock first, so they run one after the other and each sees what the previous
 * one committed (the overlap read is a locking read, so it sees that commit even in a
 * REPEATABLE READ snapshot taken earlier). A unique slot key could not do it: with a travel buffer or a policy that
 * allows overlaps, "taken" is not one key per slot. On SQLite transactions run one at a time.
 */
@Injectable()
export class AppointmentBooker {
  constructor(private readonly agenda: AgendaService) {}

  async book(
    em: EntityManager,
    input: {
      campaign: Campaign;
      contactId: number;
      operatorId: number;
      request: AppointmentRequest | undefined;
      now: Date;
    },
  ): Promise<BookedAppointment> {
    const { campaign, request, now } = input;
    if (!request) {
      throw new ValidationError(
        'appointment',
        'appointment: an appointment (type T) needs {agentId, startsAt}',
      );
    }
    const place = await this.check(em, {
      campaign,
      agentId: request.agentId,
      startsAt: request.startsAt,
      acknowledgeOverlap: request.acknowledgeOverlap === true,
      field: 'appointment',
      now,
    });
    const inserted = await em.insert(Appointment, {
      agentId: place.agent.id,
      campaignId: campaign.id,
      contactId: input.contactId,
      operatorId: input.operatorId,
      startsAt: place.startsAt,
      endsAt: place.endsAt,
      state: 'booked',
      overlaps: place.overlaps,
      notes: request.notes?.trim() || null,
    });
    return {
      id: Number(inserted.identifiers[0]!.id),
      agentId: place.agent.id,
      agentName: place.agent.name,
      startsAt: place.startsAt.toISOString(),
      endsAt: place.endsAt.toISOString(),
      overlaps: place.overlaps,
    };
  }

  /**
   * Locks the agent and checks the place against the campaign's rules: the agent works for
   * the campaign and is active, the start is a future slot of their grid inside their
   * working hours, not in an absence, and (by the overlap policy) not over another visit
   * with its travel buffer. `ignoreId` is the appointment being moved. Errors name
   * `<field>.agentId`, `<field>.startsAt`, or `<field>` itself for the agent's hours.
   */
  async check(
    em: EntityManager,
    input: {
      campaign: Campaign;
      agentId: number;
      startsAt: string;
      acknowledgeOverlap: boolean;
      /** The object the request's fields sit in (`appointment`), or none. */
      field?: string;
      now: Date;
      ignoreId?: number;
    },
  ): Promise<CheckedPlace> {
    const { campaign, now } = input;
    // In an outcome the fields sit under `appointment`; a move names its own body's fields.
    const field = input.field ?? 'startsAt';
    const named = (name: string) => (input.field ? `${input.field}.${name}` : name);
    const rules = slotRulesOf(campaign);
    const startsAt = instantInZone(input.startsAt, rules.zone);
    if (startsAt === null) {
      throw new ValidationError(
        named('startsAt'),
        `${named('startsAt')} must be a date and time (ISO 8601)`,
      ).say('agenda.errors.dateTime');
    }
    if (startsAt === 'skipped') {
      throw new ValidationError(
        named('startsAt'),
        `${named('startsAt')}: ${input.startsAt} does not exist in ${rules.zone} (the clocks go forward)`,
      ).say('agenda.errors.skipped');
    }
    const linked = await em
      .getRepository(CampaignAgent)
      .existsBy({ campaignId: campaign.id, agentId: input.agentId });
    if (!linked) {
      throw new ValidationError(
        named('agentId'),
        `${named('agentId')}: agent ${input.agentId} does not work for this campaign`,
      ).say('agenda.errors.agentCampaign');
    }
    // The agent's row lock, taken by a write: see the class comment.
    await lockAgentAgenda(em, input.agentId);
    const agent = await em.getRepository(Agent).findOneBy({ id: input.agentId });
    if (!agent || !agent.active) {
      throw new ValidationError(
        named('agentId'),
        `${named('agentId')}: agent ${input.agentId} is not active`,
      ).say('agenda.errors.agentInactive');
    }
    if (startsAt.getTime() <= now.getTime()) {
      throw new ValidationError(
        named('startsAt'),
        `${named('startsAt')} must be in the future`,
      ).say('agenda.errors.past');
    }
    const endsAt = new Date(startsAt.getTime() + rules.slotMinutes * 60_000);
    const local = toZonedLocal(startsAt, rules.zone);
    const date = local.slice(0, 10);
    const place = placeOnGrid(
      agent.workingHours,
      startsAt.getTime(),
      { date, weekday: new Date(`${date}T00:00:00Z`).getUTCDay() || 7 },
      rules,
      new ZoneClock(rules.zone),
    );
    if (place.kind === 'outside') {
      throw new ValidationError(
        field,
        `${field}: ${agent.name} does not work at ${local.replace('T', ' ')} for ${rules.slotMinutes} minutes (${rules.zone})`,
      ).say('agenda.errors.outsideHours', {
        when: local.replace('T', ' '),
        minutes: rules.slotMinutes,
      });
    }
    if (place.kind === 'off-grid') {
      const nearest = toZonedLocal(new Date(place.nearest.start), rules.zone).slice(11);
      throw new ValidationError(
        named('startsAt'),
        `${named('startsAt')}: ${local.slice(11)} is not a slot start; slots last ${rules.slotMinutes} minutes (nearest: ${nearest})`,
      ).say('agenda.errors.offGrid', { minutes: rules.slotMinutes, nearest });
    }
    const absent = await em.getRepository(AgentAbsence).existsBy({
      agentId: agent.id,
      startsAt: LessThan(endsAt),
      endsAt: MoreThan(startsAt),
    });
    if (absent) {
      throw new ValidationError(field, `${field}: ${agent.name} is absent at that time`).say(
        'agenda.errors.absent',
      );
    }
    const buffer = rules.bufferMinutes * 60_000;
    // A locking read: the visit another operator committed while we waited for the agent's
    // lock must be seen, whatever snapshot the caller's transaction started with.
    const overlapping = await em.getRepository(Appointment).findOne({
      ...forShare(em),
      where: {
        agentId: agent.id,
        state: 'booked',
        startsAt: LessThan(new Date(endsAt.getTime() + buffer)),
        endsAt: MoreThan(new Date(startsAt.getTime() - buffer)),
        ...(input.ignoreId !== undefined ? { id: Not(input.ignoreId) } : {}),
      },
      order: { startsAt: 'ASC' },
    });
    const policy = campaign.overlapPolicy;
    if (overlapping && (policy === 'reject' || (policy === 'warn' && !input.acknowledgeOverlap))) {
      const nearest = await this.agenda.nearestFree(em, agent, rules, startsAt, now);
      const taken = toZonedLocal(overlapping.startsAt, rules.zone).replace('T', ' ');
      const travel = buffer > 0 ? ` (with ${rules.bufferMinutes} minutes for travelling)` : '';
      throw new ConflictError(
        policy === 'reject'
          ? `${field}: ${agent.name} already has an appointment at ${taken}${travel}`
          : `${field}: ${agent.name} already has an appointment at ${taken}${travel}; send acknowledgeOverlap: true to book it anyway`,
        field,
        { nearestFreeSlots: nearest },
      ).say(policy === 'reject' ? 'agenda.errors.agentBusy' : 'agenda.errors.agentBusyWarn', {
        agent: agent.name,
        when: inEachLanguage((lang) => formatDateTime(overlapping.startsAt, lang, rules.zone)),
      });
    }
    return { agent, startsAt, endsAt, overlaps: overlapping !== null };
  }
}
