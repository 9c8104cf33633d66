import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DataSource, In, MoreThan } from 'typeorm';
import { Campaign, type EligibilityRules } from '../campaigns/campaign.entity';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ScriptRenderer, ScriptSyntaxError } from '../campaigns/script-renderer';
import { ianaTimeZone } from '../campaigns/time-zones';
import { retriedTransaction } from '../common/database/retried-transaction';
import { forUpdate } from '../common/database/row-lock';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Clock } from '../common/time/clock';
import { ContactImportService } from '../contacts/contact-import.service';
import { Contact, type ContactState } from '../contacts/contact.entity';
import type { ExportTable } from '../common/csv/export-table';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import type { ImportSummary } from '../contacts/dto/import-summary.view';
import { contactRefusal, eligibilityRules } from '../eligibility/eligibility.service';
import { FollowUpEmail } from '../follow-ups/follow-up-email.entity';
import { Interaction } from '../interactions/interaction.entity';
import { OutcomeStatus, type OutcomeType } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import type { OutageContactsDto, OutageInputDto } from './dto/outage-input.dto';
import {
  EMAILED_STATUS_CODE,
  OUTAGE_CALL_REASON,
  OUTAGE_CALLING_HOURS,
  OUTAGE_ELIGIBILITY,
  OUTAGE_STATUSES,
  OUTAGE_TAG,
  outageTexts,
} from './outage-defaults';
import { OutageNotices } from './outage-notices';
import { Outage } from './outage.entity';

/** Contacts read per transaction when the rules are applied after an import. */
const SWEEP_BATCH = 500;

/** What became of an outage's customers so far; each contact is counted once. */
export interface OutageProgress {
  id: number;
  code: string;
  name: string;
  state: 'open' | 'closed';
  closedAt: string | null;
  total: number;
  /** Reached and told (the last outcome is neither a callback nor "not reached"). */
  notified: number;
  /** Last outcome "not reached" (a status with a retry rule); `retrying` will be called again. */
  notReached: number;
  retrying: number;
  callbacksRequested: number;
  /** Could not be called (an eligibility rule) and were sent the e-mail instead. */
  emailedInstead: number;
  /** Could not be called and have no e-mail address (or are on the do-not-call list). */
  unreachable: number;
  /** On an operator's screen now. */
  inCall: number;
  /** Not worked yet. */
  left: number;
  /** Contacts per last outcome status. */
  byStatus: StatusCount[];
}

export interface StatusCount {
  statusId: number;
  code: string;
  label: string;
  /** The English label, where the status has one (English pages show it). */
  labelEn: string | null;
  type: OutcomeType;
  color: string;
  contacts: number;
  /** Calls ended with this status (report only). */
  calls?: number;
}

/** The final report: the progress numbers, per-outcome calls, the outage e-mails' fate. */
export interface OutageReport extends OutageProgress {
  message: { whatHappened: string; expectedRestore: string; whatToDo: string };
  createdAt: string;
  emails: { queued: number; sent: number; failed: number };
}

export interface OutageCreated {
  id: number;
  code: string;
  name: string;
  import: OutageImport;
  progress: OutageProgress;
}

/** The import's summary; pasted numbers' error lines are the lines of the paste. */
export type OutageImport = ImportSummary & { source: 'numbers' | 'csv' };

const SUMMARY_KEYS = [
  'total',
  'notified',
  'notReached',
  'retrying',
  'callbacksRequested',
  'emailedInstead',
  'unreachable',
  'inCall',
  'left',
] as const;

/**
 * Outage notification campaigns: a campaign made in one step from the outage's message and
 * a list of affected customers, its live progress, its closing and final report. The
 * campaign, its workflow and links, rules and message are one transaction; the list is
 * then imported like any other (batched, duplicates skipped by the unique index).
 */
@Injectable()
export class OutagesService {
  private readonly renderer = new ScriptRenderer();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
    private readonly imports: ContactImportService,
    private readonly notices: OutageNotices,
  ) {}

  async create(dto: OutageInputDto, userId: number): Promise<OutageCreated> {
    const language = dto.language ?? 'it';
    const list = this.listOf(dto);
    const texts = outageTexts(language, dto.name, dto);
    this.checkTemplate('whatHappened', dto.whatHappened);
    this.checkTemplate('expectedRestore', dto.expectedRestore);
    this.checkTemplate('whatToDo', dto.whatToDo);
    this.checkTemplate('name', texts.subject);
    const timezone = dto.timezone === undefined ? undefined : ianaTimeZone(dto.timezone);
    if (timezone === undefined && dto.timezone !== undefined) {
      throw new ValidationError(
        'timezone',
        'timezone must be an IANA time zone such as Europe/Rome',
      );
    }
    const emailed = await this.standardStatus(EMAILED_STATUS_CODE);
    const statusIds = dto.statusIds
      ? [...dto.statusIds]
      : await Promise.all(
          OUTAGE_STATUSES.filter((s) => s.code !== EMAILED_STATUS_CODE).map(async (s) =>
            this.standardStatus(s.code),
          ),
        );
    if (!statusIds.includes(emailed)) statusIds.push(emailed);
    const operatorIds =
      dto.operatorIds ??
      (
        await this.dataSource.getRepository(User).find({
          where: { role: 'operator', active: true },
          select: { id: true },
        })
      ).map((u) => u.id);
    const rules = rulesOf(dto.eligibility);
    const campaign = await this.campaigns.create(
      {
        code: dto.code ?? this.generatedCode(),
        name: dto.name,
        timezone,
        callingHours: dto.callingHours ?? { ...OUTAGE_CALLING_HOURS },
        holidays: null,
        // Telling customers of an outage is a service call: a marketing opt-out does not stop it.
        purpose: 'service',
        steps: [
          { kind: 'script', title: language === 'it' ? 'Avviso' : 'Notice', body: texts.script },
          { kind: 'outcome', title: language === 'it' ? 'Esito' : 'Outcome' },
        ],
        statusIds,
        operatorIds,
      },
      async (em, campaignId) => {
        await em.update(Campaign, { id: campaignId }, { eligibility: rules });
        await em.insert(Outage, {
          campaignId,
          whatHappened: dto.whatHappened,
          expectedRestore: dto.expectedRestore,
          whatToDo: dto.whatToDo,
          language,
          emailSubject: texts.subject,
          emailBody: texts.body,
          emailedStatusId: emailed,
          createdBy: userId,
          closedAt: null,
        });
      },
    );
    let imported: OutageImport;
    try {
      imported = await this.importList(campaign.id, list, userId);
    } catch (error) {
      // A list refused before any customer was taken leaves nothing behind: the campaign
      // made a moment ago goes too, so the coordinator simply sends the form again.
      if (
        error instanceof ImportRefusedError &&
        (await this.campaigns.contactCount(campaign.id)) === 0
      ) {
        await this.dataSource.getRepository(Campaign).delete({ id: campaign.id });
      }
      throw error;
    }
    return {
      id: campaign.id,
      code: campaign.code,
      name: campaign.name,
      import: imported,
      progress: await this.progress(campaign.id),
    };
  }

  /** More affected customers for an open outage (a second list, or a late one). */
  async addContacts(
    campaignId: number,
    dto: OutageContactsDto,
    userId: number,
  ): Promise<{ import: OutageImport; progress: OutageProgress }> {
    const outage = await this.outage(campaignId);
    if (outage.closedAt !== null) {
      throw new ConflictError(`id: outage campaign ${campaignId} is closed`, 'id');
    }
    const imported = await this.importList(campaignId, this.listOf(dto), userId);
    return { import: imported, progress: await this.progress(campaignId) };
  }

  async list(): Promise<OutageProgress[]> {
    const outages = await this.dataSource
      .getRepository(Outage)
      .find({ order: { id: 'DESC' }, take: 50 });
    return Promise.all(outages.map((o) => this.progress(o.campaignId)));
  }

  /**
   * The live numbers: one GROUP BY over the campaign's contacts (by state, last status and
   * eligibility), walking the (campaign_id, state) index; cheap enough to poll.
   */
  async progress(campaignId: number): Promise<OutageProgress> {
    const outage = await this.outage(campaignId);
    const campaign = await this.dataSource
      .getRepository(Campaign)
      .findOneByOrFail({ id: campaignId });
    const rows = await this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('c')
      .select('c.state', 'state')
      .addSelect('c.lastStatusId', 'statusId')
      .addSelect('c.ineligibleReason', 'ineligible')
      .addSelect('COUNT(*)', 'n')
      .where('c.campaignId = :campaignId', { campaignId })
      .groupBy('c.state')
      .addGroupBy('c.lastStatusId')
      .addGroupBy('c.ineligibleReason')
      .getRawMany<{
        state: ContactState;
        statusId: number | string | null;
        ineligible: string | null;
        n: number | string;
      }>();
    const statusIds = [
      ...new Set(rows.filter((r) => r.statusId !== null).map((r) => Number(r.statusId))),
    ];
    const statuses = new Map(
      (statusIds.length
        ? await this.dataSource.getRepository(OutcomeStatus).findBy({ id: In(statusIds) })
        : []
      ).map((s) => [s.id, s]),
    );
    const progress: OutageProgress = {
      id: campaignId,
      code: campaign.code,
      name: campaign.name,
      state: outage.closedAt ? 'closed' : 'open',
      closedAt: outage.closedAt?.toISOString() ?? null,
      ...(Object.fromEntries(SUMMARY_KEYS.map((k) => [k, 0])) as Record<
        (typeof SUMMARY_KEYS)[number],
        number
      >),
      byStatus: [],
    };
    const byStatus = new Map<number, StatusCount>();
    for (const row of rows) {
      const n = Number(row.n);
      progress.total += n;
      const status = row.statusId === null ? undefined : statuses.get(Number(row.statusId));
      if (status) {
        const count = byStatus.get(status.id) ?? {
          statusId: status.id,
          code: status.code,
          label: status.label,
          labelEn: status.labelEn,
          type: status.type,
          color: status.color,
          contacts: 0,
        };
        count.contacts += n;
        byStatus.set(status.id, count);
      }
      if (row.state === 'in_progress') progress.inCall += n;
      else if (status?.id === outage.emailedStatusId) progress.emailedInstead += n;
      else if (status?.type === 'R') progress.callbacksRequested += n;
      else if (status?.type === 'N' && status.retryAfterMinutes !== null) {
        progress.notReached += n;
        if (row.state === 'retry') progress.retrying += n;
      } else if (status) progress.notified += n;
      else if (row.state === 'new') progress.left += n;
      else progress.unreachable += n;
    }
    progress.byStatus = [...byStatus.values()].sort((a, b) => b.contacts - a.contacts);
    return progress;
  }

  /** Pauses the campaign and freezes the report; closing a closed outage changes nothing. */
  async close(campaignId: number): Promise<OutageProgress> {
    await this.dataSource.transaction(async (em) => {
      // The outage row's lock serialises two coordinators closing at once.
      const outage = await em.findOne(Outage, { where: { campaignId }, ...forUpdate(em) });
      if (!outage) throw new NotFoundError('outage campaign', campaignId);
      if (outage.closedAt !== null) return;
      await em.update(Outage, { id: outage.id }, { closedAt: this.clock.now() });
      await em.update(Campaign, { id: campaignId }, { state: 'paused' });
    });
    return this.progress(campaignId);
  }

  /** The final report, once the outage is closed (409 before: the numbers still move). */
  async report(campaignId: number): Promise<OutageReport> {
    const outage = await this.outage(campaignId);
    if (outage.closedAt === null) {
      throw new ConflictError(
        `id: outage campaign ${campaignId} is still open; close it to get the final report`,
        'id',
      );
    }
    const progress = await this.progress(campaignId);
    const calls = await this.dataSource
      .getRepository(Interaction)
      .createQueryBuilder('i')
      .select('i.statusId', 'statusId')
      .addSelect('COUNT(*)', 'n')
      .where('i.campaignId = :campaignId', { campaignId })
      .groupBy('i.statusId')
      .getRawMany<{ statusId: number | string; n: number | string }>();
    const callsBy = new Map(calls.map((c) => [Number(c.statusId), Number(c.n)]));
    const missing = [...callsBy.keys()].filter(
      (id) => !progress.byStatus.some((s) => s.statusId === id),
    );
    for (const status of missing.length
      ? await this.dataSource.getRepository(OutcomeStatus).findBy({ id: In(missing) })
      : []) {
      progress.byStatus.push({
        statusId: status.id,
        code: status.code,
        label: status.label,
        labelEn: status.labelEn,
        type: status.type,
        color: status.color,
        contacts: 0,
      });
    }
    for (const s of progress.byStatus) s.calls = callsBy.get(s.statusId) ?? 0;
    const mails = await this.dataSource
      .getRepository(FollowUpEmail)
      .createQueryBuilder('m')
      .select('m.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('m.campaignId = :campaignId AND m.statusId = :statusId', {
        campaignId,
        statusId: outage.emailedStatusId,
      })
      .groupBy('m.state')
      .getRawMany<{ state: string; n: number | string }>();
    const emails = { queued: 0, sent: 0, failed: 0 };
    for (const { state, n } of mails) {
      if (state === 'sent' || state === 'failed') emails[state] += Number(n);
      else emails.queued += Number(n);
    }
    return {
      ...progress,
      message: {
        whatHappened: outage.whatHappened,
        expectedRestore: outage.expectedRestore,
        whatToDo: outage.whatToDo,
      },
      createdAt: outage.createdAt.toISOString(),
      emails,
    };
  }

  /** The report as a CSV table: the summary numbers, then one row per outcome status. */
  reportTable(report: OutageReport): ExportTable {
    const row = (
      kind: string,
      key: string,
      label: string,
      type: string,
      contacts: number,
      calls: number | null,
    ) => [kind, key, label, type, contacts, calls];
    return {
      name: `outage_${report.code}`,
      zone: 'UTC', // counts only, no moments
      columns: [
        { key: 'kind', kind: 'text' },
        { key: 'key', kind: 'text' },
        { key: 'label', kind: 'text' },
        { key: 'type', kind: 'text' },
        { key: 'contacts', kind: 'integer' },
        { key: 'calls', kind: 'integer' },
      ],
      batches: [
        [
          ...SUMMARY_KEYS.map((key) => row('summary', key, '', '', report[key], null)),
          ...(['queued', 'sent', 'failed'] as const).map((key) =>
            row('email', key, '', '', report.emails[key], null),
          ),
          ...report.byStatus.map((s) =>
            row('outcome', s.code, s.label, s.type, s.contacts, s.calls ?? 0),
          ),
        ],
      ],
    };
  }

  /**
   * Applies the campaign's contact rules to its customers not called yet: each one a rule
   * keeps from being called leaves the queue, and gets the outage e-mail in the same
   * transaction (OutageNotices: a conditional UPDATE, so two imports at once send one).
   */
  async applyRules(campaignId: number): Promise<void> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneBy({ id: campaignId });
    const rules = campaign?.eligibility;
    if (!rules) return;
    const outage = await this.dataSource.getRepository(Outage).findOneBy({ campaignId });
    let after = 0;
    for (;;) {
      const batch = await retriedTransaction(
        this.dataSource,
        async (em) => {
          const contacts = await em.getRepository(Contact).find({
            where: { campaignId, state: 'new', id: MoreThan(after) },
            order: { id: 'ASC' },
            take: SWEEP_BATCH,
          });
          for (const contact of contacts) {
            const rule = contactRefusal(rules, contact);
            if (rule !== null) await this.notices.ineligibleWithin(em, contact, rule, outage);
          }
          return contacts;
        },
        { readCommitted: true },
      );
      if (batch.length < SWEEP_BATCH) return;
      after = batch[batch.length - 1]!.id;
    }
  }

  private async importList(
    campaignId: number,
    list: { source: 'numbers' | 'csv'; text: string },
    userId: number,
  ): Promise<OutageImport> {
    const csv = list.source === 'numbers' ? numbersCsv(list.text) : list.text;
    let summary: ImportSummary;
    try {
      summary = await this.imports.importContacts(campaignId, Readable.from([csv]), {
        userId,
        fileName: list.source === 'numbers' ? 'pasted numbers' : 'outage.csv',
        requiredColumns: ['phone'],
        defaults: { callReason: OUTAGE_CALL_REASON, tags: [OUTAGE_TAG] },
      });
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error;
      await this.applyRules(campaignId);
      throw list.source === 'numbers' ? pasteRefusal(error) : error;
    }
    await this.applyRules(campaignId);
    if (list.source === 'csv') return { ...summary, source: 'csv' };
    // The paste became a file with a header line: its lines are one further down.
    return {
      ...summary,
      source: 'numbers',
      errors: summary.errors.map((e) => ({ ...e, line: e.line - 1 })),
    };
  }

  private listOf(dto: OutageContactsDto): { source: 'numbers' | 'csv'; text: string } {
    const numbers = dto.numbers?.trim() ? dto.numbers : null;
    const csv = dto.csv?.trim() ? dto.csv : null;
    if (numbers !== null && csv !== null) {
      throw new ValidationError('csv', 'give either numbers or csv, not both');
    }
    if (numbers !== null) return { source: 'numbers', text: numbers };
    if (csv !== null) return { source: 'csv', text: csv };
    throw new ValidationError(
      'numbers',
      'numbers: paste the affected customers\u2019 phone numbers (one a line) or give a csv',
    );
  }

  private checkTemplate(field: string, text: string): void {
    try {
      this.renderer.check(text);
    } catch (error) {
      if (!(error instanceof ScriptSyntaxError)) throw error;
      throw new ValidationError(field, `${field} does not compile: ${error.detail}`);
    }
  }

  /** A standard outage status by code, made the first time it is needed. */
  private async standardStatus(code: string): Promise<number> {
    const repository = this.dataSource.getRepository(OutcomeStatus);
    const found = await repository.findOneBy({ code });
    if (found) return found.id;
    const standard = OUTAGE_STATUSES.find((s) => s.code === code)!;
    try {
      await repository.insert({ ...standard, doNotCall: false, allowPriceOverride: false });
    } catch (error) {
      // Two coordinators creating the first outage at once: the unique code lets one in.
      if (!isUniqueViolation(error)) throw error;
    }
    return (await repository.findOneByOrFail({ code })).id;
  }

  private generatedCode(): string {
    const stamp = this.clock
      .now()
      .toISOString()
      .slice(0, 16)
      .replace(/[-:]/g, '')
      .replace('T', '-');
    return `OUT-${stamp}-${randomBytes(2).toString('hex').toUpperCase()}`;
  }

  private async outage(campaignId: number): Promise<Outage> {
    const outage = await this.dataSource.getRepository(Outage).findOneBy({ campaignId });
    if (!outage) throw new NotFoundError('outage campaign', campaignId);
    return outage;
  }
}

function rulesOf(dto: OutageInputDto['eligibility']): EligibilityRules {
  return dto ? eligibilityRules(dto) : { ...OUTAGE_ELIGIBILITY };
}

/**
 * A refusal of the paste said in its own terms: the field is `numbers` and its lines are
 * the paste's, one less than the file's (whose line 1 is the header added here).
 */
function pasteRefusal<S extends object>(error: ImportRefusedError<S>): ImportRefusedError {
  const pasteLines = (text: string) =>
    text.replace(/\b(lines?) (\d+)(?:-(\d+))?/g, (_all, word: string, a: string, b?: string) =>
      b === undefined ? `${word} ${Number(a) - 1}` : `${word} ${Number(a) - 1}-${Number(b) - 1}`,
    );
  const body = error.message.replace(/^(file|header|encoding): /, '');
  const summary = error.summary as ImportSummary;
  const pasted: ImportSummary = {
    ...summary,
    errors: summary.errors.map((e) => ({ ...e, line: e.line - 1 })),
    failure: summary.failure
      ? {
          ...summary.failure,
          field: 'numbers',
          line: summary.failure.line - 1,
          message: pasteLines(summary.failure.message),
        }
      : null,
  };
  return new ImportRefusedError('numbers', `numbers: ${pasteLines(body)}`, pasted);
}

/** Pasted numbers as a one-column CSV, line for line (blank lines stay, and are skipped). */
function numbersCsv(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return ['phone', ...lines.map((line) => `"${line.trim().replace(/"/g, '""')}"`)].join('\n');
}
