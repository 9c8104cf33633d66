import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CampaignConfigCache } from '../campaigns/campaign-config';
import { Brackets, In, Repository, SelectQueryBuilder } from 'typeorm';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { Campaign } from '../campaigns/campaign.entity';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { ContactList } from './contact-list.entity';
import { Contact, type LabelledPhone } from './contact.entity';
import { STANDARD_COLUMNS, TAG_PATTERN, TAG_RULE } from './contact-rules';
import { quoted } from '../common/csv/field-problem';
import type { ExportColumn, Row } from '../common/csv/export-cell';
import type { ExportTable } from '../common/csv/export-table';
import { datedName } from '../common/http/export-file-name';
import { ContactPage, ContactPageQuery, decodeCursor, encodeCursor } from './dto/contact-page';
import {
  ContactSearchRow,
  ContactView,
  ContactWithCampaign,
  toContactView,
} from './dto/contact.view';
import { CreateContactDto, type LabelledPhoneDto } from './dto/create-contact.dto';
import { PhoneNumbers } from '../common/phone/phone-number';
import { escapeLike, LIKE_ESCAPE } from '../common/database/sql-dialect';

export const PAGE_SIZE = 50;
export const SEARCH_LIMIT = 50;
export const OPERATOR_SEARCH_LIMIT = 20;

/** A row of an operator's search: enough to pick the caller, nothing of their history. */
export interface OperatorSearchRow {
  id: number;
  name: string;
  phone: string;
  campaignId: number;
  state: Contact['state'];
}
const EXPORT_BATCH = 2000;
/** Custom field columns an export can carry (a campaign's lists rarely have more than a few). */
const EXPORT_MAX_CUSTOM_COLUMNS = 200;

export interface CampaignHeading {
  id: number;
  code: string;
  name: string;
}

@Injectable()
export class ContactsService {
  constructor(
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectRepository(CampaignOperator)
    private readonly campaignOperators: Repository<CampaignOperator>,
    @InjectRepository(OutcomeStatus) private readonly statuses: Repository<OutcomeStatus>,
    private readonly doNotCall: DoNotCallService,
    private readonly phones: PhoneNumbers,
    private readonly configs: CampaignConfigCache,
  ) {}

  async campaign(id: number): Promise<CampaignHeading> {
    const campaign = await this.campaigns.findOne({
      where: { id },
      select: { id: true, code: true, name: true },
    });
    if (!campaign) throw new NotFoundError('campaign', id);
    return { id: campaign.id, code: campaign.code, name: campaign.name };
  }

  async create(campaignId: number, dto: CreateContactDto): Promise<ContactView> {
    await this.campaign(campaignId);
    const phone = this.phones.normalise(dto.phone);
    if (!phone) {
      throw new ValidationError('phone', `${quoted(dto.phone)} is not a valid phone number`).say(
        'contacts.errors.invalidPhone',
        { value: dto.phone.slice(0, 40) },
      );
    }
    if ((await this.doNotCall.isBlocked([phone], campaignId)).size > 0) {
      throw new ConflictError(`phone ${phone} is on the do-not-call list`, 'phone').say(
        'contacts.errors.doNotCall',
        { phone },
      );
    }
    const otherPhones = this.otherPhones(dto.phones ?? [], phone);
    if (
      dto.listId !== undefined &&
      !(await this.contacts.manager
        .getRepository(ContactList)
        .existsBy({ id: dto.listId, campaignId }))
    ) {
      throw new ValidationError('listId', `listId ${dto.listId} is not a list of this campaign`);
    }
    const fields = dto.fields && Object.keys(dto.fields).length > 0 ? trimmed(dto.fields) : null;
    try {
      // The unique index on (campaign_id, phone) decides between two people adding one number.
      const saved = await this.contacts.save(
        this.contacts.create({
          campaignId,
          listId: dto.listId ?? null,
          firstName: dto.firstName,
          lastName: dto.lastName,
          phone,
          email: dto.email || null,
          language: dto.language || null,
          city: dto.city || null,
          province: dto.province || null,
          otherPhones,
          fields,
          callReason: dto.callReason || null,
          preferredChannel: dto.preferredChannel ?? null,
          consent: dto.consent ?? null,
          tags: dto.tags ?? [],
          state: 'new',
          attempts: 0,
          lastStatusId: null,
          lastOutcomeAt: null,
        }),
      );
      return toContactView(saved);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`phone ${phone} is already in this campaign`, 'phone').say(
          'contacts.errors.duplicatePhone',
          { phone },
        );
      }
      throw error;
    }
  }

  /**
   * The other numbers given with a contact, in E.164 with their labels: one equal to the
   * main number or to one before it is the same number, kept once; 400 naming a bad one.
   */
  private otherPhones(given: LabelledPhoneDto[], main: string): LabelledPhone[] | null {
    const kept: LabelledPhone[] = [];
    given.forEach((other, index) => {
      const number = this.phones.normalise(other.number);
      if (!number) {
        throw new ValidationError(
          `phones.${index}.number`,
          `phones.${index}.number ${quoted(other.number)} is not a valid phone number`,
        );
      }
      if (number === main || kept.some((phone) => phone.number === number)) return;
      kept.push({ number, label: other.label ?? '' });
    });
    return kept.length > 0 ? kept : null;
  }

  /**
   * A contact with its campaign, for a user who may open it: admins and coordinators any;
   * an operator only the contacts of campaigns they are assigned to; other roles none.
   */
  async open(id: number, user: AuthenticatedUser): Promise<ContactWithCampaign> {
    const contact = await this.contacts.findOneBy({ id });
    if (!contact) throw new NotFoundError('contact', id);
    if (user.role === 'operator') {
      const assigned = await this.campaignOperators.existsBy({
        campaignId: contact.campaignId,
        userId: user.id,
      });
      if (!assigned) throw new ForbiddenError(`contact ${id} is not in one of your campaigns`);
    } else if (user.role !== 'admin' && user.role !== 'coordinator') {
      throw new ForbiddenError(`role "${user.role}" may not open contacts`);
    }
    return this.withCampaign(contact);
  }

  /**
   * The contact an operator holds the lease on: the lease is the authorisation, so an
   * operator taken off the campaign mid-call still sees the card to finish or stop it.
   */
  async openLeased(id: number): Promise<ContactWithCampaign> {
    const contact = await this.contacts.findOneBy({ id });
    if (!contact) throw new NotFoundError('contact', id);
    return this.withCampaign(contact);
  }

  private async withCampaign(contact: Contact): Promise<ContactWithCampaign> {
    const [config, statuses] = await Promise.all([
      this.configs.campaign(contact.campaignId),
      this.statusesById([contact.lastStatusId]),
    ]);
    if (!config) throw new NotFoundError('campaign', contact.campaignId);
    const { id, code, name } = config.campaign;
    return {
      ...toContactView(contact, statuses.get(contact.lastStatusId ?? 0) ?? null),
      campaign: { id, code, name },
    };
  }

  /**
   * A page of a campaign's contacts in last-name order, optionally filtered by name or
   * phone. Keyset paging on (last_name, id) walks the (campaign_id, last_name) index, so
   * page 20,000 costs what page 1 does.
   */
  async page(campaignId: number, query: ContactPageQuery): Promise<ContactPage> {
    await this.campaign(campaignId);
    const after = decodeCursor(query.after, 'after');
    const before = decodeCursor(query.before, 'before');
    const builder = this.contacts
      .createQueryBuilder('c')
      .where('c.campaignId = :campaignId', { campaignId });
    this.applySearch(builder, query.q);
    if (query.tag !== undefined && query.tag.trim() !== '') {
      const tag = query.tag.trim().toLowerCase();
      if (!TAG_PATTERN.test(tag)) throw new ValidationError('tag', `tag ${TAG_RULE}`);
      builder.andWhere(`c.tags LIKE :tag ${LIKE_ESCAPE}`, { tag: `%,${escapeLike(tag)},%` });
    }
    const backwards = before !== null;
    const cursor = before ?? after;
    if (cursor) {
      const op = backwards ? '<' : '>';
      builder.andWhere(
        new Brackets((w) =>
          w
            .where(`c.lastName ${op} :cursorName`)
            .orWhere(`(c.lastName = :cursorName AND c.id ${op} :cursorId)`),
        ),
        { cursorName: cursor.lastName, cursorId: cursor.id },
      );
    }
    const direction = backwards ? 'DESC' : 'ASC';
    const rows = await builder
      .orderBy('c.lastName', direction)
      .addOrderBy('c.id', direction)
      .limit(PAGE_SIZE + 1)
      .getMany();
    const more = rows.length > PAGE_SIZE;
    const pageRows = rows.slice(0, PAGE_SIZE);
    if (backwards) pageRows.reverse();
    const first = pageRows[0];
    const last = pageRows[pageRows.length - 1];
    const statuses = await this.statusesById(pageRows.map((c) => c.lastStatusId));
    return {
      contacts: pageRows.map((c) => toContactView(c, statuses.get(c.lastStatusId ?? 0) ?? null)),
      next: last && (backwards || more) ? encodeCursor(last) : null,
      previous: first && (backwards ? more : cursor !== null) ? encodeCursor(first) : null,
    };
  }

  countInCampaign(campaignId: number): Promise<number> {
    return this.contacts.countBy({ campaignId });
  }

  /**
   * An operator's search for a caller or a customer to call: contacts of the campaigns they
   * are assigned to matching a name or a phone, at most 20, with nothing but what the
   * workstation needs to pick one (no notes, no history).
   */
  async searchForOperator(userId: number, q: string): Promise<OperatorSearchRow[]> {
    const links = await this.campaignOperators.find({
      where: { userId },
      select: { campaignId: true },
    });
    if (links.length === 0) return [];
    const builder = this.contacts
      .createQueryBuilder('c')
      .where('c.campaignId IN (:...campaignIds)', {
        campaignIds: links.map((l) => l.campaignId),
      });
    this.applySearch(builder, q);
    const rows = await builder
      .orderBy('c.lastName', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(OPERATOR_SEARCH_LIMIT)
      .getMany();
    return rows.map((c) => ({
      id: c.id,
      name: `${c.firstName} ${c.lastName}`.trim(),
      phone: c.phone,
      campaignId: c.campaignId,
      state: c.state,
    }));
  }

  /** Contacts of every campaign matching a name or a phone (at most 50, by last name). */
  async search(q: string): Promise<ContactSearchRow[]> {
    const text = q.trim();
    if (text === '') return [];
    const builder = this.contacts.createQueryBuilder('c');
    this.applySearch(builder, text);
    const rows = await builder
      .orderBy('c.lastName', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(SEARCH_LIMIT)
      .getMany();
    const campaignIds = [...new Set(rows.map((c) => c.campaignId))];
    const [campaigns, statuses] = await Promise.all([
      campaignIds.length
        ? this.campaigns.find({
            where: { id: In(campaignIds) },
            select: { id: true, code: true, name: true },
          })
        : Promise.resolve([]),
      this.statusesById(rows.map((c) => c.lastStatusId)),
    ]);
    const byId = new Map(campaigns.map((c) => [c.id, { id: c.id, code: c.code, name: c.name }]));
    return rows.map((c) => ({
      ...toContactView(c, statuses.get(c.lastStatusId ?? 0) ?? null),
      campaign: byId.get(c.campaignId) ?? null,
    }));
  }

  /**
   * The campaign's contacts as a table (CSV or XLSX), read in keyset batches so that a
   * million contacts stream out in flat memory. The columns are the import's, so an export
   * can be imported again, then the contact's state and last outcome.
   */
  async exportTable(campaignId: number): Promise<ExportTable> {
    const campaign = await this.campaigns.findOne({
      where: { id: campaignId },
      select: { id: true, code: true, timezone: true },
    });
    if (!campaign) throw new NotFoundError('campaign', campaignId);
    const customKeys = await this.customFieldKeys(campaignId);
    const contacts = this.contacts;
    const statusesById = (ids: Array<number | null>) => this.statusesById(ids);
    async function* batches(): AsyncGenerator<Row[]> {
      let cursor: { lastName: string; id: number } | null = null;
      for (;;) {
        const batch = await keysetBatch(contacts, campaignId, cursor);
        if (batch.length === 0) return;
        const statuses = await statusesById(batch.map((c) => c.lastStatusId));
        yield batch.map((c) => {
          const status = statuses.get(c.lastStatusId ?? 0);
          return [
            c.firstName,
            c.lastName,
            c.phone,
            c.email,
            c.language,
            c.city,
            c.province,
            c.address,
            c.postalCode,
            c.callReason,
            c.preferredChannel,
            c.consent,
            (c.tags ?? []).join(' '),
            ...customKeys.map((key) => c.fields?.[key] ?? ''),
            c.state,
            c.attempts,
            status?.code ?? '',
            status?.label ?? '',
            c.lastOutcomeAt,
          ];
        });
        const last = batch[batch.length - 1]!;
        cursor = { lastName: last.lastName, id: last.id };
      }
    }
    const text = (key: string): ExportColumn => ({ key, kind: 'text' });
    return {
      name: datedName(`contacts-${campaign.code.replace(/[^A-Za-z0-9_-]/g, '_')}`),
      zone: campaign.timezone,
      columns: [
        ...STANDARD_COLUMNS.map((key) =>
          key === 'consent' ? { key, kind: 'flag' as const } : text(key),
        ),
        ...customKeys.map((key): ExportColumn => ({ key: 'custom', kind: 'text', title: key })),
        { key: 'state', kind: 'word', words: 'contactState' },
        { key: 'attempts', kind: 'integer' },
        text('lastStatusCode'),
        text('lastStatusLabel'),
        { key: 'lastOutcomeAt', kind: 'instant' },
      ],
      batches: batches(),
    };
  }

  /** Every custom field name used in the campaign, in the order first met. */
  private async customFieldKeys(campaignId: number): Promise<string[]> {
    const keys = new Set<string>();
    let cursor: { lastName: string; id: number } | null = null;
    for (;;) {
      const batch = await keysetBatch(this.contacts, campaignId, cursor, true);
      if (batch.length === 0) break;
      for (const c of batch) {
        for (const key of Object.keys(c.fields ?? {})) {
          if (keys.size < EXPORT_MAX_CUSTOM_COLUMNS && !STANDARD_COLUMNS.includes(key as never))
            keys.add(key);
        }
      }
      const last = batch[batch.length - 1]!;
      cursor = { lastName: last.lastName, id: last.id };
    }
    return [...keys];
  }

  /** Name or phone: a phone is looked up in E.164 (exact, or its first digits). */
  private applySearch(builder: SelectQueryBuilder<Contact>, q: string | undefined): void {
    const text = q?.trim() ?? '';
    if (text === '') return;
    if (text.length > 100) throw new ValidationError('q', 'q must be at most 100 characters');
    const phone = this.phones.searchFor(text);
    if (phone) {
      if ('exact' in phone) builder.andWhere('c.phone = :phone', { phone: phone.exact });
      else
        builder.andWhere(`c.phone LIKE :phonePrefix ${LIKE_ESCAPE}`, {
          phonePrefix: `${escapeLike(phone.prefix)}%`,
        });
      return;
    }
    const words = text.split(/\s+/);
    const whole = `${escapeLike(text)}%`;
    builder.andWhere(
      new Brackets((w) => {
        w.where(`c.lastName LIKE :whole ${LIKE_ESCAPE}`, { whole }).orWhere(
          `c.firstName LIKE :whole ${LIKE_ESCAPE}`,
        );
        if (words.length > 1) {
          const head = `${escapeLike(words[0]!)}%`;
          const rest = `${escapeLike(words.slice(1).join(' '))}%`;
          w.orWhere(
            `(c.firstName LIKE :head ${LIKE_ESCAPE} AND c.lastName LIKE :rest ${LIKE_ESCAPE})`,
            { head, rest },
          ).orWhere(
            `(c.lastName LIKE :head ${LIKE_ESCAPE} AND c.firstName LIKE :rest ${LIKE_ESCAPE})`,
          );
        }
      }),
    );
  }

  /** Statuses are few and change rarely: every one comes from this instance's copy. */
  private async statusesById(
    ids: Array<number | null>,
  ): Promise<ReadonlyMap<number, Readonly<OutcomeStatus>>> {
    return ids.some((id) => id !== null) ? this.configs.statuses() : new Map();
  }
}

/** The next contacts of a campaign after `cursor` in (last_name, id) order. */
function keysetBatch(
  contacts: Repository<Contact>,
  campaignId: number,
  cursor: { lastName: string; id: number } | null,
  withFieldsOnly = false,
): Promise<Contact[]> {
  const builder = contacts.createQueryBuilder('c').where('c.campaignId = :campaignId', {
    campaignId,
  });
  if (withFieldsOnly) builder.andWhere('c.fields IS NOT NULL');
  if (cursor) {
    builder.andWhere(
      new Brackets((w) =>
        w
          .where('c.lastName > :cursorName')
          .orWhere('(c.lastName = :cursorName AND c.id > :cursorId)'),
      ),
      { cursorName: cursor.lastName, cursorId: cursor.id },
    );
  }
  return builder
    .orderBy('c.lastName', 'ASC')
    .addOrderBy('c.id', 'ASC')
    .limit(EXPORT_BATCH)
    .getMany();
}

function trimmed(fields: Record<string, string>): Record<string, string> | null {
  const kept = Object.fromEntries(
    Object.entries(fields)
      .map(([key, value]) => [key.trim(), value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
  return Object.keys(kept).length > 0 ? kept : null;
}
