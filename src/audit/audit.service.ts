import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export interface AuditLine {
  userId: number | null;
  action: string;
  entity: string;
  entityId: number | null;
  detail?: string | null;
}

/** Writes audit lines inside the caller's transaction: the line and the change commit together. */
@Injectable()
export class AuditService {
  async record(em: EntityManager, line: AuditLine): Promise<void> {
    await em.insert(AuditEntry, { ...line, detail: line.detail?.slice(0, 500) ?? null });
  }
}
