import { contactCorrections } from '../contacts/contact-corrections';
import { PhoneNumbers } from '../common/phone/phone-number';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Not } from 'typeorm';
import { AppointmentBooker, type BookedAppointment } from '../appointments/appointment-booker';
import { recordRequestOutcome } from '../callback-requests/request-outcome';
import { CallbackBook } from '../callbacks/callback-book';
import { CallbackScheduler, type ScheduledCallback } from '../callbacks/callback-scheduler';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { type CampaignConfig, CampaignConfigCache } from '../campaigns/campaign-config';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { toZonedLocal } from '../common/time/local-time';
import { ContactQueue } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import type { ContactState } from '../contacts/contact.entity';
import { checkContractField, contractFieldValues } from '../contracts/contract-fields';
import { ContractWriter, type WrittenContract } from '../contracts/contract-writer';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { Interaction } from '../interactions/interaction.entity';
import { OperatorActivityService } from '../monitor/operator-activity.service';
import { ANSWERED_STEP_KINDS, stepsNeedingAnswers } from '../outcome-statuses/outcome-needs';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { ContactLeases } from './contact-leases';
import { dialledNumber } from './dial-check.service';
import { OutcomeDto } from './dto/outcome.dto';
import { LeasesService } from './leases.service';
import { retryRule } from './retry-rule';
import { retriedTransaction } from '../common/database/retried-transaction';
import { OutcomeFollowUps, type OutcomeFollowUp } from '../follow-ups/outcome-follow-ups';
import { outcomeEvents } from '../webhooks/webhook-events';
import { WebhookOutbox } from '../webhooks/webhook-outbox';

const MAX_ANSWER = 2000;

export interface OutcomeResult {
  interactionId: number;
  contactId: number;
  status: { id: number; code: string; label: string; type: string; color: string };
  contactState: ContactState;
  callback?: ScheduledCallback;
  contract?: WrittenContract;
  appointment?: BookedAppointment;
  /** When a retry rule re-queued the contact. */
  nextCallAt?: string;
  /** The follow-up e-mail queued for the status, and whether to continue by e-mail. */
  followUp?: OutcomeFollowUp['followUp'];
  continueByEmail?: boolean;
  /** An outage campaign's customer not reached after the last attempt, e-mailed instead. */
  outageEmail?: OutcomeFollowUp['outageEmail'];
}

/**
 * CONFERMA ESITO (invariant 2): the interaction, the callback / contract / appointment,
 * the contact's new state and attempts and the monitoring counters in one transaction.
 * The lease row is locked first, so a double click or a second tab waits and then finds
 * the outcome already confirmed.
 */
@Injectable()
export class OutcomeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly leases: LeasesService,
    private readonly contactLeases: ContactLeases,
    private readonly queue: ContactQueue,
    private readonly callbackBook: CallbackBook,
    private readonly callbacks: CallbackScheduler,
    private readonly contracts: ContractWriter,
    private readonly appointments: AppointmentBooker,
    private readonly doNotCall: DoNotCallService,
    private readonly activity: OperatorActivityService,
    private readonly followUps: OutcomeFollowUps,
    private readonly phones: PhoneNumbers,
    private readonly configs: CampaignConfigCache,
    private readonly webhooks: WebhookOutbox,
  ) {}

  async confirm(userId: number, contactId: number, dto: OutcomeDto): Promise<OutcomeResult> {
    // READ COMMITTED: what the locks taken along the way (the lease, an agent's row, the
    // protocol counter) made us wait for is visible to the plain reads that follow them.
    return retriedTransaction(this.dataSource, (em) => this.write(em, userId, contactId, dto), {
      readCommitted: true,
    });
  }

  /** The outcome in the caller's transaction (the wrap-up's, which has locked the lease first). */
  async write(
    em: EntityManager,
    userId: number,
    contactId: number,
    dto: OutcomeDto,
  ): Promise<OutcomeResult> {
    const now = this.clock.now();
    const lease = await this.lockLease(em, userId, contactId, now);
    const contact = lease.contact;
    // The configuration as this transaction sees it: an admin's change is never missed.
    const config = await this.configs.campaignIn(em, contact.campaignId);
    if (!config) throw new NotFoundError('campaign', contact.campaignId);
    const { campaign } = config;
    const status = allowedStatus(config, dto.statusId);
    const answers = checkAnswers(config.steps, dto.answers, status);
    const notes = dto.notes?.trim() || null;
    // What the operator corrected in the call, and the number dialled (invariant 13).
    const corrections = dto.contact
      ? contactCorrections(contact, dto.contact, (raw) => this.phones.normalise(raw))
      : null;
    if (corrections?.changes.phone !== undefined) {
      await this.refuseTakenPhone(em, contact.campaignId, contactId, corrections.changes.phone);
    }
    // The number dialled is one of the contact's (as corrected) and may be called.
    const dialledPhone =
      dto.dialledPhone === undefined
        ? null
        : dialledNumber(
            this.phones,
            dto.dialledPhone,
            { ...contact, ...(corrections?.changes ?? {}) },
            'dialledPhone',
          );
    if (dialledPhone !== null) {
      await this.doNotCall.refuseListed(
        dialledPhone,
        'dialledPhone',
        contact.campaignId,
        em.queryRunner,
      );
    }
    // The campaign's date: protocol years follow its time zone.
    const today = toZonedLocal(now, campaign.timezone).slice(0, 10);

    const result: Omit<OutcomeResult, 'interactionId'> = {
      contactId,
      status: {
        id: status.id,
        code: status.code,
        label: status.label,
        type: status.type,
        color: status.color,
      },
      contactState: 'final',
    };
    let nextCallAt: Date | null = null;
    let lastAttemptFailed = false;
    // No answer, busy, voicemail: the status says the customer was not reached.
    const reached = status.customerReached;
    // The callback being worked is kept (a new R replaces it below): done, or missed.
    if (lease.callbackId !== null) {
      await this.callbackBook.close(em, lease.callbackId, reached ? 'done' : 'missed', now);
    }
    switch (status.type) {
      case 'R': {
        result.callback = await this.callbacks.schedule(em, {
          campaign,
          contactId,
          operatorId: userId,
          phone: corrections?.changes.phone ?? contact.phone,
          status,
          request: dto.callback,
          notes,
          answers,
          now,
        });
        result.contactState = 'callback';
        nextCallAt = new Date(result.callback.dueAt);
        break;
      }
      case 'N': {
        if (status.doNotCall) {
          await this.doNotCall.addWithin(em, contact.phone, `outcome ${status.code}`, userId);
          result.contactState = 'final';
          break;
        }
        const retry = retryRule(status, contact.attempts, campaign, now);
        if (retry.requeue) {
          nextCallAt = retry.at;
          result.contactState = 'retry';
          result.nextCallAt = retry.at.toISOString();
        } else {
          lastAttemptFailed = retry.lastAttemptFailed;
        }
        break;
      }
      case 'C': {
        result.contract = await this.contracts.write(em, {
          contact,
          operatorId: userId,
          cart: dto.cart,
          year: Number(today.slice(0, 4)),
          status,
          fields: contractFieldValues(config.steps, answers),
        });
        result.contactState = 'done';
        break;
      }
      case 'T': {
        result.appointment = await this.appointments.book(em, {
          campaign,
          contactId,
          operatorId: userId,
          request: dto.appointment,
          now,
        });
        result.contactState = 'done';
        break;
      }
    }
    if (corrections) {
      await this.queue.correct(em, contactId, corrections.changes);
      // A callback still waiting on the contact (another's private one) follows its number.
      const phone = corrections.changes.phone;
      if (phone !== undefined) await this.callbackBook.renumber(em, contactId, phone, now, userId);
      // The follow-up e-mail and what comes after see the corrected contact.
      Object.assign(contact, corrections.changes);
    }
    const inserted = await em.insert(Interaction, {
      contactId,
      campaignId: campaign.id,
      operatorId: userId,
      statusId: status.id,
      statusType: status.type,
      notes,
      answers,
      startedAt: lease.startedAt,
      durationSeconds: Math.max(0, Math.round((now.getTime() - lease.startedAt.getTime()) / 1000)),
      callbackId: result.callback?.id ?? null,
      contractId: result.contract?.id ?? null,
      appointmentId: result.appointment?.id ?? null,
      contactChanges:
        corrections && Object.keys(corrections.diff).length > 0 ? corrections.diff : null,
      dialledPhone,
    });
    const interactionId = Number(inserted.identifiers[0]!.id);
    if (result.callback) {
      await this.callbackBook.attachInteraction(em, result.callback.id, interactionId);
    }
    // Consent answers onto the contact, the status's follow-up e-mail into the outbox.
    Object.assign(
      result,
      await this.followUps.recordWithin(em, {
        contact,
        campaignId: campaign.id,
        statusId: status.id,
        interactionId,
        operatorId: userId,
        answers,
        lastAttemptFailed,
        now,
        facts: {
          zone: campaign.timezone,
          callbackAt: result.callback?.dueAt ?? null,
          appointment: result.appointment
            ? { at: result.appointment.startsAt, agent: result.appointment.agentName }
            : null,
          contract: result.contract
            ? { protocolNumber: result.contract.protocolNumber, total: result.contract.total }
            : null,
        },
      }),
    );
    await this.queue.recordOutcome(em, contact, {
      state: result.contactState,
      // E-mailed instead after the last attempt: counted so by the outage's progress.
      statusId: result.outageEmail?.statusId ?? status.id,
      nextCallAt,
      now,
    });
    await this.activity.recordOutcome(em, {
      userId,
      campaignId: campaign.id,
      campaignZone: campaign.timezone,
      statusId: status.id,
      statusType: status.type,
      leasedAt: lease.startedAt,
      at: now,
    });
    await recordRequestOutcome(em, {
      contactId,
      reached,
      contactState: result.contactState,
      startedAt: lease.startedAt,
      now,
    });
    // The webhook outbox, in this transaction (invariant 16): one statement, or none when
    // no endpoint wants these events.
    await this.webhooks.recordWithin(
      em,
      outcomeEvents({
        at: now,
        interactionId,
        campaign: { id: campaign.id, code: campaign.code },
        contactId,
        operatorId: userId,
        status: { id: status.id, code: status.code, type: status.type },
        customerReached: reached,
        contactState: result.contactState,
        callback: result.callback,
        contract: result.contract,
        appointment: result.appointment,
      }),
    );
    await this.contactLeases.end(em, contactId);
    return { interactionId, ...result };
  }

  /** 409 naming the field when the corrected main number is another contact's of the campaign. */
  private async refuseTakenPhone(
    em: EntityManager,
    campaignId: number,
    contactId: number,
    phone: string,
  ): Promise<void> {
    const other = await em.getRepository(Contact).findOne({
      where: { campaignId, phone, id: Not(contactId) },
      select: { id: true },
    });
    if (other) {
      throw new ConflictError(
        `contact.phones.0.number: ${phone} is already contact ${other.id} of this campaign`,
        'contact.phones.0.number',
      ).say('work.errors.phoneTaken', { phone });
    }
  }

  /** The caller's lease, locked; a contact confirmed a moment ago by them is a 409. */
  async lockLease(em: EntityManager, userId: number, contactId: number, now: Date) {
    try {
      return await this.leases.lockOwnWithContact(em, userId, contactId);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      const recent = await em.getRepository(Interaction).findOne({
        where: { contactId, operatorId: userId },
        order: { id: 'DESC' },
      });
      if (recent && now.getTime() - recent.createdAt.getTime() < 10 * 60_000) {
        throw new ConflictError(
          `contactId: the outcome of contact ${contactId} was already confirmed (interaction ${recent.id})`,
          'contactId',
          { interactionId: recent.id },
        ).say('work.errors.alreadyConfirmed');
      }
      throw error;
    }
  }
}

/** The status chosen, if the campaign offers it and it is not archived (400 otherwise). */
function allowedStatus(config: CampaignConfig, statusId: number): OutcomeStatus {
  const status = config.statuses.find((s) => s.id === statusId);
  if (!status || status.archivedAt !== null) {
    throw new ValidationError(
      'statusId',
      `statusId: status ${statusId} is not an outcome of this campaign`,
    ).say('work.errors.statusNotAllowed');
  }
  return status;
}

/**
 * Answers keyed by the campaign's question and consent steps. Required ones must be there
 * only when the customer was reached (invariant 12, outcome-needs.ts); a call that reached
 * no one keeps no consent answer, so nothing the operator could not have asked is stored.
 */
function checkAnswers(
  allSteps: readonly CampaignStep[],
  raw: Record<string, unknown> | undefined,
  status: Pick<OutcomeStatus, 'customerReached'>,
): Record<string, string> | null {
  const reached = status.customerReached;
  const steps = allSteps.filter((s) => (ANSWERED_STEP_KINDS as readonly string[]).includes(s.kind));
  const byId = new Map(steps.map((s) => [String(s.id), s]));
  const answers: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const field = `answers.${key}`;
    const step = byId.get(key);
    if (!step)
      throw new ValidationError(
        field,
        `${field}: there is no question with id ${key} in this campaign`,
      ).say('work.errors.noQuestion');
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string') {
      throw new ValidationError(field, `${field} must be text`).say('work.errors.answerText');
    }
    const text = value.trim();
    if (text.length > MAX_ANSWER) {
      throw new ValidationError(field, `${field} must be at most ${MAX_ANSWER} characters`).say(
        'work.errors.answerTooLong',
        { max: MAX_ANSWER },
      );
    }
    if (step.kind === 'consent' && text !== 'yes' && text !== 'no') {
      throw new ValidationError(field, `${field} must be "yes" or "no"`).say(
        'work.errors.answerYesNo',
      );
    }
    if (step.kind === 'question' && step.choices?.length && !step.choices.includes(text)) {
      const choices = step.choices.join(', ');
      throw new ValidationError(field, `${field} must be one of: ${choices}`).say(
        'work.errors.answerChoice',
        { choices },
      );
    }
    // An answer bound to a contract field is checked (and kept normalised) as the
    // workstation checks it while it is typed: the same contract-fields.ts.
    const bound = step.kind === 'question' && step.contractField ? step.contractField : null;
    const checked = bound && text !== '' ? checkContractField(bound, text) : null;
    if (checked && !checked.ok) {
      throw new ValidationError(
        field,
        `${field}: "${step.title}" (${bound}) ${checked.message}`,
      ).say(`work.fieldErrors.${checked.problem}`, { title: step.title });
    }
    if (text !== '' && (reached || step.kind !== 'consent')) answers[key] = checked?.value ?? text;
  }
  for (const step of stepsNeedingAnswers(status, steps)) {
    if (answers[String(step.id)] === undefined) {
      throw new ValidationError(
        `answers.${step.id}`,
        `answers.${step.id}: "${step.title}" needs an answer`,
      ).say('work.errors.answerRequired', { title: step.title });
    }
  }
  return Object.keys(answers).length > 0 ? answers : null;
}
