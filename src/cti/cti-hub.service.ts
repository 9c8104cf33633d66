import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import {
  catchError,
  concatMap,
  defer,
  distinct,
  EMPTY,
  exhaustMap,
  filter,
  from,
  interval,
  map,
  merge,
  Observable,
  share,
  startWith,
  timer,
} from 'rxjs';
import { Clock } from '../common/time/clock';
import { CtiService, type ScreenPop } from './cti.service';

/** How often new telephony events are looked for while an operator's page listens. */
export const CTI_TICK_MS = 500;
const KEEPALIVE_MS = 20_000;
/** How far back a reconnecting page is given the pops it missed: a call still ringing or on. */
const REPLAY_MS = 2 * 60_000;

/**
 * The screen-pop push: one query per tick per app instance for the events after the last
 * one seen, shared by every operator page connected to the instance, each receiving its own
 * (the wall hub's pattern). It runs only while a page listens; the events live in the
 * database, so the PBX may post to any instance.
 */
@Injectable()
export class CtiHub {
  private readonly logger = new Logger(CtiHub.name);

  private readonly pops$: Observable<ScreenPop> = defer(() => {
    let last: number | null = null;
    return timer(0, CTI_TICK_MS).pipe(
      exhaustMap(() =>
        from(this.poll(last)).pipe(
          catchError((error: unknown) => {
            this.logger.error(`screen-pop tick failed: ${String(error)}`);
            return EMPTY;
          }),
        ),
      ),
      concatMap(({ next, pops }) => {
        last = next;
        return from(pops);
      }),
    );
  }).pipe(share({ resetOnRefCountZero: true }));

  constructor(
    private readonly cti: CtiService,
    private readonly clock: Clock,
  ) {}

  /**
   * An operator's stream: `event: pop` for each call ringing or answered on their extension,
   * `event: wrapup` for a call ended that started their contact's wrap-up (its seconds
   * left), each with its event id. A page that reconnects sends the last id it got (Last-Event-ID):
   * the pops it missed meanwhile, of the last REPLAY_MS, come first.
   */
  stream(operatorId: number, lastEventId: number | null = null): Observable<MessageEvent> {
    return defer(() => {
      // Every message carries the last pop's id (a ping too: Nest would number it itself),
      // so the id the browser sends back is always an event's.
      let last = lastEventId ?? 0;
      const ping = (): MessageEvent => ({ type: 'ping', id: String(last), data: '' });
      const missed =
        lastEventId === null
          ? EMPTY
          : defer(() =>
              this.cti.popsAfter(lastEventId, {
                operatorId,
                since: new Date(this.clock.now().getTime() - REPLAY_MS),
              }),
            ).pipe(concatMap((pops) => from(pops)));
      const pops = merge(
        missed,
        this.pops$.pipe(filter((pop) => pop.operatorId === operatorId)),
      ).pipe(
        // The shared stream may bring again what the replay sent.
        distinct((pop) => pop.id),
        // A call ended is streamed only when it started a wrap-up (`event: wrapup`).
        filter((pop) => pop.type !== 'call.ended' || pop.wrapUp !== null),
        map((pop): MessageEvent => {
          last = Math.max(last, pop.id);
          const type = pop.type === 'call.ended' ? 'wrapup' : 'pop';
          return { type, id: String(pop.id), data: pop };
        }),
      );
      return merge(pops, interval(KEEPALIVE_MS).pipe(map(ping))).pipe(startWith(ping()));
    });
  }

  /** From the newest event when the first page connects; then what came after. */
  private async poll(last: number | null): Promise<{ next: number; pops: ScreenPop[] }> {
    if (last === null) return { next: await this.cti.lastEventId(), pops: [] };
    const pops = await this.cti.popsAfter(last);
    return { next: pops.length > 0 ? pops[pops.length - 1]!.id : last, pops };
  }
}
