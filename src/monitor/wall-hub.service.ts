import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import {
  catchError,
  EMPTY,
  exhaustMap,
  from,
  interval,
  map,
  merge,
  Observable,
  ReplaySubject,
  share,
  startWith,
  timer,
} from 'rxjs';
import { Clock } from '../common/time/clock';
import { filterWall, type WallFilter, type WallSnapshot } from './wall-assembly';
import { WallService } from './wall.service';

/** How often the wall is computed while someone watches it: a tile changes within this. */
export const WALL_TICK_MS = 1000;
/** A comment-like ping keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 20_000;

/** What a viewer receives: the whole wall first, then only the tiles that changed. */
export interface WallMessage {
  kind: 'full' | 'patch';
  at: string;
  operators: WallSnapshot['operators'];
  removed: number[];
  campaigns: WallSnapshot['campaigns'];
  teams: string[];
}

/**
 * One tick's wall, and each filtered view of it with its tiles as JSON, made once for all
 * the viewers with that filter (2,000 tiles stringified per viewer would cost more than the
 * aggregation).
 */
class WallTick {
  private readonly views = new Map<string, { view: WallSnapshot; json: Map<number, string> }>();

  constructor(readonly snapshot: WallSnapshot) {}

  viewFor(filter: WallFilter): { view: WallSnapshot; json: Map<number, string> } {
    const key = `${filter.campaignId ?? ''}|${filter.team ?? ''}`;
    let found = this.views.get(key);
    if (!found) {
      const view = filterWall(this.snapshot, filter);
      found = { view, json: new Map(view.operators.map((t) => [t.operatorId, JSON.stringify(t)])) };
      this.views.set(key, found);
    }
    return found;
  }
}

/**
 * One aggregation per tick per app instance, shared by every viewer connected to it: the
 * database sees the same queries with one coordinator or fifty. It runs only while someone
 * watches (the first viewer starts it, the last one leaving stops it), and every instance
 * computes from the database, so viewers on different instances see the same wall.
 */
@Injectable()
export class WallHub {
  private readonly logger = new Logger(WallHub.name);
  private latest: WallSnapshot | null = null;
  /** Real time of the latest computation (performance.now): its age, whatever the clock says. */
  private computedAt = 0;
  private pending: Promise<WallSnapshot> | null = null;

  private readonly ticks$: Observable<WallTick> = timer(0, WALL_TICK_MS).pipe(
    // A tick that finds the previous one still running is skipped, never queued.
    exhaustMap(() =>
      from(this.compute().then((snapshot) => new WallTick(snapshot))).pipe(
        catchError((error: unknown) => {
          this.logger.error(`wall tick failed: ${String(error)}`);
          return EMPTY;
        }),
      ),
    ),
    share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }),
  );

  constructor(
    private readonly wall: WallService,
    private readonly clock: Clock,
  ) {}

  /** The wall for one request: the last tick's if it is fresh, else computed once for all. */
  async snapshot(): Promise<WallSnapshot> {
    const fresh = performance.now() - this.computedAt < WALL_TICK_MS;
    return fresh && this.latest ? this.latest : this.compute();
  }

  /** A viewer's stream: the filtered wall, then what changed in it, tick by tick. */
  stream(viewerFilter: WallFilter): Observable<MessageEvent> {
    const sent = new Map<number, string>();
    let first = true;
    const updates = this.ticks$.pipe(
      map((tick) => {
        const { view, json } = tick.viewFor(viewerFilter);
        const changed = view.operators.filter((tile) => {
          const text = json.get(tile.operatorId)!;
          if (sent.get(tile.operatorId) === text) return false;
          sent.set(tile.operatorId, text);
          return true;
        });
        const removed = [...sent.keys()].filter((id) => !json.has(id));
        for (const id of removed) sent.delete(id);
        const message: WallMessage = {
          kind: first ? 'full' : 'patch',
          at: view.at,
          operators: changed,
          removed,
          campaigns: view.campaigns,
          teams: view.teams,
        };
        first = false;
        return message;
      }),
    );
    const keepalive = interval(KEEPALIVE_MS).pipe(
      map((): MessageEvent => ({ type: 'ping', data: '' })),
    );
    return merge(
      // Every tick, changed tiles or not: the campaign figures and the server's time move on.
      updates.pipe(map((data): MessageEvent => ({ type: 'wall', data }))),
      keepalive,
    ).pipe(startWith({ type: 'ping', data: '' } as MessageEvent));
  }

  /** One computation at a time per instance; requests arriving meanwhile share it. */
  private compute(): Promise<WallSnapshot> {
    this.pending ??= this.wall
      .snapshot(this.clock.now())
      .then((snapshot) => {
        this.latest = snapshot;
        this.computedAt = performance.now();
        return snapshot;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
