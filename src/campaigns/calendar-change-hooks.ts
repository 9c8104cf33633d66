import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CallingWindow } from './calling-hours';

/**
 * An extension point of a campaign's save: a capability that holds times of the campaign
 * (callbacks promised to customers) moves what the new calendar closes, inside the save's
 * transaction. Campaigns know nothing of callbacks; callbacks register here at start-up.
 */
export interface CalendarChangeHook {
  withinSave(em: EntityManager, campaignId: number, calendar: CallingWindow): Promise<void>;
}

@Injectable()
export class CalendarChangeHooks {
  private readonly hooks: CalendarChangeHook[] = [];

  register(hook: CalendarChangeHook): void {
    this.hooks.push(hook);
  }

  /** Runs every registered hook in the caller's transaction (the caller holds the campaign). */
  async runWithin(em: EntityManager, campaignId: number, calendar: CallingWindow): Promise<void> {
    for (const hook of this.hooks) await hook.withinSave(em, campaignId, calendar);
  }
}
