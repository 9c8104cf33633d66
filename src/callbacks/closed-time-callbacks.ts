import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type CalendarChangeHook, CalendarChangeHooks } from '../campaigns/calendar-change-hooks';
import type { CallingWindow } from '../campaigns/calling-hours';
import { CallbackBook } from './callback-book';

/** A campaign's calendar changed: its callbacks scheduled at a time now closed move on. */
@Injectable()
export class ClosedTimeCallbacks implements CalendarChangeHook, OnModuleInit {
  constructor(
    private readonly hooks: CalendarChangeHooks,
    private readonly book: CallbackBook,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async withinSave(em: EntityManager, campaignId: number, calendar: CallingWindow): Promise<void> {
    await this.book.moveOffClosedTimes(em, campaignId, calendar);
  }
}
