import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import type { Language } from '../config/app.config';
import { PauseReason } from '../monitor/pause-reason.entity';
import { OUTCOME_TYPES, OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import type { OperatorScope } from './dto/report-query';
import type { ReportFilters, ReportStatus } from './dto/report.view';

export interface OperatorName {
  name: string;
  team: string | null;
}

export interface CampaignName {
  code: string;
  name: string;
}

/** What the reports page offers in its filters. */
export interface ReportFilterOptions {
  campaigns: Array<{ id: number; code: string; name: string }>;
  operators: Array<{ id: number; name: string }>;
  teams: string[];
}

const inLanguage = (row: { label: string; labelEn: string | null }, lang: Language) =>
  lang === 'en' && row.labelEn ? row.labelEn : row.label;

/** A name for a row whose operator, campaign or status is gone: its id. */
export const missingName = (id: number) => `#${id}`;

/**
 * Restricts an aggregate query to one operator and/or the operators of a team: `column` is
 * the aggregate's operator column (e.g. `oh.operatorId`).
 */
export function applyOperatorScope<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  scope: OperatorScope,
): SelectQueryBuilder<T> {
  if (scope.operatorId !== undefined) {
    query.andWhere(`${column} = :operatorId`, { operatorId: scope.operatorId });
  }
  if (scope.team !== undefined) {
    query.innerJoin(User, 'teamUser', `teamUser.id = ${column} AND teamUser.team = :team`, {
      team: scope.team,
    });
  }
  return query;
}

/** The filters a report answers with: the ones it was asked with. */
export function echoFilters(query: OperatorScope & { campaignId?: number }): ReportFilters {
  const filters: ReportFilters = {};
  if (query.campaignId !== undefined) filters.campaignId = query.campaignId;
  if (query.operatorId !== undefined) filters.operatorId = query.operatorId;
  if (query.team !== undefined) filters.team = query.team;
  return filters;
}

/**
 * The names the reports put on the aggregates' ids: operators, campaigns, outcome statuses
 * (with their colours) and pause reasons, in the reader's language. Each is one read by
 * primary key of only the ids a report counted.
 */
@Injectable()
export class ReportDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async operators(ids: number[]): Promise<Map<number, OperatorName>> {
    if (ids.length === 0) return new Map();
    const users = await this.dataSource.getRepository(User).find({
      where: { id: In(ids) },
      select: { id: true, displayName: true, team: true },
    });
    return new Map(users.map((u) => [u.id, { name: u.displayName, team: u.team }]));
  }

  async campaigns(ids: number[]): Promise<Map<number, CampaignName>> {
    if (ids.length === 0) return new Map();
    const campaigns = await this.dataSource.getRepository(Campaign).find({
      where: { id: In(ids) },
      select: { id: true, code: true, name: true },
    });
    return new Map(campaigns.map((c) => [c.id, { code: c.code, name: c.name }]));
  }

  /** The statuses with these ids, by type (R, N, C, T) then code: the charts' legend. */
  async statuses(ids: number[], lang: Language): Promise<ReportStatus[]> {
    if (ids.length === 0) return [];
    const statuses = await this.dataSource.getRepository(OutcomeStatus).find({
      where: { id: In(ids) },
      select: { id: true, code: true, label: true, labelEn: true, type: true, color: true },
    });
    const found: ReportStatus[] = statuses.map((s) => ({
      id: s.id,
      code: s.code,
      label: inLanguage(s, lang),
      type: s.type,
      color: s.color,
    }));
    // A status deleted since still has its counts: grey, named by its id.
    for (const id of ids) {
      if (!found.some((s) => s.id === id)) {
        found.push({
          id,
          code: missingName(id),
          label: missingName(id),
          type: 'N',
          color: '#888888',
        });
      }
    }
    return found.sort(
      (a, b) =>
        OUTCOME_TYPES.indexOf(a.type) - OUTCOME_TYPES.indexOf(b.type) ||
        a.code.localeCompare(b.code),
    );
  }

  /** Every pause reason, archived ones too (their time stays in the history), in order. */
  async pauseReasons(lang: Language): Promise<Array<{ id: number; code: string; label: string }>> {
    const reasons = await this.dataSource
      .getRepository(PauseReason)
      .find({ order: { position: 'ASC', id: 'ASC' } });
    return reasons.map((r) => ({ id: r.id, code: r.code, label: inLanguage(r, lang) }));
  }

  async filterOptions(): Promise<ReportFilterOptions> {
    const [campaigns, operators, teams] = await Promise.all([
      this.dataSource.getRepository(Campaign).find({
        select: { id: true, code: true, name: true },
        order: { name: 'ASC', id: 'ASC' },
      }),
      this.dataSource.getRepository(User).find({
        where: { role: 'operator' },
        select: { id: true, displayName: true },
        order: { displayName: 'ASC', id: 'ASC' },
      }),
      this.dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .select('DISTINCT u.team', 'team')
        .where({ team: Not(IsNull()) })
        .getRawMany<{ team: string }>(),
    ]);
    return {
      campaigns: campaigns.map((c) => ({ id: c.id, code: c.code, name: c.name })),
      operators: operators.map((u) => ({ id: u.id, name: u.displayName })),
      teams: teams
        .map((t) => t.team)
        .filter((team) => team.trim() !== '')
        .sort((a, b) => a.localeCompare(b)),
    };
  }
}
