import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, type SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Campaign } from '../campaigns/campaign.entity';
import { skipLocked } from '../common/database/row-lock';
import { retriedTransaction } from '../common/database/retried-transaction';
import { NotFoundError } from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { Contact } from '../contacts/contact.entity';
import { ContactAnonymiser } from './contact-anonymiser';
import { RetentionRule } from './retention-rule.entity';

/** Contacts anonymised per transaction: short ones, so operators never wait long on a row. */
const BATCH = 500;

export interface RetentionView {
  campaign: { id: number; code: string; name: string };
  /** Months without work after which contacts are anonymised; null: kept until erased. */
  months: number | null;
  /** Contacts the next run would anonymise (the preview). */
  due: number;
}

/**
 * Retention per campaign: contacts nobody has worked for the campaign's months are
 * anonymised by a job, as an erasure does (their numbers are not put on the do-not-call
 * list: they did not ask). Several instances may run it at once: each batch claims its
 * rows with SKIP LOCKED and the anonymised ones no longer match, so each is done once.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly anonymiser: ContactAnonymiser,
    private readonly audit: AuditService,
  ) {}

  /** Every campaign with its rule and what the next run would do. */
  async overview(): Promise<RetentionView[]> {
    const em = this.dataSource.manager;
    const [campaigns, rules] = await Promise.all([
      em.getRepository(Campaign).find({
        select: { id: true, code: true, name: true },
        order: { code: 'ASC' },
      }),
      em.getRepository(RetentionRule).find(),
    ]);
    const months = new Map(rules.map((r) => [r.campaignId, r.months]));
    const now = this.clock.now();
    return Promise.all(
      campaigns.map(async (c) => {
        const rule = months.get(c.id) ?? null;
        return {
          campaign: { id: c.id, code: c.code, name: c.name },
          months: rule,
          due: rule === null ? 0 : await expired(em, c.id, cutoff(now, rule)).getCount(),
        };
      }),
    );
  }

  /** Sets (or, with null, removes) a campaign's rule; 404 for an unknown campaign. */
  async setRule(campaignId: number, months: number | null, userId: number): Promise<RetentionView> {
    await retriedTransaction(this.dataSource, async (em) => {
      const campaign = await em.getRepository(Campaign).findOneBy({ id: campaignId });
      if (!campaign) throw new NotFoundError('campaign', campaignId);
      const before = await em.getRepository(RetentionRule).findOneBy({ campaignId });
      // The same rule again changes nothing, and says nothing in the audit trail.
      if ((before?.months ?? null) === months) return;
      if (months === null) await em.delete(RetentionRule, { campaignId });
      else await em.getRepository(RetentionRule).save({ campaignId, months, updatedBy: userId });
      await this.audit.record(em, {
        userId,
        action: 'privacy.retention_set',
        entity: 'campaign',
        entityId: campaignId,
        detail: JSON.stringify({ before: before?.months ?? null, after: months }),
      });
    });
    return (await this.overview()).find((v) => v.campaign.id === campaignId)!;
  }

  /** One run of the job: every campaign's expired contacts anonymised; how many. */
  async run(): Promise<number> {
    const rules = await this.dataSource.getRepository(RetentionRule).find();
    let total = 0;
    for (const rule of rules) {
      for (;;) {
        const done = await retriedTransaction(
          this.dataSource,
          async (em) => {
            const now = this.clock.now();
            const rows = await skipLocked(
              expired(em, rule.campaignId, cutoff(now, rule.months))
                .select(['c.id'])
                .orderBy('c.id', 'ASC')
                .limit(BATCH),
            ).getMany();
            const ids = rows.map((r) => r.id);
            await this.anonymiser.anonymise(em, ids, now);
            if (ids.length) {
              await this.audit.record(em, {
                userId: null,
                action: 'privacy.retention_run',
                entity: 'campaign',
                entityId: rule.campaignId,
                detail: JSON.stringify({ months: rule.months, contacts: ids.length }),
              });
            }
            return ids.length;
          },
          { readCommitted: true },
        );
        total += done;
        if (done < BATCH) break;
      }
    }
    return total;
  }
}

/** `months` calendar months before `now`. */
function cutoff(now: Date, months: number): Date {
  const at = new Date(now);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at;
}

/**
 * A campaign's contacts not worked since `before` (their last outcome, or their import
 * when never called), not anonymised yet, and not being worked: no lease, no callback due.
 */
function expired(em: EntityManager, campaignId: number, before: Date): SelectQueryBuilder<Contact> {
  return em
    .getRepository(Contact)
    .createQueryBuilder('c')
    .where('c.campaignId = :campaignId', { campaignId })
    .andWhere("(c.ineligibleReason IS NULL OR c.ineligibleReason <> 'erased')")
    .andWhere("c.state NOT IN ('in_progress', 'callback')")
    .andWhere('COALESCE(c.lastOutcomeAt, c.createdAt) < :before', { before })
    .andWhere('NOT EXISTS (SELECT 1 FROM contact_leases l WHERE l.contact_id = c.id)');
}
