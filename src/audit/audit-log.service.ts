import { Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import type { ExportTable } from '../common/csv/export-table';
import { addDays } from '../common/time/calendar-day';
import { zonedLocalToUtc } from '../common/time/local-time';
import { AppConfigService } from '../config/app-config.service';
import { User } from '../users/user.entity';
import { AuditEntry } from './audit-entry.entity';
import type { AuditQueryDto } from './dto/audit-query.dto';

export interface AuditLineView {
  id: number;
  at: string;
  user: { id: number; name: string } | null;
  action: string;
  entity: string;
  entityId: number | null;
  /** What changed: `{field: [before, after]}`, `{field: value}`, or the words written. */
  detail: unknown;
}

export interface AuditPage {
  lines: AuditLineView[];
  /** The `before` of the next (older) page; null on the last. */
  next: number | null;
}

/** Lines read per batch of the CSV. */
const EXPORT_BATCH = 2000;

/**
 * The audit trail as admins read it: newest first, filtered by who, what, which record
 * and which days (the call centre's), a page at a time or whole as a file. Read only: the
 * product has no way to change or remove a line.
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfigService,
  ) {}

  async page(query: AuditQueryDto): Promise<AuditPage> {
    const rows = await this.filtered(query)
      .orderBy('a.id', 'DESC')
      .limit(query.limit + 1)
      .getMany();
    const more = rows.length > query.limit;
    const lines = await this.views(rows.slice(0, query.limit));
    return { lines, next: more ? lines[lines.length - 1]!.id : null };
  }

  /** The whole filtered trail as a table, oldest first, read in keyset batches. */
  table(query: AuditQueryDto): ExportTable {
    const zone = this.config.get('TIMEZONE');
    const batches = async function* (this: AuditLogService) {
      let after = 0;
      for (;;) {
        const rows = await this.filtered({ ...query, before: undefined })
          .andWhere('a.id > :after', { after })
          .orderBy('a.id', 'ASC')
          .limit(EXPORT_BATCH)
          .getMany();
        if (rows.length === 0) return;
        const views = await this.views(rows);
        yield views.map((l) => [
          l.at ? new Date(l.at) : null,
          l.user?.name ?? '',
          l.action,
          l.entity,
          l.entityId,
          l.detail === null
            ? ''
            : typeof l.detail === 'string'
              ? l.detail
              : JSON.stringify(l.detail),
        ]);
        after = rows[rows.length - 1]!.id;
        if (rows.length < EXPORT_BATCH) return;
      }
    }.call(this);
    return {
      name: 'audit',
      zone,
      columns: [
        { key: 'at', kind: 'localTime' },
        { key: 'user', kind: 'text' },
        { key: 'action', kind: 'text' },
        { key: 'entity', kind: 'text' },
        { key: 'entityId', kind: 'integer' },
        { key: 'detail', kind: 'text' },
      ],
      batches,
    };
  }

  private filtered(query: Partial<AuditQueryDto>): SelectQueryBuilder<AuditEntry> {
    const zone = this.config.get('TIMEZONE');
    const q = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.action) {
      if (query.action.includes('.')) q.andWhere('a.action = :action', { action: query.action });
      else q.andWhere('a.action LIKE :family', { family: `${query.action}.%` });
    }
    if (query.actor) q.andWhere('a.userId = :actor', { actor: query.actor });
    if (query.entity) q.andWhere('a.entity = :entity', { entity: query.entity });
    if (query.entityId) q.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    if (query.from) {
      q.andWhere('a.at >= :from', { from: zonedLocalToUtc(`${query.from} 00:00`, zone) });
    }
    if (query.to) {
      q.andWhere('a.at < :to', { to: zonedLocalToUtc(`${addDays(query.to, 1)} 00:00`, zone) });
    }
    if (query.before) q.andWhere('a.id < :before', { before: query.before });
    return q;
  }

  private async views(rows: AuditEntry[]): Promise<AuditLineView[]> {
    const userIds = [...new Set(rows.map((r) => r.userId).filter((id) => id !== null))];
    const users = userIds.length
      ? await this.dataSource.getRepository(User).find({
          where: { id: In(userIds) },
          select: { id: true, displayName: true, username: true },
        })
      : [];
    const names = new Map(users.map((u) => [u.id, `${u.displayName} (${u.username})`]));
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      user:
        r.userId === null ? null : { id: r.userId, name: names.get(r.userId) ?? `#${r.userId}` },
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      detail: parsed(r.detail),
    }));
  }
}

function parsed(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}
