import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not, Repository } from 'typeorm';
import { CampaignStatus } from '../campaigns/campaign-status.entity';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { forUpdate, outcomeStatusPoint, serialiseOn } from '../common/database/row-lock';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Contact } from '../contacts/contact.entity';
import { CreateOutcomeStatusDto } from './dto/create-outcome-status.dto';
import { toOutcomeStatusView, OutcomeStatusView } from './dto/outcome-status.view';
import { UpdateOutcomeStatusDto } from './dto/update-outcome-status.dto';
import { isForeignKeyViolation } from './foreign-key-violation';
import { needsNothing, outcomeNeeds } from './outcome-needs';
import { OutcomeStatus, type OutcomeType } from './outcome-status.entity';
import { settleTypeSettings } from './outcome-status.rules';

/** Fields an update may not clear: null is refused for them (PartialType lets it through). */
const REQUIRED_FIELDS = [
  'code',
  'label',
  'type',
  'color',
  'quick',
  'doNotCall',
  'customerReached',
  'allowPriceOverride',
] as const;

@Injectable()
export class OutcomeStatusesService {
  constructor(
    @InjectRepository(OutcomeStatus) private readonly statuses: Repository<OutcomeStatus>,
    private readonly dataSource: DataSource,
  ) {}

  async create(dto: CreateOutcomeStatusDto): Promise<OutcomeStatusView> {
    const settings = settleTypeSettings(null, dto);
    const status = this.statuses.create({
      code: dto.code,
      label: dto.label,
      labelEn: dto.labelEn ?? null,
      color: dto.color,
      ...settings,
      allowPriceOverride: priceOverride(settings.type, false, dto.allowPriceOverride),
      archivedAt: null,
    });
    // A code already taken is the refusal to report (below); a key clash comes after it.
    if (!(await this.statuses.existsBy({ code: status.code }))) {
      await this.keyFree(this.statuses.manager, status);
    }
    // The unique index on code decides between two admins creating the same code.
    return toOutcomeStatusView(await this.uniqueCode(dto.code, () => this.statuses.save(status)));
  }

  async list(options: { includeArchived?: boolean } = {}): Promise<OutcomeStatusView[]> {
    const statuses = await this.statuses.find({
      where: options.includeArchived ? {} : { archivedAt: IsNull() },
      order: { code: 'ASC' },
    });
    return statuses.map(toOutcomeStatusView);
  }

  async get(id: number): Promise<OutcomeStatusView> {
    return toOutcomeStatusView(await this.find(this.statuses.manager, id));
  }

  async update(id: number, dto: UpdateOutcomeStatusDto): Promise<OutcomeStatusView> {
    for (const field of REQUIRED_FIELDS) {
      if (dto[field] === null) throw new ValidationError(field, `${field} must not be null`);
    }
    const code = dto.code;
    const saved = await this.uniqueCode(code ?? '', () =>
      this.dataSource.transaction(async (em) => {
        // Row lock: two admins editing one status must not mix the type rules of both.
        const status = await this.find(em, id, true);
        const settled = settleTypeSettings(status, dto);
        await this.keepWrapUpsPossible(em, status, settled);
        Object.assign(status, settled);
        status.allowPriceOverride = priceOverride(
          status.type,
          status.allowPriceOverride,
          dto.allowPriceOverride,
        );
        if (code !== undefined) status.code = code;
        if (dto.label != null) status.label = dto.label;
        if (dto.labelEn !== undefined) status.labelEn = dto.labelEn;
        if (dto.color != null) status.color = dto.color;
        await this.keyFree(em, status);
        return em.save(status);
      }),
    );
    return toOutcomeStatusView(saved);
  }

  /** No longer offered to operators; its history (and the campaigns using it) stay. */
  async archive(id: number): Promise<OutcomeStatusView> {
    return this.setArchived(id, true);
  }

  async restore(id: number): Promise<OutcomeStatusView> {
    return this.setArchived(id, false);
  }

  /** Only a status nothing refers to can go; one in use can only be archived. */
  async remove(id: number): Promise<OutcomeStatusView> {
    let code = String(id);
    try {
      return await this.dataSource.transaction(async (em) => {
        // Lock the status: a campaign linking it meanwhile waits for this transaction, and
        // the RESTRICT foreign key of campaign_statuses refuses whatever slips past the count.
        const status = await this.find(em, id, true);
        code = status.code;
        const campaigns = await em.countBy(CampaignStatus, { statusId: id });
        const contacts = await em.countBy(Contact, { lastStatusId: id });
        if (campaigns > 0 || contacts > 0) throw this.inUse(code, { campaigns, contacts });
        await em.delete(OutcomeStatus, { id });
        return toOutcomeStatusView(status);
      });
    } catch (error) {
      // Any other table that refers to statuses with a foreign key ends up here.
      if (isForeignKeyViolation(error)) throw this.inUse(code);
      throw error;
    }
  }

  private inUse(code: string, counts?: { campaigns: number; contacts: number }): ConflictError {
    const where = counts
      ? ` by ${counts.campaigns} campaign(s) and ${counts.contacts} contact(s)`
      : '';
    return new ConflictError(
      `outcome status "${code}" is in use${where}: archive it instead of deleting it`,
    ).say('statuses.inUse', { code, ...(counts ?? { campaigns: '?', contacts: '?' }) });
  }

  private async setArchived(id: number, archived: boolean): Promise<OutcomeStatusView> {
    const saved = await this.dataSource.transaction(async (em) => {
      // Row lock: archiving twice at once keeps the first archivedAt.
      const status = await this.find(em, id, true);
      // Whole seconds: DATETIME keeps no fraction, so what we answer is what is stored.
      if (archived && status.archivedAt === null) await this.refuseArchivingWrapUp(em, status);
      if (archived && status.archivedAt === null)
        status.archivedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      if (!archived) status.archivedAt = null;
      // Back in use: its key may have been given to another status meanwhile.
      await this.keyFree(em, status);
      return em.save(status);
    });
    return toOutcomeStatusView(saved);
  }

  /**
   * A campaign's wrap-up confirms its status by itself: a change that would make it need
   * an answer or a sub-form there (a new type, or "customer reached" with required steps)
   * is a 400 naming the field and the campaigns. Lock: this status's row (held by the
   * caller), which a campaign saving it as its wrap-up also takes.
   */
  private async keepWrapUpsPossible(
    em: EntityManager,
    status: OutcomeStatus,
    settled: Pick<OutcomeStatus, 'type' | 'customerReached'>,
  ): Promise<void> {
    if (settled.type === status.type && settled.customerReached === status.customerReached) return;
    const campaigns = await em.findBy(Campaign, { wrapUpStatusId: status.id });
    for (const campaign of campaigns) {
      const steps = await em.findBy(CampaignStep, { campaignId: campaign.id });
      if (needsNothing(outcomeNeeds(settled, steps))) continue;
      const field = settled.type !== status.type ? 'type' : 'customerReached';
      throw new ValidationError(
        field,
        `${field}: ${status.code} is the wrap-up status of campaign ${campaign.code}, which confirms it by itself; with this change it would need ${settled.type !== 'N' ? `a type ${settled.type} form` : 'answers to required steps'}. Choose another wrap-up status for the campaign first`,
      ).say('statuses.errors.wrapUpInUse', { code: status.code, campaign: campaign.code });
    }
  }

  /** An archived status is offered nowhere: a campaign's wrap-up cannot confirm it (409). */
  private async refuseArchivingWrapUp(em: EntityManager, status: OutcomeStatus): Promise<void> {
    const campaign = await em.findOneBy(Campaign, { wrapUpStatusId: status.id });
    if (campaign) {
      throw new ConflictError(
        `outcome status "${status.code}" is the wrap-up status of campaign ${campaign.code}: choose another wrap-up status for the campaign before archiving it`,
        'wrapUpStatusId',
      ).say('statuses.errors.wrapUpArchive', { code: status.code, campaign: campaign.code });
    }
  }

  /**
   * A quick status's key (1-9) is its own in every campaign, so no two quick statuses in
   * use share one: 409 naming the other. Checked, not locked: two admins giving one key
   * at the same instant is the one case it does not see.
   */
  private async keyFree(em: EntityManager, status: OutcomeStatus): Promise<void> {
    if (!status.quick || status.quickOrder === null || status.archivedAt !== null) return;
    const other = await em.findOne(OutcomeStatus, {
      where: {
        quick: true,
        quickOrder: status.quickOrder,
        archivedAt: IsNull(),
        ...(status.id ? { id: Not(status.id) } : {}),
      },
    });
    if (other) {
      throw new ConflictError(
        `quickOrder: key ${status.quickOrder} is already the key of ${other.code} "${other.label}"`,
        'quickOrder',
      ).say('statuses.errors.keyTaken', {
        key: status.quickOrder,
        code: other.code,
        label: other.label,
      });
    }
  }

  private async find(em: EntityManager, id: number, lock = false): Promise<OutcomeStatus> {
    // A campaign naming it as its wrap-up takes the same point (campaigns.service.ts).
    if (lock) await serialiseOn(em, outcomeStatusPoint(id));
    const status = await em.findOne(OutcomeStatus, {
      where: { id },
      ...(lock ? forUpdate(em) : {}),
    });
    if (!status) throw new NotFoundError('outcome status', id);
    return status;
  }

  private async uniqueCode<T>(code: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`code "${code}" is already used by another status`, 'code').say(
          'statuses.codeTaken',
          { code },
        );
      }
      throw error;
    }
  }
}

/**
 * Whether operators may change prices with this status: only a close (C) has a cart, so
 * asking it of another type is a 400 and a status that stops being a close loses it.
 */
function priceOverride(
  type: OutcomeType,
  current: boolean,
  asked: boolean | null | undefined,
): boolean {
  if (type !== 'C') {
    if (asked === true) {
      throw new ValidationError(
        'allowPriceOverride',
        'allowPriceOverride is only allowed for type C (online close) statuses',
      );
    }
    return false;
  }
  return asked ?? current;
}
