import { Injectable } from '@nestjs/common';
import { Between, DataSource, EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { AgentAbsence } from '../agents/agent-absence.entity';
import { Agent } from '../agents/agent.entity';
import { CampaignAgent } from '../campaigns/campaign-agent.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { CAMPAIGN_DEFAULTS } from '../campaigns/campaign-defaults';
import { isClosedDay } from '../campaigns/calling-hours';
import { isPublicHoliday } from '../campaigns/holiday-calendar';
import { CampaignAccess } from '../campaigns/campaign-access';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { toZonedLocal } from '../common/time/local-time';
import { addDays, isCalendarDay } from '../common/time/calendar-day';
import { Contact } from '../contacts/contact.entity';
import { Appointment } from './appointment.entity';
import { mayViewAppointment } from './appointment-visibility';
import {
  classifySlots,
  localDays,
  Slot,
  SlotRules,
  slotGrid,
  Span,
  ZoneClock,
} from './availability';

export interface SlotView {
  start: string;
  end: string;
}

export interface AgendaSlotView extends SlotView {
  state: Slot['state'];
}

export interface AgentAgenda {
  id: number;
  name: string;
  zones: string[];
  /** The agent covers the contact's province or postcode. */
  coversZone: boolean;
  /** The first free slot from now on (up to NEXT_FREE_DAYS ahead), inside the week or not. */
  nextFree: SlotView | null;
  slots: AgendaSlotView[];
}

export interface CampaignAgenda {
  campaignId: number;
  timezone: string;
  appointmentMinutes: number;
  travelBufferMinutes: number;
  overlapPolicy: string;
  /** Local days shown, "YYYY-MM-DD", inclusive. */
  from: string;
  to: string;
  contactZones: string[];
  agents: AgentAgenda[];
}

/** A date range as the API takes it: local days in the campaign's zone, `to` inclusive. */
export interface DayRange {
  from?: string;
  to?: string;
}

/** How far ahead an agent's next free slot is looked for. */
export const NEXT_FREE_DAYS = 28;
/** The longest range one request may ask for. */
const MAX_DAYS = 62;
const DAY = 86_400_000;

/** The rules a campaign lays its agents' agendas out with. */
export function slotRulesOf(campaign: Campaign): SlotRules {
  return {
    zone: campaign.timezone,
    slotMinutes: campaign.appointmentMinutes,
    bufferMinutes: campaign.travelBufferMinutes,
    // The campaign's calendar closes its agents' agendas too (no visit on 8 December).
    closed: (date) => isClosedDay(campaign, date),
  };
}

/** The zones a contact lives in: its province and, when the list gave one, its postcode. */
export function contactZones(contact: Pick<Contact, 'province' | 'fields'>): string[] {
  const fields = contact.fields ?? {};
  const postcode = fields.postcode ?? fields.cap ?? fields.zip;
  return [contact.province, postcode]
    .filter((z): z is string => typeof z === 'string' && z.trim() !== '')
    .map((z) => z.trim().toUpperCase());
}

/**
 * Free slots and agendas, computed from the agents' weekly hours, absences and booked
 * visits. Reads only: a booking decides again under the agent's row lock.
 */
@Injectable()
export class AgendaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CampaignAccess,
  ) {}

  /** `GET /agents/:id/availability`: the agent's free slots in the range. */
  async availability(
    agentId: number,
    query: DayRange & { campaignId?: number },
    now: Date,
  ): Promise<SlotView[]> {
    const em = this.dataSource.manager;
    const agent = await em.findOneBy(Agent, { id: agentId });
    if (!agent) throw new NotFoundError('agent', agentId);
    const campaign = await this.campaignFor(em, agentId, query.campaignId);
    const rules = campaign ? slotRulesOf(campaign) : defaultRules();
    const range = dayRange(query, rules.zone, now);
    if (!agent.active) return [];
    const [slots] = await this.slotsOf(em, [agent], rules, range, now);
    return (slots ?? []).filter((s) => s.state === 'free').map(slotView);
  }

  /**
   * The campaign's agenda for the outcome step: its active agents, those covering the
   * contact's zone first, each with the week's slots and their next free slot.
   */
  async forCampaign(
    campaignId: number,
    query: DayRange & { contactId?: number },
    now: Date,
    user: AuthenticatedUser,
  ): Promise<CampaignAgenda> {
    const em = this.dataSource.manager;
    const campaign = await em.findOneBy(Campaign, { id: campaignId });
    if (!campaign) throw new NotFoundError('campaign', campaignId);
    if (!mayViewAppointment(await this.access.viewer(user), { campaignId })) {
      throw new ForbiddenError(`campaign ${campaignId} is not one of your campaigns`);
    }
    const rules = slotRulesOf(campaign);
    // A week from `from` unless `to` says otherwise; dayRange validates both first.
    const range = dayRange({ from: query.from, to: query.to }, rules.zone, now, 7);
    let zones: string[] = [];
    if (query.contactId !== undefined) {
      const contact = await em.findOneBy(Contact, { id: query.contactId, campaignId });
      if (!contact)
        throw new ValidationError(
          'contactId',
          `contactId: contact ${query.contactId} is not in campaign ${campaignId}`,
        );
      zones = contactZones(contact);
    }
    const agents = await em
      .createQueryBuilder(Agent, 'a')
      .innerJoin(CampaignAgent, 'ca', 'ca.agentId = a.id AND ca.campaignId = :campaignId', {
        campaignId,
      })
      .where('a.active = :active', { active: true })
      .getMany();
    const today = toZonedLocal(now, rules.zone).slice(0, 10);
    const shown = await this.slotsOf(em, agents, rules, range, now);
    // The next free slot is usually in the week shown from today: the 4 weeks ahead are
    // read only for the agents without one there.
    const firstFree = (slots: Slot[]) => slots.find((s) => s.state === 'free');
    const nextFree = new Map<number, Slot | undefined>();
    const searched = range.from <= today && range.to >= today;
    agents.forEach((agent, i) => {
      const found = searched ? firstFree(shown[i]!) : undefined;
      if (found) nextFree.set(agent.id, found);
    });
    const missing = agents.filter((agent) => !nextFree.has(agent.id));
    if (missing.length > 0) {
      const ahead = { from: today, to: addDays(today, NEXT_FREE_DAYS - 1) };
      const upcoming = await this.slotsOf(em, missing, rules, ahead, now);
      missing.forEach((agent, i) => nextFree.set(agent.id, firstFree(upcoming[i]!)));
    }
    const view = slotViews();
    const list: AgentAgenda[] = agents.map((agent, i) => {
      const next = nextFree.get(agent.id);
      return {
        id: agent.id,
        name: agent.name,
        zones: agent.zones,
        coversZone: agent.zones.some((z) => zones.includes(z)),
        nextFree: next ? view(next) : null,
        slots: shown[i]!.map((s) => ({ ...view(s), state: s.state })),
      };
    });
    list.sort(
      (a, b) =>
        Number(b.coversZone) - Number(a.coversZone) ||
        (a.nextFree ? Date.parse(a.nextFree.start) : Infinity) -
          (b.nextFree ? Date.parse(b.nextFree.start) : Infinity) ||
        a.name.localeCompare(b.name),
    );
    return {
      campaignId,
      timezone: rules.zone,
      appointmentMinutes: rules.slotMinutes,
      travelBufferMinutes: rules.bufferMinutes,
      overlapPolicy: campaign.overlapPolicy,
      from: range.from,
      to: range.to,
      contactZones: zones,
      agents: list,
    };
  }

  /**
   * Free slots of one agent nearest to `wanted` (before or after it, from now on), for a
   * 409: what the operator can offer the customer instead.
   */
  async nearestFree(
    em: EntityManager,
    agent: Agent,
    rules: SlotRules,
    wanted: Date,
    now: Date,
    count = 3,
  ): Promise<SlotView[]> {
    const day = toZonedLocal(wanted, rules.zone).slice(0, 10);
    const range = { from: addDays(day, -7), to: addDays(day, 14) };
    const [slots] = await this.slotsOf(em, [agent], rules, range, now);
    return (slots ?? [])
      .filter((s) => s.state === 'free')
      .sort((a, b) => Math.abs(a.start - wanted.getTime()) - Math.abs(b.start - wanted.getTime()))
      .slice(0, count)
      .sort((a, b) => a.start - b.start)
      .map(slotView);
  }

  /**
   * Every agent's grid slots over the local days, classified: two queries for all agents
   * (booked visits, absences), then one pass per agent.
   */
  async slotsOf(
    em: EntityManager,
    agents: readonly Agent[],
    rules: SlotRules,
    range: { from: string; to: string },
    now: Date,
  ): Promise<Slot[][]> {
    if (agents.length === 0) return [];
    const clock = new ZoneClock(rules.zone);
    const days = localDays(range.from, range.to);
    // The local days' instants, widened by a day each side (zone offsets) and the buffer.
    const margin = DAY + rules.bufferMinutes * 60_000;
    const since = new Date(Date.parse(`${range.from}T00:00:00Z`) - margin);
    const until = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY + margin);
    const ids = agents.map((a) => a.id);
    const [visits, absences] = await Promise.all([
      em.find(Appointment, {
        select: { agentId: true, startsAt: true, endsAt: true },
        where: {
          agentId: In(ids),
          state: 'booked',
          // Bounded on starts_at, so the (agent_id, starts_at) index reads only the range:
          // no visit is longer than a day.
          startsAt: Between(new Date(since.getTime() - DAY), until),
          endsAt: MoreThan(since),
        },
      }),
      em.find(AgentAbsence, {
        select: { agentId: true, startsAt: true, endsAt: true },
        where: { agentId: In(ids), startsAt: LessThan(until), endsAt: MoreThan(since) },
      }),
    ]);
    const byAgent = (rows: Array<{ agentId: number; startsAt: Date; endsAt: Date }>) => {
      const map = new Map<number, Span[]>();
      for (const row of rows) {
        const list = map.get(row.agentId) ?? [];
        list.push({ start: row.startsAt.getTime(), end: row.endsAt.getTime() });
        map.set(row.agentId, list);
      }
      return map;
    };
    const visitsOf = byAgent(visits);
    const absencesOf = byAgent(absences);
    // Agents of a campaign mostly share their weekly hours: one grid per distinct week.
    const grids = new Map<string, Span[]>();
    return agents.map((agent) => {
      const key = JSON.stringify(agent.workingHours);
      let grid = grids.get(key);
      if (!grid) {
        grid = slotGrid(agent.workingHours, days, rules, clock);
        grids.set(key, grid);
      }
      return classifySlots(
        grid,
        { visits: visitsOf.get(agent.id) ?? [], absences: absencesOf.get(agent.id) ?? [] },
        rules,
        now.getTime(),
      );
    });
  }

  /**
   * The campaign an agent's availability is read for: the one asked for (the agent must work
   * for it), else the agent's only campaign; none when the agent works for none.
   */
  private async campaignFor(
    em: EntityManager,
    agentId: number,
    campaignId: number | undefined,
  ): Promise<Campaign | null> {
    const links = await em.find(CampaignAgent, { where: { agentId } });
    if (campaignId !== undefined) {
      if (!links.some((l) => l.campaignId === campaignId)) {
        throw new ValidationError(
          'campaignId',
          `campaignId: agent ${agentId} does not work for campaign ${campaignId}`,
        );
      }
      return em.findOneBy(Campaign, { id: campaignId });
    }
    if (links.length > 1) {
      throw new ValidationError(
        'campaignId',
        `campaignId: agent ${agentId} works for ${links.length} campaigns; say which one (its appointment length and time zone apply)`,
      );
    }
    return links[0] ? em.findOneBy(Campaign, { id: links[0].campaignId }) : null;
  }
}

function defaultRules(): SlotRules {
  return {
    zone: CAMPAIGN_DEFAULTS.timezone,
    slotMinutes: CAMPAIGN_DEFAULTS.appointmentMinutes,
    bufferMinutes: CAMPAIGN_DEFAULTS.travelBufferMinutes,
    // No campaign: the national holidays a new campaign closes on.
    closed: (date) => isPublicHoliday(CAMPAIGN_DEFAULTS.holidays, date),
  };
}

const slotView = (s: Span): SlotView => ({
  start: new Date(s.start).toISOString(),
  end: new Date(s.end).toISOString(),
});

/** slotView for many slots sharing their instants (every agent's 09:00): each written once. */
function slotViews(): (s: Span) => SlotView {
  const texts = new Map<number, string>();
  const text = (ms: number) => {
    let found = texts.get(ms);
    if (found === undefined) {
      found = new Date(ms).toISOString();
      texts.set(ms, found);
    }
    return found;
  };
  return (s) => ({ start: text(s.start), end: text(s.end) });
}

/**
 * The local days a query names: dates ("2026-03-29") or instants (their local day in the
 * zone). Without `from`, today; without `to`, `defaultDays` from `from`.
 */
export function dayRange(
  query: DayRange,
  zone: string,
  now: Date,
  defaultDays = 14,
): { from: string; to: string } {
  const from = localDate('from', query.from, zone) ?? toZonedLocal(now, zone).slice(0, 10);
  const to = localDate('to', query.to, zone) ?? addDays(from, defaultDays - 1);
  if (to < from) throw new ValidationError('to', 'to must not be before from');
  if (Date.parse(to) - Date.parse(from) >= MAX_DAYS * DAY) {
    throw new ValidationError('to', `to: a range covers at most ${MAX_DAYS} days`);
  }
  return { from, to };
}

function localDate(field: string, text: string | undefined, zone: string): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (isCalendarDay(text)) {
    if (text >= '2000-01-01' && text < '2100-01-01') return text;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const instant = Date.parse(text);
    if (!Number.isNaN(instant) && /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
      return toZonedLocal(new Date(instant), zone).slice(0, 10);
    }
  }
  throw new ValidationError(field, `${field} must be a date YYYY-MM-DD (or an ISO 8601 instant)`);
}
