import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';
import { pathOf } from '../common/http/request-context';
import { MetricsRegistry } from './metrics-registry';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const CATCH_ALL = /^\/(?:\{\*\w+\}|\*\w+)$/;

/** What a request that reached no route (a 404, or refused before routing) is labelled. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route a request is labelled with: the template it matched (`/api/v1/work/:contactId/
 * outcome`), never its URL, so ids and query strings cannot multiply the series.
 */
export function routeLabel(req: Request): string {
  const template = (req as { route?: { path?: unknown } }).route?.path;
  // Module middleware for every path is an Express route too (`/{*path}`): it is the last
  // route a request that reached no controller has passed.
  if (typeof template === 'string' && !CATCH_ALL.test(template)) return `${req.baseUrl}${template}`;
  if (pathOf(req).startsWith('/assets/')) return '/assets/*';
  return UNMATCHED_ROUTE;
}

/** Latency of every answered request, by route template, method and status. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'esito_http_request_duration_seconds',
      help: 'Time from the request reaching the app to the last byte of its answer, by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Express middleware, mounted before everything else so that its time covers theirs. */
  readonly timing = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // An event stream's "latency" is how long it stayed open: the streams gauge tells that.
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe(
        {
          method: METHODS.has(req.method) ? req.method : 'OTHER',
          route: routeLabel(req),
          status: String(res.statusCode),
        },
        seconds,
      );
    });
    next();
  };
}
