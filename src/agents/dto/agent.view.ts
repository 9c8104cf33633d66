import type { AgentAbsence } from '../agent-absence.entity';
import type { Agent, WorkingHours } from '../agent.entity';

export interface AbsenceView {
  id: number;
  agentId: number;
  /** UTC instants; the end is exclusive. */
  startsAt: string;
  endsAt: string;
  reason: string | null;
}

export interface AgentView {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  zones: string[];
  workingHours: WorkingHours[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Only on a single agent: their absences, earliest first. */
  absences?: AbsenceView[];
}

export function toAbsenceView(absence: AgentAbsence): AbsenceView {
  return {
    id: absence.id,
    agentId: absence.agentId,
    startsAt: absence.startsAt.toISOString(),
    endsAt: absence.endsAt.toISOString(),
    reason: absence.reason,
  };
}

export function toAgentView(agent: Agent, absences?: AgentAbsence[]): AgentView {
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    phone: agent.phone,
    zones: agent.zones,
    workingHours: agent.workingHours,
    active: agent.active,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
    ...(absences ? { absences: absences.map(toAbsenceView) } : {}),
  };
}
