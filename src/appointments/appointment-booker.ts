import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan, MoreThan } from 'typeorm';
import { AgentAbsence } from '../agents/agent-absence.entity';
import { Agent } from '../agents/agent.entity';
import { minutesOf } from '../agents/working-hours';
import { CampaignAgent } from '../campaigns/campaign-agent.entity';
import type { Campaign } from '../campaigns/campaign.entity';
import { forUpdate } from '../common/database/row-lock';
import { ConflictError, ValidationError } from '../common/errors/domain-errors';
import { toZonedLocal } from '../common/time/local-time';
import { Appointment } from './appointment.entity';

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

/** How far ahead the nearest free slots are looked for. */
const SEARCH_DAYS = 14;
const SUGGESTIONS = 3;

/**
 * Books a field agent inside the outcome's transaction. Race-safe by locking the agent's
 * row first: two operators booking one agent take turns, so the second sees the first's
 * appointment before deciding (invariant 5).
 */
@Injectable()
export class AppointmentBooker {
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
    const linked = await em
      .getRepository(CampaignAgent)
      .existsBy({ campaignId: campaign.id, agentId: request.agentId });
    if (!linked) {
      throw new ValidationError(
        'appointment.agentId',
        `appointment.agentId: agent ${request.agentId} does not work for this campaign`,
      );
    }
    const agent = await em
      .getRepository(Agent)
      .findOne({ where: { id: request.agentId }, ...forUpdate(em) });
    if (!agent || !agent.active) {
      throw new ValidationError(
        'appointment.agentId',
        `appointment.agentId: agent ${request.agentId} is not active`,
      );
    }
    const startsAt = new Date(request.startsAt);
    if (startsAt.getTime() <= now.getTime()) {
      throw new ValidationError(
        'appointment.startsAt',
        'appointment.startsAt must be in the future',
      );
    }
    const endsAt = new Date(startsAt.getTime() + campaign.appointmentMinutes * 60_000);
    if (!withinWorkingHours(agent, campaign.timezone, startsAt, endsAt)) {
      throw new ValidationError(
        'appointment',
        `appointment: ${agent.name} does not work at ${toZonedLocal(startsAt, campaign.timezone).replace('T', ' ')} (${campaign.timezone})`,
      );
    }
    const absent = await em.getRepository(AgentAbsence).existsBy({
      agentId: agent.id,
      startsAt: LessThan(endsAt),
      endsAt: MoreThan(startsAt),
    });
    if (absent) {
      throw new ValidationError('appointment', `appointment: ${agent.name} is absent at that time`);
    }
    const overlapping = await em.getRepository(Appointment).findOne({
      where: {
        agentId: agent.id,
        state: 'booked',
        startsAt: LessThan(endsAt),
        endsAt: MoreThan(startsAt),
      },
    });
    const policy = campaign.overlapPolicy;
    if (
      overlapping &&
      (policy === 'reject' || (policy === 'warn' && !request.acknowledgeOverlap))
    ) {
      const nearest = await this.nearestFreeSlots(em, agent, campaign, startsAt, now);
      const taken = `${toZonedLocal(overlapping.startsAt, campaign.timezone).replace('T', ' ')}`;
      throw new ConflictError(
        policy === 'reject'
          ? `appointment: ${agent.name} already has an appointment at ${taken}`
          : `appointment: ${agent.name} already has an appointment at ${taken}; send acknowledgeOverlap: true to book it anyway`,
        'appointment',
        { nearestFreeSlots: nearest },
      );
    }
    const inserted = await em.insert(Appointment, {
      agentId: agent.id,
      campaignId: campaign.id,
      contactId: input.contactId,
      operatorId: input.operatorId,
      startsAt,
      endsAt,
      state: 'booked',
      overlaps: overlapping !== null,
      notes: request.notes?.trim() || null,
    });
    return {
      id: Number(inserted.identifiers[0]!.id),
      agentId: agent.id,
      agentName: agent.name,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      overlaps: overlapping !== null,
    };
  }

  /** The first free slots of the agent from `from` on (same length, inside working hours). */
  async nearestFreeSlots(
    em: EntityManager,
    agent: Agent,
    campaign: Campaign,
    from: Date,
    now: Date,
  ): Promise<Array<{ start: string; end: string }>> {
    const length = campaign.appointmentMinutes * 60_000;
    const until = new Date(from.getTime() + SEARCH_DAYS * 86_400_000);
    const [booked, absences] = await Promise.all([
      em.getRepository(Appointment).find({
        where: {
          agentId: agent.id,
          state: 'booked',
          startsAt: LessThan(until),
          endsAt: MoreThan(from),
        },
      }),
      em.getRepository(AgentAbsence).find({
        where: { agentId: agent.id, startsAt: LessThan(until), endsAt: MoreThan(from) },
      }),
    ]);
    const busy = [...booked, ...absences].map(
      (b) => [b.startsAt.getTime(), b.endsAt.getTime()] as const,
    );
    const slots: Array<{ start: string; end: string }> = [];
    // Candidate starts on a 15-minute grid from the requested time.
    const step = 15 * 60_000;
    let start = Math.max(from.getTime(), Math.ceil(now.getTime() / step) * step);
    for (; start < until.getTime() && slots.length < SUGGESTIONS; start += step) {
      const end = start + length;
      if (!withinWorkingHours(agent, campaign.timezone, new Date(start), new Date(end))) continue;
      if (busy.some(([s, e]) => s < end && e > start)) continue;
      slots.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
      start = end - step; // the next suggestion starts after this one
    }
    return slots;
  }
}

/** Whether [start, end) lies inside one of the agent's windows of that local day. */
function withinWorkingHours(agent: Agent, zone: string, start: Date, end: Date): boolean {
  const localStart = toZonedLocal(start, zone);
  const localEnd = toZonedLocal(end, zone);
  if (localStart.slice(0, 10) !== localEnd.slice(0, 10) && localEnd.slice(11) !== '00:00')
    return false;
  const day = new Date(`${localStart.slice(0, 10)}T00:00:00Z`).getUTCDay() || 7;
  const from = minutesOf(localStart.slice(11, 16));
  const to =
    localEnd.slice(11) === '00:00' && localEnd.slice(0, 10) !== localStart.slice(0, 10)
      ? 24 * 60
      : minutesOf(localEnd.slice(11, 16));
  return agent.workingHours.some(
    (w) => w.day === day && minutesOf(w.start) <= from && to <= minutesOf(w.end),
  );
}
