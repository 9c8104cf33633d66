import { Injectable } from '@nestjs/common';
import { DataSource, Not } from 'typeorm';
import type { Language } from '../config/app.config';
import { leaseCountedUntil, stateCountedUntil } from '../monitor/operator-activity.service';
import { OperatorStateDay, type TimedState } from '../monitor/operator-state-day.entity';
import { OperatorState } from '../monitor/operator-state.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { type DayRange, type OperatorTimeQuery, resolveRange } from './dto/report-query';
import type {
  OperatorTimeFigures,
  OperatorTimeReport,
  OperatorTimeRow,
  PauseTime,
} from './dto/report.view';
import { ReportCalendar } from './report-calendar';
import {
  applyOperatorScope,
  echoFilters,
  missingName,
  ReportDirectory,
} from './report-directory.service';

/** Seconds of one operator in one state (and pause reason, 0 outside a pause). */
interface StateSeconds {
  userId: number;
  state: TimedState;
  pauseReasonId: number;
  seconds: number;
}

/** An operator's seconds as they are added up: per state, and paused per reason. */
interface Tally {
  ready: number;
  onContact: number;
  paused: Map<number, number>;
}

/**
 * Operators' time in states over a range of the call centre's days: logged in (ready plus
 * paused), waiting (ready and not on a contact), on contacts, paused per reason. The days
 * come from `operator_state_days`, which a state joins when it ends; the states still going
 * on (one row per operator, and their leases) are added up to now, so today reads right.
 */
@Injectable()
export class OperatorTimeReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: ReportCalendar,
    private readonly directory: ReportDirectory,
  ) {}

  async report(query: OperatorTimeQuery, lang: Language): Promise<OperatorTimeReport> {
    const range = resolveRange(query.range, this.calendar.today());
    const seconds = [...(await this.ended(query, range)), ...(await this.ongoing(query, range))];
    const tallies = new Map<number, Tally>();
    for (const { userId, state, pauseReasonId, seconds: s } of seconds) {
      const tally = tallies.get(userId) ?? { ready: 0, onContact: 0, paused: new Map() };
      tallies.set(userId, tally);
      if (state === 'ready') tally.ready += s;
      else if (state === 'on_contact') tally.onContact += s;
      else tally.paused.set(pauseReasonId, (tally.paused.get(pauseReasonId) ?? 0) + s);
    }
    const [names, reasons] = await Promise.all([
      this.directory.operators([...tallies.keys()]),
      this.directory.pauseReasons(lang),
    ]);
    const figures = (tally: Tally) => figuresOf(tally, reasons);
    const rows = [...tallies.entries()]
      .map(([operatorId, tally]): OperatorTimeRow => ({
        operatorId,
        name: names.get(operatorId)?.name ?? missingName(operatorId),
        team: names.get(operatorId)?.team ?? null,
        ...figures(tally),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.operatorId - b.operatorId);

    const all: Tally = { ready: 0, onContact: 0, paused: new Map() };
    for (const tally of tallies.values()) {
      all.ready += tally.ready;
      all.onContact += tally.onContact;
      for (const [id, s] of tally.paused) all.paused.set(id, (all.paused.get(id) ?? 0) + s);
    }
    return {
      ...range,
      timezone: this.calendar.zone,
      filters: echoFilters(query),
      pauseReasons: reasons,
      rows,
      totals: figures(all),
    };
  }

  /** The states that ended, summed over the range's days. */
  private async ended(query: OperatorTimeQuery, range: DayRange): Promise<StateSeconds[]> {
    const select = this.dataSource
      .getRepository(OperatorStateDay)
      .createQueryBuilder('d')
      .select('d.userId', 'userId')
      .addSelect('d.state', 'state')
      .addSelect('d.pauseReasonId', 'pauseReasonId')
      .addSelect('SUM(d.seconds)', 'seconds')
      .where('d.day BETWEEN :from AND :to', range)
      .groupBy('d.userId')
      .addGroupBy('d.state')
      .addGroupBy('d.pauseReasonId');
    applyOperatorScope(select, 'd.userId', query);
    const raw = await select.getRawMany<{
      userId: number | string;
      state: TimedState;
      pauseReasonId: number | string;
      seconds: number | string;
    }>();
    return raw.map((r) => ({
      userId: Number(r.userId),
      state: r.state,
      pauseReasonId: Number(r.pauseReasonId),
      seconds: Number(r.seconds),
    }));
  }

  /**
   * The part inside the range of each state still going on, ended as the activity service
   * will end it: now, or when the page was last seen if it went quiet; and of each lease.
   */
  private async ongoing(query: OperatorTimeQuery, range: DayRange): Promise<StateSeconds[]> {
    const { start, end } = this.calendar.bounds(range);
    const now = this.calendar.now();
    const within = (from: Date, to: Date) =>
      Math.round(
        Math.max(
          0,
          Math.min(to.getTime(), end.getTime()) - Math.max(from.getTime(), start.getTime()),
        ) / 1000,
      );
    if (start >= now) return [];

    const states = applyOperatorScope(
      this.dataSource
        .getRepository(OperatorState)
        .createQueryBuilder('s')
        .where({ state: Not('logged_out') }),
      's.userId',
      query,
    );
    const leases = applyOperatorScope(
      this.dataSource.getRepository(ContactLease).createQueryBuilder('l'),
      'l.userId',
      query,
    );
    const [current, held] = await Promise.all([states.getMany(), leases.getMany()]);
    const seconds: StateSeconds[] = [];
    for (const row of current) {
      if (row.state === 'logged_out') continue;
      const ended = stateCountedUntil(row, now);
      seconds.push({
        userId: row.userId,
        state: row.state,
        pauseReasonId: row.state === 'paused' ? (row.pauseReasonId ?? 0) : 0,
        seconds: within(row.since, ended),
      });
    }
    for (const lease of held) {
      const ended = leaseCountedUntil(lease, now);
      seconds.push({
        userId: lease.userId,
        state: 'on_contact',
        pauseReasonId: 0,
        seconds: within(lease.startedAt, ended),
      });
    }
    return seconds.filter((s) => s.seconds > 0);
  }
}

/** Logged in, waiting (never below 0: ready includes the contacts), paused per reason. */
function figuresOf(
  tally: Tally,
  reasons: Array<{ id: number; code: string; label: string }>,
): OperatorTimeFigures {
  const pauses: PauseTime[] = [];
  for (const reason of reasons) {
    const seconds = tally.paused.get(reason.id);
    if (seconds)
      pauses.push({ pauseReasonId: reason.id, code: reason.code, label: reason.label, seconds });
  }
  for (const [id, seconds] of tally.paused) {
    if (!reasons.some((r) => r.id === id) && seconds) {
      pauses.push({ pauseReasonId: id, code: missingName(id), label: missingName(id), seconds });
    }
  }
  const pausedSeconds = pauses.reduce((sum, p) => sum + p.seconds, 0);
  return {
    loggedInSeconds: tally.ready + pausedSeconds,
    readySeconds: tally.ready,
    waitingSeconds: Math.max(0, tally.ready - tally.onContact),
    onContactSeconds: tally.onContact,
    pausedSeconds,
    pauses,
  };
}
