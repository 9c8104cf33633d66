import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import { EMAIL_PATTERN } from '../contacts/contact-rules';
import { FollowUpEmail } from './follow-up-email.entity';

/** E-mails claimed per run of the sender. */
const BATCH = 50;
/** How long a claim holds: past it, the sender is taken for dead and the e-mail is retried. */
const CLAIM_MS = 10 * 60_000;
/** The first retry waits this long, each next one twice as long, up to the cap. */
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 60 * 60_000;

export interface SendRun {
  sent: number;
  retried: number;
  failed: number;
}

/** The back-off before the attempt after `attempts` failed ones: 1, 2, 4 ... 60 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** A refusal no retry will change: a 5xx answer of the server (unknown mailbox, policy). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; response?: unknown; message?: unknown } | null;
  const text =
    typeof e?.response === 'string' ? e.response : typeof e?.message === 'string' ? e.message : '';
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return `${code}${text || String(error)}`.replace(/\s+/g, ' ').slice(0, 500);
}

/**
 * Empties the follow-up outbox through SMTP (SMTP_URL). Each e-mail is claimed with one
 * conditional UPDATE (queued and due, or a claim that expired → sending with this run's
 * token) whose affected-row count says who won, so two instances, or two runs in one,
 * never both send it; the result is written only by the claim's holder. A failed attempt
 * goes back to the queue with a growing back-off; a permanent refusal, an invalid address
 * or the last attempt ends it as failed with the reason.
 */
@Injectable()
export class FollowUpSender implements OnModuleDestroy {
  private readonly logger = new Logger(FollowUpSender.name);
  private transport: Transporter | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
  ) {}

  get configured(): boolean {
    return Boolean(this.config.get('SMTP_URL'));
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** One run: claims and sends what is due; without SMTP_URL everything stays queued. */
  async sendDue(): Promise<SendRun> {
    const run: SendRun = { sent: 0, retried: 0, failed: 0 };
    if (!this.configured) return run;
    const now = this.clock.now();
    const repo = this.dataSource.getRepository(FollowUpEmail);
    const due = await repo
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where("e.state = 'queued' AND e.nextAttemptAt <= :now", { now })
      .orderBy('e.nextAttemptAt', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(BATCH)
      .getRawMany<{ id: number | string }>();
    const abandoned = await repo
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where("e.state = 'sending' AND e.claimUntil < :now", { now })
      .orderBy('e.claimUntil', 'ASC')
      .limit(BATCH)
      .getRawMany<{ id: number | string }>();
    for (const { id } of [...abandoned, ...due]) {
      const token = randomUUID();
      if (!(await this.claim(Number(id), token, now))) continue;
      const outcome = await this.deliver(Number(id), token);
      run[outcome] += 1;
    }
    return run;
  }

  /** queued and due (or sending with an expired claim) → sending, ours; false when lost. */
  private async claim(id: number, token: string, now: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(FollowUpEmail)
      .set({
        state: 'sending',
        claimedBy: token,
        claimUntil: new Date(now.getTime() + CLAIM_MS),
        attempts: () => 'attempts + 1',
      })
      .where('id = :id', { id })
      .andWhere(
        "((state = 'queued' AND next_attempt_at <= :now) OR (state = 'sending' AND claim_until < :now))",
        { now },
      )
      .execute();
    return result.affected === 1;
  }

  private async deliver(id: number, token: string): Promise<keyof SendRun> {
    const email = await this.dataSource.getRepository(FollowUpEmail).findOneByOrFail({ id });
    if (!EMAIL_PATTERN.test(email.toAddress) || /[\s,;<>]/.test(email.toAddress)) {
      await this.finish(id, token, {
        state: 'failed',
        lastError: `to: "${email.toAddress}" is not a valid e-mail address`,
      });
      return 'failed';
    }
    try {
      const info = (await this.mailer().sendMail({
        from: this.config.get('MAIL_FROM'),
        to: email.toAddress,
        subject: email.subject,
        text: email.body,
        // The same id on every attempt: a receiver that saw it once can drop a repeat.
        messageId: `<follow-up-${email.id}-${email.createdAt.getTime()}@esito-crm>`,
      })) as { messageId?: string };
      await this.finish(id, token, {
        state: 'sent',
        sentAt: this.clock.now(),
        messageId: (info.messageId ?? '').slice(0, 250) || null,
        lastError: null,
      });
      return 'sent';
    } catch (error) {
      const reason = describe(error);
      const last = email.attempts >= this.config.get('MAIL_MAX_ATTEMPTS');
      if (isPermanent(error) || last) {
        this.logger.warn({ id, attempts: email.attempts, reason }, 'follow-up e-mail failed');
        await this.finish(id, token, { state: 'failed', lastError: reason });
        return 'failed';
      }
      await this.finish(id, token, {
        state: 'queued',
        lastError: reason,
        nextAttemptAt: new Date(this.clock.now().getTime() + retryDelayMs(email.attempts)),
      });
      return 'retried';
    }
  }

  /** Records the result, only while the claim is still ours. */
  private async finish(id: number, token: string, changes: Partial<FollowUpEmail>): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(FollowUpEmail)
      .set({ ...changes, claimedBy: null, claimUntil: null })
      .where('id = :id AND claimed_by = :token', { id, token })
      .execute();
  }

  private mailer(): Transporter {
    this.transport ??= createTransport({
      url: this.config.get('SMTP_URL'),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return this.transport;
  }
}
