import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Campaign, type CampaignPurpose } from '../campaigns/campaign.entity';
import { retriedTransaction } from '../common/database/retried-transaction';
import { Clock } from '../common/time/clock';
import { blocksSql, sqlInstant } from '../do-not-call/do-not-call-rule';
import type { RecheckSummary, RemovedFromCampaign } from '../do-not-call/dto/do-not-call.dto';
import { type QueueCheck, QueueCheckHooks } from '../do-not-call/queue-check-hooks';
import { ContactQueue } from './contact-queue';

/** Contact ids one UPDATE of the re-check covers: short transactions beside the operators' work. */
const RECHECK_CHUNK_IDS = 20_000;
const LOCK_RETRIES = 6;

/**
 * The contacts' side of the do-not-call list's re-check (do-not-call/queue-check-hooks.ts):
 * the queues of the campaigns checked against the list as it is now.
 */
@Injectable()
export class DoNotCallQueueCheck implements QueueCheck, OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly queue: ContactQueue,
    private readonly hooks: QueueCheckHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  /**
   * Each campaign's contacts waiting in the queue whose number the list blocks for it leave
   * the queue (ContactQueue.removeListed: final, as dispatch's check makes them), one
   * set-based UPDATE joined on the list per range of ids. Those on an operator's screen
   * finish their call (dispatch refuses them next time); those waiting for a callback the
   * customer agreed keep it until it falls due, when dispatch cancels it. Both are counted.
   */
  async check(purposes: readonly CampaignPurpose[]): Promise<RecheckSummary> {
    const campaigns = await this.dataSource.getRepository(Campaign).find({
      where: { purpose: In([...purposes]) },
      select: { id: true, name: true, purpose: true },
      order: { id: 'ASC' },
    });
    const now = sqlInstant(this.dataSource, this.clock.now());
    const removedByCampaign: RemovedFromCampaign[] = [];
    let removed = 0;
    for (const campaign of campaigns) {
      const out = await this.removeFrom(campaign, now);
      const kept = await this.keptIn(campaign, now);
      removed += out;
      if (out + kept.inCall + kept.awaitingCallback > 0) {
        removedByCampaign.push({
          campaignId: campaign.id,
          name: campaign.name,
          removed: out,
          ...kept,
        });
      }
    }
    return { removed, removedByCampaign };
  }

  private async removeFrom(
    campaign: Pick<Campaign, 'id' | 'purpose'>,
    now: Date | string,
  ): Promise<number> {
    const [range] = await this.dataSource.query<Array<{ lo: number | null; hi: number | null }>>(
      'SELECT MIN(id) AS lo, MAX(id) AS hi FROM contacts WHERE campaign_id = ?',
      [campaign.id],
    );
    if (range?.lo === null || range?.lo === undefined || range.hi === null) return 0;
    let removed = 0;
    for (let from = Number(range.lo); from <= Number(range.hi); from += RECHECK_CHUNK_IDS) {
      const ids = { from, to: from + RECHECK_CHUNK_IDS - 1 };
      // READ COMMITTED: rows the UPDATE reads but does not change are not kept locked.
      removed += await retriedTransaction(
        this.dataSource,
        (em) => this.queue.removeListed(em, campaign, ids, now),
        { readCommitted: true, attempts: LOCK_RETRIES },
      );
    }
    return removed;
  }

  /** The campaign's contacts the list blocks that the check leaves where they are, by why. */
  private async keptIn(
    campaign: Pick<Campaign, 'id' | 'purpose'>,
    now: Date | string,
  ): Promise<Pick<RemovedFromCampaign, 'inCall' | 'awaitingCallback'>> {
    const rows = await this.dataSource.query<Array<{ state: string; n: number | string }>>(
      'SELECT c.state AS state, COUNT(*) AS n FROM contacts c ' +
        "WHERE c.campaign_id = ? AND c.state IN ('in_progress', 'callback') AND EXISTS " +
        `(SELECT 1 FROM do_not_call_numbers d WHERE d.phone = c.phone AND ${blocksSql('d', campaign.purpose, '?')}) ` +
        'GROUP BY c.state',
      [campaign.id, now],
    );
    const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return { inCall: count('in_progress'), awaitingCallback: count('callback') };
  }
}
