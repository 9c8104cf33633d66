import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
import { currentActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Agent } from '../agents/agent.entity';
import { retriedTransaction } from '../common/database/retried-transaction';
import { forUpdate, outcomeStatusPoint, serialiseOn } from '../common/database/row-lock';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Contact } from '../contacts/contact.entity';
import { needsNothing, outcomeNeeds } from '../outcome-statuses/outcome-needs';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Product } from '../products/product.entity';
import { User } from '../users/user.entity';
import { CalendarChangeHooks } from './calendar-change-hooks';
import { CampaignAgent } from './campaign-agent.entity';
import { CampaignOperator } from './campaign-operator.entity';
import { CampaignProduct } from './campaign-product.entity';
import { CampaignStatus } from './campaign-status.entity';
import {
  CONTRACT_FIELDS,
  type ContractFieldName,
  isContractFieldName,
} from '../contracts/contract-fields';
import { CampaignStep, type ConsentPurpose, type StepKind } from './campaign-step.entity';
import {
  type CallingHours,
  Campaign,
  type CampaignPurpose,
  type CampaignState,
  type OverlapPolicy,
} from './campaign.entity';
import type { CampaignInputDto, CampaignWrapUpDto } from './dto/campaign-input.dto';
import {
  type CampaignLinks,
  type CampaignOptions,
  type CampaignSummary,
  type CampaignView,
  toCampaignView,
} from './dto/campaign.view';
import type { ScriptPreviewDto, ScriptPreviewView } from './dto/script-preview.dto';
import {
  firstUnknownPlaceholder,
  SAMPLE_CONTACT,
  SCRIPT_PLACEHOLDERS,
  ScriptRenderer,
  ScriptSyntaxError,
} from './script-renderer';
import { CAMPAIGN_DEFAULTS } from './campaign-defaults';
import { normaliseCallingHours, normaliseClosedDates } from './calling-hours-input';
import type { HolidayCalendar } from './holiday-calendar';
import { ianaTimeZone } from './time-zones';

interface NormalisedStep {
  consentPurpose: ConsentPurpose | null;
  contractField: ContractFieldName | null;
  kind: StepKind;
  title: string;
  body: string | null;
  choices: string[] | null;
  required: boolean;
}

/** A campaign input that has passed every rule that needs no database. */
interface NormalisedCampaign extends CampaignLinks {
  code: string;
  name: string;
  timezone: string;
  callingHours: CallingHours;
  holidays: HolidayCalendar | null;
  closedDates: string[];
  appointmentMinutes: number;
  travelBufferMinutes: number;
  overlapPolicy: OverlapPolicy;
  privateCallbackGraceMinutes: number;
  purpose: CampaignPurpose;
  wrapUp: WrapUp;
  steps: NormalisedStep[];
}

/** The campaign's wrap-up: both set, or neither. */
interface WrapUp {
  seconds: number | null;
  statusId: number | null;
}

const idList = (ids: number[]): string => ids.join(', ');

@Injectable()
export class CampaignsService {
  private readonly renderer = new ScriptRenderer();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectRepository(CampaignStep) private readonly steps: Repository<CampaignStep>,
    @InjectRepository(OutcomeStatus) private readonly statuses: Repository<OutcomeStatus>,
    @InjectRepository(Product) private readonly products: Repository<Product>,
    @InjectRepository(Agent) private readonly agents: Repository<Agent>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly calendarHooks: CalendarChangeHooks,
    private readonly audit: AuditService,
  ) {}

  /**
   * Campaign, workflow and links in one transaction; `within` adds what another feature
   * keeps about the new campaign (an outage's message) to the same transaction.
   */
  async create(
    input: CampaignInputDto,
    within?: (em: EntityManager, campaignId: number) => Promise<void>,
  ): Promise<CampaignView> {
    const campaign = this.normalise(input);
    let id: number;
    try {
      // The unique index on code decides between two admins creating the same code; one that
      // lost a lock conflict on it instead tries again and meets the duplicate (409).
      id = await retriedTransaction(this.dataSource, async (em) => {
        await this.checkReferences(em, campaign);
        await this.checkWrapUp(em, campaign.wrapUp, campaign.statusIds, campaign.steps);
        const saved = await em.save(
          em.create(Campaign, { ...this.settingsOf(campaign), state: 'active' }),
        );
        await this.writeWorkflowAndLinks(em, saved.id, campaign);
        if (within) await within(em, saved.id);
        return saved.id;
      });
    } catch (error) {
      throw this.codeConflict(error, campaign.code);
    }
    return this.get(id);
  }

  /** Replaces settings, workflow and links in one transaction: all of it or none of it. */
  async replace(id: number, input: CampaignInputDto): Promise<CampaignView> {
    const campaign = this.normalise(input);
    try {
      await this.dataSource.transaction(async (em) => {
        // Two admins saving the same campaign take turns: a write both make (a read lock
        // alone would not be seen by another node of a cluster).
        await serialiseOn(em, `campaign:${id}`);
        const current = await em.findOne(Campaign, { where: { id }, ...forUpdate(em) });
        if (!current) throw new NotFoundError('campaign', id);
        await this.checkReferences(em, campaign);
        await this.checkWrapUp(em, campaign.wrapUp, campaign.statusIds, campaign.steps);
        const before = await this.workflowOf(em, id);
        await em.delete(CampaignStep, { campaignId: id });
        await em.delete(CampaignStatus, { campaignId: id });
        await em.delete(CampaignProduct, { campaignId: id });
        await em.delete(CampaignAgent, { campaignId: id });
        await em.delete(CampaignOperator, { campaignId: id });
        await this.writeWorkflowAndLinks(em, id, campaign);
        await this.recordWorkflowChange(em, id, before);
        // A code taken by another campaign fails here (unique index) and rolls back the above.
        const saved = await em.save(Campaign, Object.assign(current, this.settingsOf(campaign)));
        // Callbacks promised at a time the new calendar closes move to its next open moment
        // (callbacks/closed-time-callbacks.ts registers for it).
        await this.calendarHooks.runWithin(em, id, saved);
      });
    } catch (error) {
      throw this.codeConflict(error, campaign.code);
    }
    return this.get(id);
  }

  /** The campaign's workflow and links as the audit trail compares them. */
  private async workflowOf(em: EntityManager, id: number): Promise<Record<string, unknown>> {
    const [steps, statuses, products, agents, operators] = await Promise.all([
      em.find(CampaignStep, { where: { campaignId: id }, order: { position: 'ASC' } }),
      em.findBy(CampaignStatus, { campaignId: id }),
      em.findBy(CampaignProduct, { campaignId: id }),
      em.findBy(CampaignAgent, { campaignId: id }),
      em.findBy(CampaignOperator, { campaignId: id }),
    ]);
    const sorted = (ids: number[]) => ids.sort((a, b) => a - b);
    return {
      steps: steps.map(
        (s) => `${s.kind}:${s.title}${s.contractField ? ` -> ${s.contractField}` : ''}`,
      ),
      statusIds: sorted(statuses.map((l) => l.statusId)),
      productIds: sorted(products.map((l) => l.productId)),
      agentIds: sorted(agents.map((l) => l.agentId)),
      operatorIds: sorted(operators.map((l) => l.userId)),
    };
  }

  /** One line in the audit trail with what the save changed in the workflow and links. */
  private async recordWorkflowChange(
    em: EntityManager,
    id: number,
    before: Record<string, unknown>,
  ): Promise<void> {
    const after = await this.workflowOf(em, id);
    const changed: Record<string, unknown> = {};
    for (const key of Object.keys(after)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
        changed[key] = [before[key], after[key]];
      }
    }
    if (Object.keys(changed).length === 0) return;
    await this.audit.record(em, {
      userId: currentActor(),
      action: 'campaign.workflow_changed',
      entity: 'campaign',
      entityId: id,
      detail: JSON.stringify(changed),
    });
  }

  /** Idempotent: pausing a paused campaign (or resuming an active one) changes nothing. */
  async setState(id: number, state: CampaignState): Promise<CampaignView> {
    const result = await this.campaigns.update({ id }, { state });
    if (!result.affected) {
      // MySQL counts only changed rows: the campaign may exist and already be in that state.
      if (!(await this.campaigns.existsBy({ id }))) throw new NotFoundError('campaign', id);
    }
    return this.get(id);
  }

  /**
   * `PATCH /campaigns/:id`: the wrap-up changed alone (absent fields keep their value),
   * checked against the campaign's statuses and workflow as a whole save would be.
   * Lock: the campaign's serialisation point and row, as a replace takes them.
   */
  async changeWrapUp(id: number, dto: CampaignWrapUpDto): Promise<CampaignView> {
    await this.dataSource.transaction(async (em) => {
      await serialiseOn(em, `campaign:${id}`);
      const current = await em.findOne(Campaign, { where: { id }, ...forUpdate(em) });
      if (!current) throw new NotFoundError('campaign', id);
      const wrapUp = wholeWrapUp({
        wrapUpSeconds: dto.wrapUpSeconds === undefined ? current.wrapUpSeconds : dto.wrapUpSeconds,
        wrapUpStatusId:
          dto.wrapUpStatusId === undefined ? current.wrapUpStatusId : dto.wrapUpStatusId,
      });
      const [links, steps] = await Promise.all([
        em.findBy(CampaignStatus, { campaignId: id }),
        em.findBy(CampaignStep, { campaignId: id }),
      ]);
      await this.checkWrapUp(
        em,
        wrapUp,
        links.map((l) => l.statusId),
        steps,
      );
      current.wrapUpSeconds = wrapUp.seconds;
      current.wrapUpStatusId = wrapUp.statusId;
      await em.save(Campaign, current);
    });
    return this.get(id);
  }

  /**
   * A wrap-up confirms its status by itself: the status must be one of the campaign's, not
   * archived, and need nothing the operator would have to fill in (no answer to a required
   * step, no callback, cart or appointment: outcome-needs.ts, the outcome's own rule).
   * Lock: the status's serialisation point (outcomeStatusPoint) and row, so an admin
   * changing its type or "customer reached" meanwhile (outcome-statuses.service.ts) waits
   * and then sees this campaign's wrap-up, on one server or two nodes of a cluster.
   */
  private async checkWrapUp(
    em: EntityManager,
    wrapUp: WrapUp,
    statusIds: number[],
    steps: Array<Pick<NormalisedStep, 'kind' | 'title' | 'required'>>,
  ): Promise<void> {
    if (wrapUp.statusId === null) return;
    const statusId = wrapUp.statusId;
    if (statusIds.includes(statusId)) await serialiseOn(em, outcomeStatusPoint(statusId));
    const status = statusIds.includes(statusId)
      ? await em.findOne(OutcomeStatus, { where: { id: statusId }, ...forUpdate(em) })
      : null;
    if (!status || status.archivedAt !== null) {
      throw new ValidationError(
        'wrapUpStatusId',
        `wrapUpStatusId: status ${statusId} is not one of this campaign’s statuses`,
      ).say('campaigns.errors.wrapUpNotLinked');
    }
    const needs = outcomeNeeds(status, steps);
    if (needsNothing(needs)) return;
    if (needs.form !== null) {
      throw new ValidationError(
        'wrapUpStatusId',
        `wrapUpStatusId: ${status.code} (type ${status.type}) needs a ${needs.form}, which a wrap-up cannot fill in; choose a type N status`,
      ).say('campaigns.errors.wrapUpSubForm', { code: status.code, type: status.type });
    }
    const titles = needs.answers.map((step) => `"${step.title}"`).join(', ');
    throw new ValidationError(
      'wrapUpStatusId',
      `wrapUpStatusId: ${status.code} reaches the customer, so it needs answers to the required steps ${titles}, which a wrap-up cannot give; choose a status that reaches no one, or make the steps optional`,
    ).say('campaigns.errors.wrapUpAnswers', { code: status.code, steps: titles });
  }

  async list(): Promise<CampaignView[]> {
    const campaigns = await this.campaigns.find({ order: { code: 'ASC' } });
    if (campaigns.length === 0) return [];
    const ids = campaigns.map((c) => c.id);
    const [steps, links] = await Promise.all([
      this.steps.find({ where: { campaignId: In(ids) }, order: { position: 'ASC' } }),
      this.linksOf(ids),
    ]);
    return campaigns.map((campaign) =>
      toCampaignView(
        campaign,
        steps.filter((s) => s.campaignId === campaign.id),
        links.get(campaign.id) ?? emptyLinks(),
      ),
    );
  }

  async get(id: number): Promise<CampaignView> {
    const campaign = await this.campaigns.findOneBy({ id });
    if (!campaign) throw new NotFoundError('campaign', id);
    const [steps, links] = await Promise.all([
      this.steps.find({ where: { campaignId: id }, order: { position: 'ASC' } }),
      this.linksOf([id]),
    ]);
    return toCampaignView(campaign, steps, links.get(id) ?? emptyLinks());
  }

  /** The campaigns page: each campaign with how many statuses, operators and contacts it has. */
  async summaries(): Promise<CampaignSummary[]> {
    const campaigns = await this.campaigns.find({ order: { state: 'ASC', code: 'ASC' } });
    const count = async (
      entity: typeof CampaignStatus | typeof CampaignOperator | typeof Contact,
    ) =>
      new Map(
        (
          await this.dataSource
            .createQueryBuilder(entity, 'x')
            .select('x.campaignId', 'campaignId')
            .addSelect('COUNT(*)', 'n')
            .groupBy('x.campaignId')
            .getRawMany<{ campaignId: number | string; n: number | string }>()
        ).map((row) => [Number(row.campaignId), Number(row.n)]),
      );
    const [statuses, operators, contacts] = await Promise.all([
      count(CampaignStatus),
      count(CampaignOperator),
      count(Contact),
    ]);
    return campaigns.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      state: c.state,
      purpose: c.purpose,
      statusCount: statuses.get(c.id) ?? 0,
      operatorCount: operators.get(c.id) ?? 0,
      contactCount: contacts.get(c.id) ?? 0,
    }));
  }

  contactCount(id: number): Promise<number> {
    return this.dataSource.getRepository(Contact).countBy({ campaignId: id });
  }

  /**
   * What a campaign can be linked to: statuses not archived, active products, agents and
   * operators, plus whatever `linked` already names (flagged, so pages can show it).
   */
  async options(linked: CampaignLinks = emptyLinks()): Promise<CampaignOptions> {
    const [statuses, products, agents, operators] = await Promise.all([
      this.statuses.find({
        where: [{ archivedAt: IsNull() }, { id: In(linked.statusIds) }],
        order: { code: 'ASC' },
      }),
      this.products.find({
        where: [{ active: true }, { id: In(linked.productIds) }],
        order: { code: 'ASC' },
      }),
      this.agents.find({
        where: [{ active: true }, { id: In(linked.agentIds) }],
        order: { name: 'ASC' },
      }),
      this.users.find({
        where: [
          { role: 'operator', active: true },
          { id: In(linked.operatorIds), role: 'operator' },
        ],
        order: { displayName: 'ASC' },
      }),
    ]);
    return {
      statuses: statuses.map((s) => ({
        id: s.id,
        code: s.code,
        label: s.label,
        labelEn: s.labelEn,
        type: s.type,
        color: s.color,
        quick: s.quick,
        quickOrder: s.quickOrder,
        archived: s.archivedAt !== null,
        customerReached: s.customerReached,
      })),
      products: products.map((p) => ({ id: p.id, code: p.code, name: p.name, active: p.active })),
      agents: agents.map((a) => ({ id: a.id, name: a.name, zones: a.zones, active: a.active })),
      operators: operators.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        active: u.active,
      })),
    };
  }

  /** Renders a script body with the sample contact (Mario Rossi) and the given fields. */
  async previewScript(
    dto: ScriptPreviewDto,
    operatorName: string,
    campaignId?: number,
  ): Promise<ScriptPreviewView> {
    if (campaignId !== undefined && !(await this.campaigns.existsBy({ id: campaignId }))) {
      throw new NotFoundError('campaign', campaignId);
    }
    const { fields, ...given } = dto.contact ?? {};
    const contact = { ...SAMPLE_CONTACT, ...given, fields: previewFields(fields) };
    try {
      return {
        html: this.renderer.renderHtml(dto.body, { contact, operator: { name: operatorName } }),
      };
    } catch (error) {
      if (error instanceof ScriptSyntaxError) {
        throw new ValidationError('body', `the script does not compile: ${error.detail}`).say(
          'campaigns.errors.previewSyntax',
          { detail: error.detail },
        );
      }
      throw error;
    }
  }

  /** A stored script as plain text for a page (the template escapes it). */
  scriptText(body: string, operatorName: string): string {
    return this.renderer.renderText(body, {
      contact: SAMPLE_CONTACT,
      operator: { name: operatorName },
    });
  }

  private settingsOf(campaign: NormalisedCampaign) {
    return {
      code: campaign.code,
      name: campaign.name,
      timezone: campaign.timezone,
      callingHours: campaign.callingHours,
      holidays: campaign.holidays,
      closedDates: campaign.closedDates,
      appointmentMinutes: campaign.appointmentMinutes,
      travelBufferMinutes: campaign.travelBufferMinutes,
      overlapPolicy: campaign.overlapPolicy,
      privateCallbackGraceMinutes: campaign.privateCallbackGraceMinutes,
      purpose: campaign.purpose,
      wrapUpSeconds: campaign.wrapUp.seconds,
      wrapUpStatusId: campaign.wrapUp.statusId,
    };
  }

  private codeConflict(error: unknown, code: string): unknown {
    if (isUniqueViolation(error)) {
      return new ConflictError(`code: campaign code "${code}" is already taken`, 'code').say(
        'campaigns.errors.codeTaken',
        { code },
      );
    }
    return error;
  }

  /** The rules that need no database: the workflow's shape, calling hours, defaults. */
  private normalise(input: CampaignInputDto): NormalisedCampaign {
    const outcomes = input.steps.filter((step) => step.kind === 'outcome').length;
    if (outcomes !== 1) {
      throw new ValidationError(
        'steps',
        `a campaign needs exactly one outcome step (found ${outcomes})`,
      ).say('campaigns.errors.outcomeCount', { count: outcomes });
    }
    // Contract fields already bound, by the step that binds them: each field once.
    const bound = new Map<string, number>();
    const steps = input.steps.map((step, index): NormalisedStep => {
      const body = step.body?.trim() ? step.body : null;
      const choices = (step.choices ?? []).map((choice) => choice.trim());
      if (choices.length > 0 && step.kind !== 'question') {
        throw new ValidationError(
          `steps.${index}.choices`,
          'choices are only allowed on question steps',
        ).say('campaigns.errors.choicesOnlyOnQuestions', { position: index + 1 });
      }
      if (step.consentPurpose && step.kind !== 'consent') {
        throw new ValidationError(
          `steps.${index}.consentPurpose`,
          'consentPurpose is only allowed on consent steps',
        );
      }
      if (choices.some((choice) => choice === '')) {
        throw new ValidationError(`steps.${index}.choices`, 'choices must not be blank');
      }
      if (step.kind === 'script' && body === null) {
        throw new ValidationError(`steps.${index}.body`, 'a script step needs its text').say(
          'campaigns.errors.scriptEmpty',
          { position: index + 1 },
        );
      }
      // Read aloud from the card (a script, a question's or a consent's text): it must
      // compile, and a misspelt placeholder would be an empty gap in a sentence.
      if (body !== null && step.kind !== 'notes' && step.kind !== 'outcome') {
        try {
          this.renderer.check(body);
        } catch (error) {
          if (!(error instanceof ScriptSyntaxError)) throw error;
          throw new ValidationError(
            `steps.${index}.body`,
            `the script does not compile: ${error.detail}`,
          ).say('campaigns.errors.scriptSyntax', { position: index + 1, detail: error.detail });
        }
        const unknown = firstUnknownPlaceholder(body);
        if (unknown !== null) {
          throw new ValidationError(
            `steps.${index}.body`,
            `steps.${index}.body: step "${step.title}" names {{${unknown}}}, which is not a placeholder; use ${SCRIPT_PLACEHOLDERS.join(', ')}`,
          ).say('campaigns.errors.unknownPlaceholder', {
            position: index + 1,
            placeholder: `{{${unknown}}}`,
          });
        }
      }
      return {
        kind: step.kind,
        title: step.title,
        body,
        choices: choices.length > 0 ? choices : null,
        // The outcome is what every call must end with.
        required: step.kind === 'outcome' ? true : (step.required ?? false),
        consentPurpose: step.consentPurpose ?? null,
        contractField: contractFieldOf(step, index, bound),
      };
    });

    const callingHours = normaliseCallingHours(
      input.callingHours ?? [...CAMPAIGN_DEFAULTS.callingHours],
    );
    return {
      code: input.code,
      name: input.name,
      timezone: ianaTimeZone(input.timezone) ?? CAMPAIGN_DEFAULTS.timezone,
      callingHours,
      holidays: input.holidays === undefined ? CAMPAIGN_DEFAULTS.holidays : input.holidays,
      closedDates: normaliseClosedDates(input.closedDates ?? []),
      appointmentMinutes: input.appointmentMinutes ?? CAMPAIGN_DEFAULTS.appointmentMinutes,
      travelBufferMinutes: input.travelBufferMinutes ?? CAMPAIGN_DEFAULTS.travelBufferMinutes,
      overlapPolicy: input.overlapPolicy ?? CAMPAIGN_DEFAULTS.overlapPolicy,
      privateCallbackGraceMinutes:
        input.privateCallbackGraceMinutes ?? CAMPAIGN_DEFAULTS.privateCallbackGraceMinutes,
      purpose: input.purpose ?? CAMPAIGN_DEFAULTS.purpose,
      wrapUp: wholeWrapUp(input),
      steps,
      statusIds: input.statusIds,
      productIds: input.productIds ?? [],
      agentIds: input.agentIds ?? [],
      operatorIds: input.operatorIds ?? [],
    };
  }

  /** Every linked id names a row that may be offered (read in the writing transaction). */
  private async checkReferences(em: EntityManager, campaign: NormalisedCampaign): Promise<void> {
    const statuses = await em.findBy(OutcomeStatus, { id: In(campaign.statusIds) });
    const unknownStatuses = missing(campaign.statusIds, statuses);
    const archived = statuses.filter((s) => s.archivedAt !== null).map((s) => s.id);
    if (unknownStatuses.length > 0 || archived.length > 0) {
      const parts = [
        unknownStatuses.length ? `unknown status ids ${idList(unknownStatuses)}` : '',
        archived.length ? `archived status ids ${idList(archived)}` : '',
      ].filter(Boolean);
      throw new ValidationError('statusIds', parts.join('; ')).say('campaigns.errors.statusIds', {
        ids: idList([...unknownStatuses, ...archived]),
      });
    }
    const byKey = new Map<number, string[]>();
    for (const status of statuses) {
      if (!status.quick || status.quickOrder === null) continue;
      byKey.set(status.quickOrder, [...(byKey.get(status.quickOrder) ?? []), status.code]);
    }
    for (const [key, codes] of byKey) {
      if (codes.length > 1) {
        throw new ValidationError(
          'statusIds',
          `quick statuses ${codes.join(', ')} share quick key ${key}; a campaign needs distinct keys`,
        ).say('campaigns.errors.quickOrder', { codes: codes.join(', '), key });
      }
    }

    const products = await em.findBy(Product, { id: In(campaign.productIds) });
    this.refuseUnusable('productIds', 'product', campaign.productIds, products, (p) => p.active);
    const agents = await em.findBy(Agent, { id: In(campaign.agentIds) });
    this.refuseUnusable('agentIds', 'agent', campaign.agentIds, agents, (a) => a.active);

    await this.refuseNonOperators(em, campaign.operatorIds);
  }

  private async refuseNonOperators(em: EntityManager, ids: number[]): Promise<void> {
    const users = ids.length ? await em.findBy(User, { id: In(ids) }) : [];
    const notOperators = [
      ...missing(ids, users),
      ...users.filter((u) => u.role !== 'operator' || !u.active).map((u) => u.id),
    ];
    if (notOperators.length > 0) {
      throw new ValidationError(
        'operatorIds',
        `ids ${idList(notOperators)} are not active users with the operator role`,
      ).say('campaigns.errors.operatorIds', { ids: idList(notOperators) });
    }
  }

  /**
   * Who works the campaign, replaced as a whole (coordinators do this as well as admins).
   * Lock: the campaign's serialisation point and row, so two coordinators' lists do not
   * interleave.
   */
  async setOperators(campaignId: number, operatorIds: number[]): Promise<CampaignView> {
    await this.dataSource.transaction(async (em) => {
      await serialiseOn(em, `campaign:${campaignId}`);
      const campaign = await em.findOne(Campaign, { where: { id: campaignId }, ...forUpdate(em) });
      if (!campaign) throw new NotFoundError('campaign', campaignId);
      await this.refuseNonOperators(em, operatorIds);
      await em.delete(CampaignOperator, { campaignId });
      if (operatorIds.length > 0) {
        await em.insert(
          CampaignOperator,
          operatorIds.map((userId) => ({ campaignId, userId })),
        );
      }
    });
    return this.get(campaignId);
  }

  /**
   * A new operator put on campaigns in the transaction that creates them (the new-user form).
   * Lock: none needed; the user row is new, and unknown campaigns are a 400.
   */
  async assignNewOperator(em: EntityManager, userId: number, campaignIds: number[]): Promise<void> {
    if (campaignIds.length === 0) return;
    const found = await em.findBy(Campaign, { id: In(campaignIds) });
    const unknown = missing(campaignIds, found);
    if (unknown.length > 0) {
      throw new ValidationError(
        'campaignIds',
        `campaignIds: unknown campaign ids ${idList(unknown)}`,
      );
    }
    await em.insert(
      CampaignOperator,
      campaignIds.map((campaignId) => ({ campaignId, userId })),
    );
  }

  private refuseUnusable<T extends { id: number }>(
    field: string,
    what: string,
    ids: number[],
    rows: T[],
    usable: (row: T) => boolean,
  ): void {
    const unknown = missing(ids, rows);
    const inactive = rows.filter((row) => !usable(row)).map((row) => row.id);
    if (unknown.length === 0 && inactive.length === 0) return;
    const parts = [
      unknown.length ? `unknown ${what} ids ${idList(unknown)}` : '',
      inactive.length ? `inactive ${what} ids ${idList(inactive)}` : '',
    ].filter(Boolean);
    throw new ValidationError(field, parts.join('; ')).say(`campaigns.errors.${field}`, {
      ids: idList([...unknown, ...inactive]),
    });
  }

  private async writeWorkflowAndLinks(
    em: EntityManager,
    campaignId: number,
    campaign: NormalisedCampaign,
  ): Promise<void> {
    await em.insert(
      CampaignStep,
      campaign.steps.map((step, index) => ({ ...step, campaignId, position: index + 1 })),
    );
    await em.insert(
      CampaignStatus,
      campaign.statusIds.map((statusId) => ({ campaignId, statusId })),
    );
    if (campaign.productIds.length > 0)
      await em.insert(
        CampaignProduct,
        campaign.productIds.map((productId) => ({ campaignId, productId })),
      );
    if (campaign.agentIds.length > 0)
      await em.insert(
        CampaignAgent,
        campaign.agentIds.map((agentId) => ({ campaignId, agentId })),
      );
    if (campaign.operatorIds.length > 0)
      await em.insert(
        CampaignOperator,
        campaign.operatorIds.map((userId) => ({ campaignId, userId })),
      );
  }

  private async linksOf(campaignIds: number[]): Promise<Map<number, CampaignLinks>> {
    const where = { campaignId: In(campaignIds) };
    const [statuses, products, agents, operators] = await Promise.all([
      this.dataSource.getRepository(CampaignStatus).findBy(where),
      this.dataSource.getRepository(CampaignProduct).findBy(where),
      this.dataSource.getRepository(CampaignAgent).findBy(where),
      this.dataSource.getRepository(CampaignOperator).findBy(where),
    ]);
    const result = new Map<number, CampaignLinks>();
    const of = (id: number): CampaignLinks => {
      let links = result.get(id);
      if (!links) result.set(id, (links = emptyLinks()));
      return links;
    };
    for (const row of statuses) of(row.campaignId).statusIds.push(row.statusId);
    for (const row of products) of(row.campaignId).productIds.push(row.productId);
    for (const row of agents) of(row.campaignId).agentIds.push(row.agentId);
    for (const row of operators) of(row.campaignId).operatorIds.push(row.userId);
    return result;
  }
}

/** Seconds and status together or neither: one without the other is a 400 naming the missing one. */
function wholeWrapUp(input: {
  wrapUpSeconds?: number | null;
  wrapUpStatusId?: number | null;
}): WrapUp {
  const seconds = input.wrapUpSeconds ?? null;
  const statusId = input.wrapUpStatusId ?? null;
  if (seconds !== null && statusId === null) {
    throw new ValidationError(
      'wrapUpStatusId',
      'wrapUpStatusId: a wrap-up needs the status it confirms (or no wrapUpSeconds)',
    ).say('campaigns.errors.wrapUpStatusMissing');
  }
  if (statusId !== null && seconds === null) {
    throw new ValidationError(
      'wrapUpSeconds',
      'wrapUpSeconds: a wrap-up needs its seconds (or no wrapUpStatusId)',
    ).say('campaigns.errors.wrapUpSecondsMissing');
  }
  return { seconds, statusId };
}

function emptyLinks(): CampaignLinks {
  return { statusIds: [], productIds: [], agentIds: [], operatorIds: [] };
}

function missing(ids: number[], rows: Array<{ id: number }>): number[] {
  const found = new Set(rows.map((row) => row.id));
  return ids.filter((id) => !found.has(id));
}

/** The preview's extra fields: texts (numbers are read as texts), at most 100 of them. */
function previewFields(fields: Record<string, unknown> | undefined): Record<string, string> {
  const entries = Object.entries(fields ?? {});
  if (entries.length > 100) {
    throw new ValidationError('contact.fields', 'contact.fields may have at most 100 fields');
  }
  const result: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ValidationError('contact.fields', `contact.fields.${key} must be a text`);
    }
    if (key.length > 64 || String(value).length > 1000) {
      throw new ValidationError('contact.fields', `contact.fields.${key} is too long`);
    }
    result[key] = String(value);
  }
  return result;
}

/**
 * A question step's contract field: a known one or custom:<name>, bound by one step only
 * (400 naming steps.<i>.contractField); empty means none.
 */
function contractFieldOf(
  step: { kind: StepKind; title: string; contractField?: string },
  index: number,
  bound: Map<string, number>,
): ContractFieldName | null {
  const field = `steps.${index}.contractField`;
  const value = step.contractField ?? '';
  if (value === '') return null;
  if (step.kind !== 'question') {
    throw new ValidationError(
      field,
      `${field}: only a question step can fill a contract field`,
    ).say('campaigns.errors.contractFieldOnlyOnQuestions', { position: index + 1 });
  }
  if (!isContractFieldName(value)) {
    throw new ValidationError(
      field,
      `${field}: "${value}" is not a contract field; use ${CONTRACT_FIELDS.join(', ')} or custom:<name> (lower case letters, digits, _)`,
    ).say('campaigns.errors.contractFieldUnknown', { position: index + 1, field: value });
  }
  const earlier = bound.get(value);
  if (earlier !== undefined) {
    throw new ValidationError(
      field,
      `${field}: ${value} is already filled by step ${earlier + 1}; a contract field is asked once`,
    ).say('campaigns.errors.contractFieldTwice', {
      position: index + 1,
      field: value,
      other: earlier + 1,
    });
  }
  bound.set(value, index);
  return value;
}
