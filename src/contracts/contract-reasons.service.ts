import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { ContractReason } from './contract-reason.entity';
import type { ContractReasonChanges, ContractReasonInput } from './dto/contract-reason-input';

export interface ContractReasonView {
  id: number;
  code: string;
  label: string;
  active: boolean;
}

const toView = (r: ContractReason): ContractReasonView => ({
  id: r.id,
  code: r.code,
  label: r.label,
  active: r.active,
});

/**
 * The reasons a contract may be suspended for, kept by the admins; an inactive one is no
 * longer offered and stays in the histories that name it. Its code never changes.
 */
@Injectable()
export class ContractReasonsService {
  constructor(
    @InjectRepository(ContractReason) private readonly reasons: Repository<ContractReason>,
  ) {}

  /** All of them, active first, by label. */
  async all(): Promise<ContractReasonView[]> {
    const rows = await this.reasons.find({ order: { active: 'DESC', label: 'ASC', id: 'ASC' } });
    return rows.map(toView);
  }

  /** Those offered when suspending. */
  async active(): Promise<ContractReasonView[]> {
    const rows = await this.reasons.find({ where: { active: true }, order: { label: 'ASC' } });
    return rows.map(toView);
  }

  async create(input: ContractReasonInput): Promise<ContractReasonView> {
    try {
      return toView(
        await this.reasons.save(
          this.reasons.create({
            code: input.code,
            label: input.label,
            active: input.active ?? true,
          }),
        ),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError(`code: "${input.code}" is already a contract reason`, 'code').say(
        'contractReasons.codeTaken',
        { code: input.code },
      );
    }
  }

  async update(id: number, changes: ContractReasonChanges): Promise<ContractReasonView> {
    const reason = await this.reasons.findOneBy({ id });
    if (!reason) throw new NotFoundError('contract reason', id);
    if (changes.label !== undefined) reason.label = changes.label;
    if (changes.active !== undefined) reason.active = changes.active;
    return toView(await this.reasons.save(reason));
  }

  /**
   * The active reason with this code, read in the status change's transaction (an admin
   * deactivating it at the same moment wins or loses as a whole): 400 naming the field.
   */
  async activeWithin(em: EntityManager, code: string, field: string): Promise<ContractReason> {
    const reason = await em.findOneBy(ContractReason, { code });
    if (!reason || !reason.active) {
      const offered = (await em.find(ContractReason, { where: { active: true } }))
        .map((r) => r.code)
        .join(', ');
      throw new ValidationError(
        field,
        `${field}: "${code}" is not an active contract reason (${offered || 'none is active'})`,
      ).say('contracts.errors.reasonUnknown', { code });
    }
    return reason;
  }

  /** Labels by code, for the histories (inactive ones included). */
  async labels(codes: Array<string | null>): Promise<Map<string, string>> {
    const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
    if (wanted.length === 0) return new Map();
    const found = await this.reasons.find({ where: { code: In(wanted) } });
    return new Map(found.map((r) => [r.code, r.label]));
  }
}
