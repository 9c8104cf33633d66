import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CampaignConfigCache } from '../campaigns/campaign-config';
import { ScriptRenderer } from '../campaigns/script-renderer';
import { AppConfigService } from '../config/app-config.service';
import type { Contact } from '../contacts/contact.entity';
import { User } from '../users/user.entity';
import { FollowUpEmail } from './follow-up-email.entity';
import { factsContext, type FollowUpFacts } from './follow-up-facts';
import { FollowUpTemplate } from './follow-up-template.entity';
import { oneLineSubject } from './follow-up-templates.service';

export interface QueuedFollowUp {
  /** The outbox row, or null when the status has a template but the contact no address. */
  id: number | null;
  templateId: number;
  to: string | null;
  state: 'queued' | 'no_email';
}

/**
 * The template for a contact: its reason before any reason, its language before the
 * default one before any other.
 */
export function pickTemplate(
  templates: FollowUpTemplate[],
  reason: string | null,
  language: string | null,
  defaultLanguage: string,
): FollowUpTemplate | null {
  const score = (t: FollowUpTemplate): number => {
    if (t.reason !== '' && t.reason !== reason) return -1;
    const reasonScore = t.reason === '' ? 0 : 4;
    const languageScore = t.language === language ? 2 : t.language === defaultLanguage ? 1 : 0;
    return reasonScore + languageScore;
  };
  let best: FollowUpTemplate | null = null;
  let bestScore = -1;
  for (const template of templates) {
    const s = score(template);
    if (s > bestScore || (s === bestScore && best !== null && template.id < best.id)) {
      best = template;
      bestScore = s;
    }
  }
  return bestScore >= 0 ? best : null;
}

/**
 * Puts the outcome's follow-up e-mail in the outbox, inside the outcome's transaction
 * (invariant 2: a rolled-back outcome queues nothing). Rendering happens here, so the
 * e-mail says what was true when the call ended; sending is the sender job's business.
 */
@Injectable()
export class FollowUpQueue {
  private readonly renderer = new ScriptRenderer();
  private readonly logger = new Logger(FollowUpQueue.name);
  /** Every template by status, as of a configuration stamp (see templatesFor). */
  private known: {
    stamp: string | null;
    byStatus: ReadonlyMap<number, FollowUpTemplate[]>;
  } | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfigService,
    private readonly dataSource: DataSource,
    private readonly configs: CampaignConfigCache,
  ) {
    configs.stampWritesOf(FollowUpTemplate);
  }

  /**
   * The status's templates as the caller's transaction sees them. Templates change a few
   * times a month and every outcome asks: each write of one rewrites the configuration
   * stamp (CampaignConfigCache), which the outcome's transaction has read; this instance's
   * copy, read after that same stamp, is then provably current for it and costs no
   * statement. Otherwise (a new stamp, a transaction that read none) the table is asked,
   * and the copy is learnt again beside.
   */
  private async templatesFor(em: EntityManager, statusId: number): Promise<FollowUpTemplate[]> {
    const seen = this.configs.stampSeenIn(em);
    const known = this.known;
    if (seen !== undefined && known && known.stamp === seen) {
      return known.byStatus.get(statusId) ?? [];
    }
    if (seen !== undefined) setImmediate(() => void this.refresh());
    return em.getRepository(FollowUpTemplate).findBy({ statusId });
  }

  /** Reads the stamp, then every template: what they say holds as of that stamp. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const stamp = await this.configs.currentStamp();
        const rows = await this.dataSource.getRepository(FollowUpTemplate).find();
        const byStatus = new Map<number, FollowUpTemplate[]>();
        for (const row of rows)
          byStatus.set(row.statusId, [...(byStatus.get(row.statusId) ?? []), row]);
        this.known = { stamp, byStatus };
      } catch (error) {
        this.logger.warn({ err: error }, 'follow-up templates could not be read');
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  async queueWithin(
    em: EntityManager,
    input: {
      contact: Contact;
      statusId: number;
      campaignId: number;
      interactionId: number;
      operatorId: number;
      now: Date;
      facts?: FollowUpFacts;
    },
  ): Promise<QueuedFollowUp | null> {
    const { contact } = input;
    const templates = await this.templatesFor(em, input.statusId);
    if (templates.length === 0) return null;
    const template = pickTemplate(
      templates,
      contact.callReason,
      contact.language,
      this.config.get('DEFAULT_LANGUAGE'),
    );
    if (!template) return null;
    const to = contact.email?.trim() ?? '';
    if (to === '') return { id: null, templateId: template.id, to: null, state: 'no_email' };
    const operator = await em.getRepository(User).findOne({
      where: { id: input.operatorId },
      select: { id: true, displayName: true },
    });
    const context = {
      contact: { ...contact, callReason: contact.callReason ?? '' },
      operator: { name: operator?.displayName ?? '' },
      more: factsContext(input.facts, template.language),
    };
    const id = await this.queueMessageWithin(em, {
      contactId: contact.id,
      campaignId: input.campaignId,
      interactionId: input.interactionId,
      templateId: template.id,
      statusId: input.statusId,
      to,
      subject: this.renderer.renderText(template.subject, context),
      body: this.renderer.renderText(template.body, context),
      now: input.now,
    });
    return {
      id,
      templateId: template.id,
      to,
      state: 'queued',
    };
  }

  /**
   * The one way into the outbox: a message already rendered for its contact (the subject
   * made one line), queued in the caller's transaction for the sender job. The outcome's
   * follow-up comes through here, and so does a notice a capability sends instead of a
   * call (an outage campaign's e-mail). Returns the outbox row's id.
   */
  async queueMessageWithin(
    em: EntityManager,
    message: {
      contactId: number;
      campaignId: number;
      interactionId: number | null;
      templateId: number | null;
      statusId: number;
      to: string;
      subject: string;
      body: string;
      now: Date;
    },
  ): Promise<number> {
    const inserted = await em.insert(FollowUpEmail, {
      contactId: message.contactId,
      campaignId: message.campaignId,
      interactionId: message.interactionId,
      templateId: message.templateId,
      statusId: message.statusId,
      toAddress: message.to,
      subject: oneLineSubject(message.subject),
      body: message.body,
      state: 'queued',
      attempts: 0,
      nextAttemptAt: message.now,
      claimedBy: null,
      claimUntil: null,
      lastError: null,
      messageId: null,
      sentAt: null,
    });
    return Number(inserted.identifiers[0]!.id);
  }
}
