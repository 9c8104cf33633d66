import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { forUpdate } from '../common/database/row-lock';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { AgentAbsence } from './agent-absence.entity';
import { Agent } from './agent.entity';
import { AbsenceView, AgentView, toAbsenceView, toAgentView } from './dto/agent.view';
import { checkWorkingHours, normalizeZones, WorkingHoursInput } from './working-hours';

/** An agent as the service takes it: the API DTO, or the page form once converted. */
export interface AgentInput {
  name?: string;
  email?: string | null;
  phone?: string | null;
  zones?: string[];
  workingHours?: WorkingHoursInput[];
  active?: boolean;
}

/** A new agent needs a name and a (possibly empty) week. */
export type NewAgentInput = AgentInput & { name: string; workingHours: WorkingHoursInput[] };

export interface AbsenceInput {
  startsAt: Date;
  endsAt: Date;
  reason?: string | null;
}

/** Absences are kept to this century: DATETIME columns and humans both cope. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

@Injectable()
export class AgentsService {
  constructor(
    @InjectRepository(Agent) private readonly agents: Repository<Agent>,
    @InjectRepository(AgentAbsence) private readonly absences: Repository<AgentAbsence>,
    private readonly dataSource: DataSource,
  ) {}

  async create(input: NewAgentInput): Promise<AgentView> {
    const agent = this.agents.create({
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      zones: normalizeZones(input.zones ?? []),
      workingHours: checkWorkingHours(input.workingHours),
      active: input.active ?? true,
    });
    return toAgentView(await this.agents.save(agent), []);
  }

  async list(filter: { active?: boolean } = {}): Promise<AgentView[]> {
    const agents = await this.agents.find({
      where: filter.active === undefined ? {} : { active: filter.active },
      order: { active: 'DESC', name: 'ASC', id: 'ASC' },
    });
    return agents.map((agent) => toAgentView(agent));
  }

  /** One agent with their absences. */
  async get(id: number): Promise<AgentView> {
    const agent = await this.agents.findOneBy({ id });
    if (!agent) throw new NotFoundError('agent', id);
    const absences = await this.absences.find({
      where: { agentId: id },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
    return toAgentView(agent, absences);
  }

  async update(id: number, input: AgentInput): Promise<AgentView> {
    for (const field of ['name', 'zones', 'workingHours', 'active'] as const) {
      if (input[field] === null) throw new ValidationError(field, `${field} must not be null`);
    }
    const zones = input.zones === undefined ? undefined : normalizeZones(input.zones);
    const hours =
      input.workingHours === undefined ? undefined : checkWorkingHours(input.workingHours);
    await this.dataSource.transaction(async (em) => {
      // Row lock: concurrent edits of one agent apply one after the other.
      const agent = await em.findOne(Agent, { where: { id }, ...forUpdate(em) });
      if (!agent) throw new NotFoundError('agent', id);
      if (input.name !== undefined) agent.name = input.name;
      if (input.email !== undefined) agent.email = input.email;
      if (input.phone !== undefined) agent.phone = input.phone;
      if (zones) agent.zones = zones;
      if (hours) agent.workingHours = hours;
      if (input.active !== undefined) agent.active = input.active;
      await em.save(agent);
    });
    return this.get(id);
  }

  setActive(id: number, active: boolean): Promise<AgentView> {
    return this.update(id, { active });
  }

  /** The secret of the agent's calendar feed URL, or null when none is issued (admins only). */
  async calendarToken(id: number): Promise<string | null> {
    const agent = await this.agents.findOne({
      select: { id: true, calendarToken: true },
      where: { id },
    });
    if (!agent) throw new NotFoundError('agent', id);
    return agent.calendarToken;
  }

  /**
   * A new secret for the agent's calendar feed: the old URL stops working at once. 32 random
   * bytes cannot be guessed, and the unique index makes a (theoretical) collision fail loudly.
   */
  async issueCalendarToken(id: number): Promise<{ name: string; token: string }> {
    const token = randomBytes(32).toString('base64url');
    return { name: await this.setCalendarToken(id, token), token };
  }

  /** No feed any more: subscribed calendars get 404 and stop showing new appointments. */
  async revokeCalendarToken(id: number): Promise<{ name: string }> {
    return { name: await this.setCalendarToken(id, null) };
  }

  /** Stores the secret (or null) and returns the agent's name. */
  private async setCalendarToken(id: number, token: string | null): Promise<string> {
    return this.dataSource.transaction(async (em) => {
      // Row lock, as every edit of an agent: two admins issuing at once leave one valid URL.
      const agent = await em.findOne(Agent, { where: { id }, ...forUpdate(em) });
      if (!agent) throw new NotFoundError('agent', id);
      await em.update(Agent, { id }, { calendarToken: token });
      return agent.name;
    });
  }

  async addAbsence(agentId: number, input: AbsenceInput): Promise<AbsenceView> {
    for (const field of ['startsAt', 'endsAt'] as const) {
      const at = input[field].getTime();
      if (Number.isNaN(at) || at < EARLIEST || at >= LATEST) {
        throw new ValidationError(field, `${field} must be between 2000 and 2099`);
      }
    }
    if (input.endsAt.getTime() <= input.startsAt.getTime()) {
      throw new ValidationError('endsAt', 'endsAt must be after startsAt');
    }
    if (!(await this.agents.existsBy({ id: agentId }))) throw new NotFoundError('agent', agentId);
    const absence = await this.absences.save(
      this.absences.create({
        agentId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        reason: input.reason ?? null,
      }),
    );
    return toAbsenceView(absence);
  }

  async removeAbsence(agentId: number, absenceId: number): Promise<AbsenceView> {
    const absence = await this.absences.findOneBy({ id: absenceId, agentId });
    if (!absence) throw new NotFoundError(`absence ${absenceId} of agent ${agentId}`);
    await this.absences.delete({ id: absenceId, agentId });
    return toAbsenceView(absence);
  }
}
