import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, MoreThan, MoreThanOrEqual } from 'typeorm';
import { CallbackOfferSettings } from '../callback-requests/callback-offer-settings.entity';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { Contact } from '../contacts/contact.entity';
import { ContactsService } from '../contacts/contacts.service';
import type { ContactView } from '../contacts/dto/contact.view';
import { PhoneNumbers } from '../common/phone/phone-number';
import { User } from '../users/user.entity';
import { LeasesService } from '../work/leases.service';
import { OutcomeService } from '../work/outcome.service';
import { CtiEvent, type CtiEventType } from './cti-event.entity';
import type { CtiContactDto, CtiEventDto } from './dto/cti-event.dto';

/** Events that pop the caller on the operator's page (call.ended only starts the wrap-up). */
export const POPPING: readonly CtiEventType[] = ['call.ringing', 'call.answered'];
/** Wrap-ups one job run applies at most. */
const WRAP_UP_BATCH = 100;

/** What the operator's page shows when their phone rings: the caller's card, or a new-contact form. */
export interface ScreenPop {
  id: number;
  operatorId: number;
  type: CtiEventType;
  callId: string;
  phone: string;
  /** `tel:` or `sip:` (PHONE_LINK_SCHEME). */
  phoneLink: string;
  contact: {
    id: number;
    name: string;
    campaignId: number;
    campaignName: string;
    state: string;
    url: string;
  } | null;
}

/**
 * Telephony integration (CTI): the PBX says a call rings, is answered or ended on an
 * operator's extension. Events are stored and streamed from the database (CtiHub), so the
 * instance the PBX talks to need not be the one the operator's page is connected to.
 */
@Injectable()
export class CtiService {
  private readonly logger = new Logger(CtiService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly phones: PhoneNumbers,
    private readonly leases: LeasesService,
    private readonly outcomes: OutcomeService,
    private readonly contacts: ContactsService,
    private readonly config: AppConfigService,
  ) {}

  /** `POST /cti/events`: 404 for an extension or operator nobody has, 400 naming a bad field. */
  async record(
    dto: CtiEventDto,
  ): Promise<{ id: number; operatorId: number; contactId: number | null }> {
    const operator = await this.operator(dto);
    const phone = this.phones.normalise(dto.phone);
    if (!phone)
      throw new ValidationError('phone', `phone: "${dto.phone}" is not a valid phone number`);
    const now = this.clock.now();
    const lease = await this.leases.current(operator.id);
    const contact = await this.match(operator.id, phone, lease?.contactId ?? null);
    let wrapUpAt: Date | null = null;
    // The wrap-up starts when the call of the contact on the operator's screen ends.
    if (dto.type === 'call.ended' && contact && lease?.contactId === contact.id) {
      const settings = await this.dataSource
        .getRepository(CallbackOfferSettings)
        .findOneBy({ campaignId: contact.campaignId });
      if (settings?.wrapUpSeconds && settings.wrapUpStatusId) {
        wrapUpAt = new Date(now.getTime() + settings.wrapUpSeconds * 1000);
      }
    }
    const inserted = await this.dataSource.getRepository(CtiEvent).insert({
      operatorId: operator.id,
      type: dto.type,
      callId: dto.callId,
      phone,
      contactId: contact?.id ?? null,
      campaignId: contact?.campaignId ?? null,
      wrapUpAt,
      wrapUpState: wrapUpAt ? 'pending' : null,
      createdAt: now,
    });
    return {
      id: Number(inserted.identifiers[0]!.id),
      operatorId: operator.id,
      contactId: contact?.id ?? null,
    };
  }

  /**
   * The popping events after `afterId`, as the pages show them: the hub's one query per tick,
   * or `only` one operator's since a time (what a page that reconnected missed).
   */
  async popsAfter(
    afterId: number,
    only?: { operatorId: number; since: Date },
  ): Promise<ScreenPop[]> {
    const events = await this.dataSource.getRepository(CtiEvent).find({
      where: {
        id: MoreThan(afterId),
        type: In([...POPPING]),
        ...(only ? { operatorId: only.operatorId, createdAt: MoreThanOrEqual(only.since) } : {}),
      },
      relations: { contact: true, campaign: true },
      order: { id: 'ASC' },
      take: 200,
    });
    const scheme = this.config.get('PHONE_LINK_SCHEME');
    return events.map((event) => ({
      id: event.id,
      operatorId: event.operatorId,
      type: event.type,
      callId: event.callId,
      phone: event.phone,
      phoneLink: `${scheme}:${event.phone}`,
      contact:
        event.contact && event.campaign
          ? {
              id: event.contact.id,
              name: `${event.contact.firstName} ${event.contact.lastName}`.trim(),
              campaignId: event.campaign.id,
              campaignName: event.campaign.name,
              state: event.contact.state,
              url: `/contacts/${event.contact.id}`,
            }
          : null,
    }));
  }

  async lastEventId(): Promise<number> {
    const last = await this.dataSource
      .getRepository(CtiEvent)
      .find({ select: { id: true }, order: { id: 'DESC' }, take: 1 });
    return last[0]?.id ?? 0;
  }

  /** `POST /cti/contacts`: the caller of an unknown number saved in one of the operator's campaigns. */
  async createContact(operatorId: number, dto: CtiContactDto): Promise<ContactView> {
    const assigned = await this.dataSource
      .getRepository(CampaignOperator)
      .existsBy({ campaignId: dto.campaignId, userId: operatorId });
    if (!assigned) {
      throw new ForbiddenError(`campaignId: you are not assigned to campaign ${dto.campaignId}`);
    }
    return this.contacts.create(dto.campaignId, dto);
  }

  /**
   * Calls ended whose wrap-up time has passed while the operator still has that contact
   * open: the campaign's wrap-up status is confirmed for them. Each event is claimed by a
   * guarded UPDATE (pending → skipped), so one instance alone applies it. Returns how many.
   */
  async applyWrapUps(): Promise<number> {
    const now = this.clock.now();
    const due = await this.dataSource.getRepository(CtiEvent).find({
      where: { wrapUpState: 'pending', wrapUpAt: LessThanOrEqual(now) },
      order: { wrapUpAt: 'ASC', id: 'ASC' },
      take: WRAP_UP_BATCH,
    });
    let applied = 0;
    for (const event of due) {
      const claimed = await this.dataSource
        .getRepository(CtiEvent)
        .update({ id: event.id, wrapUpState: 'pending' }, { wrapUpState: 'skipped' });
      if (!claimed.affected || event.contactId === null) continue;
      const lease = await this.leases.current(event.operatorId);
      // Confirmed (or put back) by the operator meanwhile: nothing to do.
      if (!lease || lease.contactId !== event.contactId || lease.startedAt > event.createdAt)
        continue;
      const settings = await this.dataSource
        .getRepository(CallbackOfferSettings)
        .findOneBy({ campaignId: lease.campaignId });
      if (!settings?.wrapUpStatusId) continue;
      try {
        await this.outcomes.confirm(event.operatorId, event.contactId, {
          statusId: settings.wrapUpStatusId,
          notes: `Esito automatico dopo ${settings.wrapUpSeconds ?? 0} s di post-chiamata`,
        });
        await this.dataSource
          .getRepository(CtiEvent)
          .update({ id: event.id }, { wrapUpState: 'applied' });
        applied++;
      } catch (error) {
        this.logger.warn({ err: error, eventId: event.id }, 'wrap-up status not applied');
        await this.dataSource
          .getRepository(CtiEvent)
          .update({ id: event.id }, { wrapUpState: 'failed' });
      }
    }
    return applied;
  }

  private async operator(dto: CtiEventDto): Promise<User> {
    const users = this.dataSource.getRepository(User);
    if (dto.extension !== undefined) {
      const found = await users.findOneBy({ extension: dto.extension });
      if (!found || found.role !== 'operator' || !found.active) {
        throw new NotFoundError('extension: no active operator has extension', dto.extension);
      }
      if (dto.operatorId !== undefined && dto.operatorId !== found.id) {
        throw new ValidationError(
          'operatorId',
          `operatorId: extension ${dto.extension} is not operator ${dto.operatorId}'s`,
        );
      }
      return found;
    }
    if (dto.operatorId === undefined) {
      throw new ValidationError('extension', 'extension or operatorId is required');
    }
    const found = await users.findOneBy({ id: dto.operatorId });
    if (!found || found.role !== 'operator' || !found.active) {
      throw new NotFoundError('operatorId: operator', dto.operatorId);
    }
    return found;
  }

  /** The caller's contact: the one on the operator's screen, else the latest in their campaigns. */
  private async match(
    operatorId: number,
    phone: string,
    leasedId: number | null,
  ): Promise<Contact | null> {
    const contacts = this.dataSource.getRepository(Contact);
    if (leasedId !== null) {
      const leased = await contacts.findOneBy({ id: leasedId, phone });
      if (leased) return leased;
    }
    return contacts
      .createQueryBuilder('c')
      .innerJoin(
        CampaignOperator,
        'co',
        'co.campaignId = c.campaignId AND co.userId = :operatorId',
        {
          operatorId,
        },
      )
      .innerJoin(Campaign, 'cp', 'cp.id = c.campaignId')
      .where('c.phone = :phone', { phone })
      .orderBy('c.updatedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getOne();
  }
}
