import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import {
  catchError,
  concatMap,
  defer,
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
import { CtiService, type ScreenPop } from './cti.service';

/** How often new telephony events are looked for while an operator's page listens. */
export const CTI_TICK_MS = 500;
const KEEPALIVE_MS = 20_000;

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

  constructor(private readonly cti: CtiService) {}

  /** An operator's stream: `event: pop` for each call ringing or answered on their extension. */
  stream(operatorId: number): Observable<MessageEvent> {
    const pops = this.pops$.pipe(
      filter((pop) => pop.operatorId === operatorId),
      map((pop): MessageEvent => ({ type: 'pop', data: pop })),
    );
    const keepalive = interval(KEEPALIVE_MS).pipe(
      map((): MessageEvent => ({ type: 'ping', data: '' })),
    );
    return merge(pops, keepalive).pipe(startWith({ type: 'ping', data: '' } as MessageEvent));
  }

  /** From the newest event when the first page connects; then what came after. */
  private async poll(last: number | null): Promise<{ next: number; pops: ScreenPop[] }> {
    if (last === null) return { next: await this.cti.lastEventId(), pops: [] };
    const pops = await this.cti.popsAfter(last);
    return { next: pops.length > 0 ? pops[pops.length - 1]!.id : last, pops };
  }
}
