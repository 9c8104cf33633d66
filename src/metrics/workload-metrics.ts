import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';
import { QUEUED_STATES, type WorkloadFigures, WorkloadReader } from './workload-figures';

/**
 * Leases held, contacts and callbacks waiting per campaign, and the follow-up outbox, read
 * when scraped (WorkloadReader keeps them a few seconds). When the database cannot answer,
 * these gauges are left out of the scrape rather than showing old figures.
 */
@Injectable()
export class WorkloadMetrics {
  private readonly logger = new Logger(WorkloadMetrics.name);

  constructor(registry: MetricsRegistry, reader: WorkloadReader) {
    const figures = async (gauge: Gauge<string>): Promise<WorkloadFigures | null> => {
      gauge.reset();
      try {
        return await reader.read();
      } catch (error) {
        this.logger.warn({ err: error }, 'metrics: the workload figures could not be read');
        return null;
      }
    };
    const campaign = (f: WorkloadFigures, id: number) => f.campaigns.get(id) ?? String(id);

    new Gauge({
      name: 'esito_leases_held',
      help: 'Contacts leased to an operator now, by campaign code',
      labelNames: ['campaign'],
      registers: [registry],
      async collect() {
        const f = await figures(this);
        if (!f) return;
        for (const [id, count] of f.leases) this.set({ campaign: campaign(f, id) }, count);
      },
    });
    new Gauge({
      name: 'esito_queue_contacts',
      help: 'Contacts of each active campaign still to call (state new, or retry waiting for its time)',
      labelNames: ['campaign', 'state'],
      registers: [registry],
      async collect() {
        const f = await figures(this);
        if (!f) return;
        // An active campaign with nothing left shows 0, not nothing.
        for (const id of f.activeCampaignIds)
          for (const state of QUEUED_STATES) this.set({ campaign: campaign(f, id), state }, 0);
        for (const q of f.queued)
          this.set({ campaign: campaign(f, q.campaignId), state: q.state }, q.count);
      },
    });
    new Gauge({
      name: 'esito_callbacks_due',
      help: 'Callbacks fallen due and not yet taken by an operator, by campaign code',
      labelNames: ['campaign'],
      registers: [registry],
      async collect() {
        const f = await figures(this);
        if (!f) return;
        for (const [id, count] of f.callbacksDue) this.set({ campaign: campaign(f, id) }, count);
      },
    });
    new Gauge({
      name: 'esito_outbox_messages',
      help: 'Follow-up e-mails in the outbox not yet delivered: queued (due or backing off) and sending',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const f = await figures(this);
        if (!f) return;
        for (const state of ['queued', 'sending']) this.set({ state }, f.outbox.get(state) ?? 0);
      },
    });
    new Gauge({
      name: 'esito_outbox_oldest_due_seconds',
      help: 'How long the oldest queued follow-up e-mail has been due (0 when none is)',
      registers: [registry],
      async collect() {
        const f = await figures(this);
        if (f) this.set(f.outboxOldestDueSeconds);
      },
    });
  }
}
