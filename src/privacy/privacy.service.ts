import { Inject, Injectable } from '@nestjs/common';
import {
  Brackets,
  DataSource,
  EntityManager,
  type EntityTarget,
  In,
  type SelectQueryBuilder,
} from 'typeorm';
import { Appointment } from '../appointments/appointment.entity';
import { AuditService } from '../audit/audit.service';
import { CallbackRequest } from '../callback-requests/callback-request.entity';
import { CallbackWebSubmission } from '../callback-requests/callback-web-submission.entity';
import { Callback } from '../callbacks/callback.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { forUpdate } from '../common/database/row-lock';
import { retriedTransaction } from '../common/database/retried-transaction';
import { ValidationError } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { PhoneNumbers } from '../common/phone/phone-number';
import { Clock } from '../common/time/clock';
import { Contact } from '../contacts/contact.entity';
import { ContractLine } from '../contracts/contract-line.entity';
import { ContractStatusChange } from '../contracts/contract-status-change.entity';
import { Contract } from '../contracts/contract.entity';
import { CtiEvent } from '../cti/cti-event.entity';
import { DoNotCallNumber } from '../do-not-call/do-not-call-number.entity';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { FollowUpEmail } from '../follow-ups/follow-up-email.entity';
import { Interaction } from '../interactions/interaction.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { ContactLeases } from '../work/contact-leases';
import { ContactAnonymiser } from './contact-anonymiser';

/** Contracts are business records: kept with their customer's data this long after signing. */
export const CONTRACT_RETENTION_YEARS = 10;

/** A person as the privacy officer names them. */
export interface PrivacySubject {
  /** E.164, when given. */
  phone: string | null;
  /** Lower case, when given. */
  email: string | null;
}

export interface SubjectContactView {
  id: number;
  campaign: { id: number; code: string; name: string };
  firstName: string;
  lastName: string;
  phone: string;
  email: string | null;
  state: string;
  lastOutcomeAt: string | null;
  /** How it matched: the main number, another of its numbers, the e-mail. */
  matchedBy: Array<'phone' | 'otherPhone' | 'email'>;
}

export interface RetainedContract {
  protocolNumber: string;
  createdAt: string;
  /** Until when the law keeps it (the customer's name and number on it stay until then). */
  keptUntil: string;
}

export interface ErasureResult {
  erased: number;
  /** Contracts that keep their customer's data under a legal retention period. */
  retainedContracts: RetainedContract[];
  /** Numbers put on the do-not-call list (none when told not to). */
  doNotCall: number;
}

/**
 * The data protection officer's tools (GDPR art. 15 and 17): find a person across
 * campaigns by phone or e-mail, hand them everything held about them, and erase it in
 * one transaction. Outcomes, counters and contracts' amounts stay for the reports;
 * contracts keep their customer's data for the legal retention period and say so.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PhoneNumbers) private readonly phones: PhoneNumbers,
    private readonly clock: Clock,
    private readonly anonymiser: ContactAnonymiser,
    private readonly leases: ContactLeases,
    private readonly doNotCall: DoNotCallService,
    private readonly audit: AuditService,
  ) {}

  /** The phone normalised and the e-mail lowered; 400 naming the field when neither is usable. */
  subject(input: { phone?: string; email?: string }): PrivacySubject {
    const rawPhone = input.phone?.trim() || undefined;
    const rawEmail = input.email?.trim() || undefined;
    if (!rawPhone && !rawEmail) {
      throw new ValidationError('phone', 'phone: give a phone number or an e-mail address');
    }
    let phone: string | null = null;
    if (rawPhone) {
      phone = this.phones.normalise(rawPhone);
      if (!phone) {
        throw new ValidationError('phone', `phone: "${rawPhone}" is not a valid phone number`);
      }
    }
    if (rawEmail && !/^[^\s@]+@[^\s@]+$/.test(rawEmail)) {
      throw new ValidationError('email', `email: "${rawEmail}" is not an e-mail address`);
    }
    return { phone, email: rawEmail?.toLowerCase() ?? null };
  }

  /** Every contact the person is, in any campaign, oldest first. */
  async contacts(subject: PrivacySubject): Promise<SubjectContactView[]> {
    const em = this.dataSource.manager;
    const rows = await matching(em.getRepository(Contact).createQueryBuilder('c'), subject)
      .orderBy('c.id', 'ASC')
      .getMany();
    const campaigns = await campaignsById(
      em,
      rows.map((c) => c.campaignId),
    );
    return rows.map((c) => ({
      id: c.id,
      campaign: campaigns.get(c.campaignId)!,
      firstName: c.firstName,
      lastName: c.lastName,
      phone: c.phone,
      email: c.email,
      state: c.state,
      lastOutcomeAt: c.lastOutcomeAt?.toISOString() ?? null,
      matchedBy: matchedBy(c, subject),
    }));
  }

  /**
   * Everything held about the person (subject access): each contact with its calls,
   * answers, callbacks, contracts, appointments, e-mails and the draft of a call in
   * progress, and what the number left elsewhere (inbound requests, telephony events,
   * the do-not-call list). Recorded in the audit trail (without the person's data).
   */
  async export(subject: PrivacySubject, user: AuthenticatedUser): Promise<object> {
    const em = this.dataSource.manager;
    const contacts = await matching(em.getRepository(Contact).createQueryBuilder('c'), subject)
      .orderBy('c.id', 'ASC')
      .getMany();
    const ids = contacts.map((c) => c.id);
    const byContact = <T extends { contactId: number | null }>(rows: T[], id: number) =>
      rows.filter((r) => r.contactId === id);
    const none = Promise.resolve([]);
    const [campaigns, interactions, callbacks, contracts, appointments, emails, leases] =
      await Promise.all([
        campaignsById(
          em,
          contacts.map((c) => c.campaignId),
        ),
        ids.length ? em.getRepository(Interaction).findBy({ contactId: In(ids) }) : none,
        ids.length ? em.getRepository(Callback).findBy({ contactId: In(ids) }) : none,
        ids.length ? em.getRepository(Contract).findBy({ contactId: In(ids) }) : none,
        ids.length ? em.getRepository(Appointment).findBy({ contactId: In(ids) }) : none,
        this.emailsOf(em, ids, subject.email).getMany(),
        ids.length ? em.getRepository(ContactLease).findBy({ contactId: In(ids) }) : none,
      ]);
    const contractIds = contracts.map((k) => k.id);
    const [lines, changes, requests, submissions, ctiEvents, doNotCall] = await Promise.all([
      contractIds.length
        ? em.getRepository(ContractLine).findBy({ contractId: In(contractIds) })
        : none,
      contractIds.length
        ? em.getRepository(ContractStatusChange).findBy({ contractId: In(contractIds) })
        : none,
      this.requestsOf(em, ids, subject.phone).getMany(),
      subject.phone
        ? em.getRepository(CallbackWebSubmission).findBy({ phone: subject.phone })
        : none,
      this.ctiEventsOf(em, ids, subject.phone).getMany(),
      subject.phone ? em.getRepository(DoNotCallNumber).findOneBy({ phone: subject.phone }) : null,
    ]);
    await this.audit.record(em, {
      userId: user.id,
      action: 'privacy.exported',
      entity: 'contact',
      entityId: null,
      detail: JSON.stringify({ contacts: ids }),
    });
    return {
      subject,
      generatedAt: this.clock.now().toISOString(),
      contacts: contacts.map((c) => ({
        ...c,
        campaign: campaigns.get(c.campaignId),
        interactions: byContact(interactions, c.id),
        callbacks: byContact(callbacks, c.id),
        contracts: byContact(contracts, c.id).map((k) => ({
          ...k,
          lines: lines.filter((l) => l.contractId === k.id),
          statusChanges: changes.filter((s) => s.contractId === k.id),
          keptUntil: keptUntil(k.createdAt).toISOString(),
        })),
        appointments: byContact(appointments, c.id),
        followUpEmails: byContact(emails, c.id),
        callInProgress:
          byContact(leases, c.id).map((l) => ({
            startedAt: l.startedAt,
            draft: l.draft,
          }))[0] ?? null,
      })),
      // What the number or address left outside any contact.
      followUpEmails: emails.filter((e) => !ids.includes(e.contactId)),
      callbackRequests: requests,
      publicPageSubmissions: submissions,
      telephonyEvents: ctiEvents,
      doNotCall,
    };
  }

  /**
   * Erases the person in one transaction. The contacts' rows are locked first and their
   * calls in progress ended, so an operator's outcome either committed before (and is
   * blanked here) or finds its lease gone (refused). Returns what was done.
   */
  async erase(
    input: { phone?: string; email?: string; reason: string; doNotCall?: boolean },
    user: AuthenticatedUser,
  ): Promise<ErasureResult> {
    const subject = this.subject(input);
    const reason = input.reason.trim();
    if (reason.length < 3) {
      throw new ValidationError('reason', 'reason must say why, in at least 3 characters');
    }
    return retriedTransaction(
      this.dataSource,
      (em) => this.eraseWithin(em, subject, reason, input.doNotCall ?? true, user),
      {
        readCommitted: true,
      },
    );
  }

  private async eraseWithin(
    em: EntityManager,
    subject: PrivacySubject,
    reason: string,
    listNumbers: boolean,
    user: AuthenticatedUser,
  ): Promise<ErasureResult> {
    const now = this.clock.now();
    // Leases first, then contacts: the order an outcome takes them in, so neither waits
    // on the other in a circle.
    const found = await matching(
      em.getRepository(Contact).createQueryBuilder('c').select(['c.id']),
      subject,
    ).getMany();
    const candidateIds = found.map((c) => c.id);
    if (candidateIds.length) {
      const held = await em
        .getRepository(ContactLease)
        .find({ where: { contactId: In(candidateIds) }, ...forUpdate(em) });
      for (const lease of held) await this.leases.end(em, lease.contactId);
    }
    const locked = matching(em.getRepository(Contact).createQueryBuilder('c'), subject).orderBy(
      'c.id',
      'ASC',
    );
    const lock = forUpdate(em).lock;
    if (lock) locked.setLock(lock.mode);
    const contacts = await locked.getMany();
    const ids = contacts.map((c) => c.id);
    const numbers = new Set<string>();
    if (subject.phone) numbers.add(subject.phone);
    for (const c of contacts) {
      if (!c.phone.startsWith('erased-')) numbers.add(c.phone);
      for (const other of c.otherPhones ?? []) numbers.add(other.number);
    }
    await this.anonymiser.anonymise(em, ids, now);
    // What the number and the address left outside these contacts.
    const phones = [...numbers];
    if (subject.email) {
      const sent = await this.emailsOf(em, [], subject.email).select(['x.id', 'x.state']).getMany();
      await this.anonymiser.blankEmails(em, sent);
    }
    const requests = await this.requestsOf(em, [], phones).select(['x.id', 'x.state']).getMany();
    await this.anonymiser.blankRequests(em, requests, now);
    if (phones.length) {
      await em.delete(CallbackWebSubmission, { phone: In(phones) });
      await em.update(CtiEvent, { phone: In(phones) }, { phone: '' });
    }
    const listed = listNumbers ? phones : [];
    for (const phone of listed) {
      await this.doNotCall.addWithin(em, phone, `erased: ${reason}`, user.id, 'erasure');
    }
    const contracts = ids.length
      ? await em.getRepository(Contract).find({
          where: { contactId: In(ids) },
          select: { id: true, protocolNumber: true, createdAt: true },
          order: { id: 'ASC' },
        })
      : [];
    await this.audit.record(em, {
      userId: user.id,
      action: 'privacy.erased',
      entity: 'contact',
      entityId: null,
      // Never the person's data: which rows, and why.
      detail: JSON.stringify({ contacts: ids, reason }),
    });
    return {
      erased: ids.length,
      retainedContracts: contracts.map((k) => ({
        protocolNumber: k.protocolNumber,
        createdAt: k.createdAt.toISOString(),
        keptUntil: keptUntil(k.createdAt).toISOString(),
      })),
      doNotCall: listed.length,
    };
  }

  private emailsOf(em: EntityManager, contactIds: number[], email: string | null) {
    const values = email ? [email] : [];
    return aboutPerson(em, FollowUpEmail, contactIds, { column: 'toAddress', values, lower: true });
  }

  private requestsOf(em: EntityManager, contactIds: number[], phones: string | null | string[]) {
    const values = phones === null ? [] : Array.isArray(phones) ? phones : [phones];
    return aboutPerson(em, CallbackRequest, contactIds, { column: 'phone', values });
  }

  private ctiEventsOf(em: EntityManager, contactIds: number[], phone: string | null) {
    return aboutPerson(em, CtiEvent, contactIds, { column: 'phone', values: phone ? [phone] : [] });
  }
}

/**
 * An entity's rows about the person, oldest first: those of their contacts, and those whose
 * `column` holds one of their numbers or addresses (what they left outside any contact).
 */
function aboutPerson<T extends { id: number; contactId: number | null }>(
  em: EntityManager,
  entity: EntityTarget<T>,
  contactIds: number[],
  match: { column: keyof T & string; values: string[]; lower?: boolean },
): SelectQueryBuilder<T> {
  const column = match.lower ? `LOWER(x.${match.column})` : `x.${match.column}`;
  return em
    .getRepository(entity)
    .createQueryBuilder('x')
    .where(
      new Brackets((q) => {
        q.where('1 = 0');
        if (contactIds.length) q.orWhere('x.contactId IN (:...contactIds)', { contactIds });
        if (match.values.length) q.orWhere(`${column} IN (:...values)`, { values: match.values });
      }),
    )
    .orderBy('x.id', 'ASC');
}

/** Contacts that are the person: by the main number, another of their numbers, or e-mail. */
function matching(
  query: SelectQueryBuilder<Contact>,
  subject: PrivacySubject,
): SelectQueryBuilder<Contact> {
  return query.where(
    new Brackets((q) => {
      q.where('1 = 0');
      if (subject.phone) {
        q.orWhere('c.phone = :phone', { phone: subject.phone });
        // Other numbers are kept as JSON: [{"number":"+39...","label":...}].
        q.orWhere('c.otherPhones LIKE :other', { other: `%"${subject.phone}"%` });
      }
      if (subject.email) q.orWhere('LOWER(c.email) = :email', { email: subject.email });
    }),
  );
}

function matchedBy(contact: Contact, subject: PrivacySubject): SubjectContactView['matchedBy'] {
  const how: SubjectContactView['matchedBy'] = [];
  if (subject.phone && contact.phone === subject.phone) how.push('phone');
  if (subject.phone && contact.otherPhones?.some((p) => p.number === subject.phone))
    how.push('otherPhone');
  if (subject.email && contact.email?.toLowerCase() === subject.email) how.push('email');
  return how;
}

async function campaignsById(
  em: EntityManager,
  ids: number[],
): Promise<Map<number, { id: number; code: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await em.getRepository(Campaign).find({
    where: { id: In([...new Set(ids)]) },
    select: { id: true, code: true, name: true },
  });
  return new Map(rows.map((c) => [c.id, { id: c.id, code: c.code, name: c.name }]));
}

function keptUntil(signed: Date): Date {
  const until = new Date(signed);
  until.setUTCFullYear(until.getUTCFullYear() + CONTRACT_RETENTION_YEARS);
  return until;
}
