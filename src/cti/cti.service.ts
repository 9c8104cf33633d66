import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, MoreThan, MoreThanOrEqual, Not } from 'typeorm';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { forUpdate } from '../common/database/row-lock';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { Contact } from '../contacts/contact.entity';
import { ContactsService } from '../contacts/contacts.service';
import type { ContactView } from '../contacts/dto/contact.view';
import { PhoneNumbers } from '../common/phone/phone-number';
import { User } from '../users/user.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { LeasesService } from '../work/leases.service';
import { WrapUpService } from '../work/wrap-up.service';
import { CtiEvent, type CtiEventType } from './cti-event.entity';
import type { CtiContactDto, CtiEventDto } from './dto/cti-event.dto';

/** Events that pop the caller on the operator's page (call.ended only starts the wrap-up). */
export const POPPING: readonly CtiEventType[] = ['call.ringing', 'call.answered'];
/** What the operator's page is told: the pops, and the ends that started a wrap-up. */
const STREAMED: readonly CtiEventType[] = [...POPPING, 'call.ended'];

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
  /** A call.ended that started the wrap-up of the leased contact: its countdown, if still on. */
  wrapUp: { contactId: number; secondsLeft: number } | null;
}

/**
 * Telephony integration (CTI): the PBX says a call rings, is answered or ended on an
 * operator's extension. Events are stored and streamed from the database (CtiHub), so the
 * instance the PBX talks to need not be the one the operator's page is connected to.
 */
@Injectable()
export class CtiService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly phones: PhoneNumbers,
    private readonly leases: LeasesService,
    private readonly wrapUps: WrapUpService,
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
    const id = await this.dataSource.transaction(async (em) => {
      // The wrap-up starts when the call of the contact on the operator's screen ends; the
      // deadline is on the lease before the event is (the stream reads it with the event).
      if (dto.type === 'call.ended' && contact && lease?.contactId === contact.id) {
        const locked = await em
          .getRepository(ContactLease)
          .findOne({ where: { contactId: contact.id }, ...forUpdate(em) });
        if (locked?.userId === operator.id) await this.wrapUps.startWithin(em, locked, now);
      }
      const inserted = await em.getRepository(CtiEvent).insert({
        operatorId: operator.id,
        type: dto.type,
        callId: dto.callId,
        phone,
        contactId: contact?.id ?? null,
        campaignId: contact?.campaignId ?? null,
        createdAt: now,
      });
      return Number(inserted.identifiers[0]!.id);
    });
    return { id, operatorId: operator.id, contactId: contact?.id ?? null };
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
        type: In([...STREAMED]),
        ...(only ? { operatorId: only.operatorId, createdAt: MoreThanOrEqual(only.since) } : {}),
      },
      relations: { contact: true, campaign: true },
      order: { id: 'ASC' },
      take: 200,
    });
    const scheme = this.config.get('PHONE_LINK_SCHEME');
    const wrapUps = await this.wrapUpsOf(events.filter((e) => e.type === 'call.ended'));
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
      wrapUp: wrapUps.get(event.id) ?? null,
    }));
  }

  /** The countdowns the ended calls started: those whose lease still waits for its deadline. */
  private async wrapUpsOf(
    ended: CtiEvent[],
  ): Promise<Map<number, { contactId: number; secondsLeft: number }>> {
    const found = new Map<number, { contactId: number; secondsLeft: number }>();
    const contactIds = ended.flatMap((e) => (e.contactId === null ? [] : [e.contactId]));
    if (contactIds.length === 0) return found;
    const leases = await this.dataSource
      .getRepository(ContactLease)
      .findBy({ contactId: In(contactIds), wrapUpAt: Not(IsNull()) });
    const now = this.clock.now().getTime();
    for (const event of ended) {
      const lease = leases.find(
        (l) => l.contactId === event.contactId && l.userId === event.operatorId,
      );
      if (!lease?.wrapUpAt || lease.startedAt > event.createdAt) continue;
      const secondsLeft = Math.max(0, Math.ceil((lease.wrapUpAt.getTime() - now) / 1000));
      found.set(event.id, { contactId: lease.contactId, secondsLeft });
    }
    return found;
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
