import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { FollowUpEmail, FOLLOW_UP_STATES, type FollowUpState } from './follow-up-email.entity';
import { FollowUpSender } from './follow-up-sender.service';

export interface FollowUpEmailView {
  id: number;
  contactId: number;
  campaignId: number;
  interactionId: number | null;
  templateId: number | null;
  statusId: number;
  to: string;
  subject: string;
  body: string;
  state: FollowUpState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  messageId: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface OutboxView {
  /** False without SMTP_URL: e-mails wait in the queue until it is set. */
  mailConfigured: boolean;
  counts: Record<FollowUpState, number>;
  emails: FollowUpEmailView[];
}

function toView(e: FollowUpEmail): FollowUpEmailView {
  return {
    id: e.id,
    contactId: e.contactId,
    campaignId: e.campaignId,
    interactionId: e.interactionId,
    templateId: e.templateId,
    statusId: e.statusId,
    to: e.toAddress,
    subject: e.subject,
    body: e.body,
    state: e.state,
    attempts: e.attempts,
    nextAttemptAt: e.state === 'queued' ? e.nextAttemptAt.toISOString() : null,
    lastError: e.lastError,
    messageId: e.messageId,
    sentAt: e.sentAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

/** The outbox as coordinators see it: counts per state, the latest e-mails, a retry. */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sender: FollowUpSender,
  ) {}

  async outbox(filter: {
    state?: string;
    contactId?: number;
    limit?: number;
  }): Promise<OutboxView> {
    if (filter.state !== undefined && !FOLLOW_UP_STATES.includes(filter.state as FollowUpState)) {
      throw new ValidationError('state', `state must be one of: ${FOLLOW_UP_STATES.join(', ')}`);
    }
    const repo = this.dataSource.getRepository(FollowUpEmail);
    const rows = await repo.find({
      where: {
        ...(filter.state ? { state: filter.state as FollowUpState } : {}),
        ...(filter.contactId ? { contactId: filter.contactId } : {}),
      },
      order: { id: 'DESC' },
      take: Math.min(filter.limit ?? 100, 500),
    });
    const grouped = await repo
      .createQueryBuilder('e')
      .select('e.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .groupBy('e.state')
      .getRawMany<{ state: FollowUpState; n: string | number }>();
    const counts = Object.fromEntries(FOLLOW_UP_STATES.map((s) => [s, 0])) as Record<
      FollowUpState,
      number
    >;
    for (const { state, n } of grouped) counts[state] = Number(n);
    return { mailConfigured: this.sender.configured, counts, emails: rows.map(toView) };
  }

  async get(id: number): Promise<FollowUpEmailView> {
    const row = await this.dataSource.getRepository(FollowUpEmail).findOneBy({ id });
    if (!row) throw new NotFoundError('follow-up e-mail', id);
    return toView(row);
  }

  /** A failed e-mail goes back to the queue with fresh attempts (after fixing the address). */
  async retry(id: number): Promise<FollowUpEmailView> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(FollowUpEmail)
      .set({ state: 'queued', attempts: 0, nextAttemptAt: this.clock.now() })
      .where("id = :id AND state = 'failed'", { id })
      .execute();
    if (result.affected !== 1) {
      const current = await this.get(id);
      throw new ConflictError(
        `id: follow-up e-mail ${id} is ${current.state}; only a failed one can be retried`,
        'id',
      );
    }
    return this.get(id);
  }
}
