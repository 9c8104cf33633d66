import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Clock } from '../common/time/clock';
import type { PauseReasonInput } from './dto/pause-reason-input';
import { PauseReason } from './pause-reason.entity';

export interface PauseReasonView {
  id: number;
  code: string;
  label: string;
  labelEn: string | null;
  maxMinutes: number | null;
  position: number;
  archived: boolean;
}

/** What an update changes; a field left out stays as it is. */
export type PauseReasonChanges = Omit<Partial<PauseReasonInput>, 'maxMinutes'> & {
  maxMinutes?: number | null;
};

const toView = (r: PauseReason): PauseReasonView => ({
  id: r.id,
  code: r.code,
  label: r.label,
  labelEn: r.labelEn,
  maxMinutes: r.maxMinutes,
  position: r.position,
  archived: r.archivedAt !== null,
});

/** The pause reasons operators choose from; archived ones stay for the reports. */
@Injectable()
export class PauseReasonsService {
  constructor(
    @InjectRepository(PauseReason) private readonly reasons: Repository<PauseReason>,
    private readonly clock: Clock,
  ) {}

  /** In use, in their order. */
  async list(): Promise<PauseReasonView[]> {
    const rows = await this.reasons.find({
      where: { archivedAt: IsNull() },
      order: { position: 'ASC', id: 'ASC' },
    });
    return rows.map(toView);
  }

  async all(): Promise<PauseReasonView[]> {
    const rows = await this.reasons.find({ order: { position: 'ASC', id: 'ASC' } });
    return rows.map(toView);
  }

  async get(id: number): Promise<PauseReasonView> {
    return toView(await this.find(id));
  }

  async create(input: PauseReasonInput): Promise<PauseReasonView> {
    return this.saved(
      this.reasons.create({
        code: input.code,
        label: input.label,
        labelEn: input.labelEn || null,
        maxMinutes: input.maxMinutes ?? null,
        position: input.position ?? 0,
        archivedAt: null,
      }),
    );
  }

  /** `maxMinutes: null` (or an empty `labelEn`) clears it: the form sends the whole reason. */
  async update(id: number, input: PauseReasonChanges): Promise<PauseReasonView> {
    const reason = await this.find(id);
    // null (let through by @IsOptional) leaves what cannot be empty unchanged.
    if (input.code != null) reason.code = input.code;
    if (input.label != null) reason.label = input.label;
    if (input.labelEn !== undefined) reason.labelEn = input.labelEn || null;
    if (input.maxMinutes !== undefined) reason.maxMinutes = input.maxMinutes ?? null;
    if (input.position !== undefined) reason.position = input.position ?? 0;
    return this.saved(reason);
  }

  /** Archived: no longer offered; operators paused with it stay so until they change. */
  async setArchived(id: number, archived: boolean): Promise<PauseReasonView> {
    const reason = await this.find(id);
    reason.archivedAt = archived ? (reason.archivedAt ?? this.clock.now()) : null;
    return toView(await this.reasons.save(reason));
  }

  private async find(id: number): Promise<PauseReason> {
    const reason = await this.reasons.findOneBy({ id });
    if (!reason) throw new NotFoundError('pause reason', id);
    return reason;
  }

  private async saved(reason: PauseReason): Promise<PauseReasonView> {
    try {
      return toView(await this.reasons.save(reason));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`code "${reason.code}" is already a pause reason`, 'code').say(
          'pauseReasons.codeTaken',
          { code: reason.code },
        );
      }
      throw error;
    }
  }
}
