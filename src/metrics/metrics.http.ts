import { createHash, timingSafeEqual } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { pathOf } from '../common/http/request-context';
import { AppConfigService } from '../config/app-config.service';
import { HttpMetrics } from './http-metrics';
import { MetricsRegistry } from './metrics-registry';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Whether the Authorization header carries the token, compared in constant time. */
export function carriesToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/.exec(header ?? '');
  // Digests are of equal length whatever was sent, so the comparison leaks nothing of it.
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

/**
 * GET /metrics and the requests' timing, ahead of every other middleware: a scrape needs no
 * session, CSRF token or user, and never reaches the pages' guard or the request log. With
 * METRICS_TOKEN unset nothing is mounted: /metrics is the app's ordinary 404.
 */
export function mountMetrics(app: NestExpressApplication): void {
  const token = app.get(AppConfigService).get('METRICS_TOKEN');
  if (!token) return;
  const registry = app.get(MetricsRegistry);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (pathOf(req) !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (!carriesToken(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res
        .status(401)
        .json({ statusCode: 401, message: 'metrics need Authorization: Bearer <METRICS_TOKEN>' });
      return;
    }
    registry.metrics().then(
      // Prometheus's own content type, as it is (Express would add a charset before the version).
      (text) => res.setHeader('Content-Type', registry.contentType).end(text),
      (error: unknown) => next(error),
    );
  });
  app.use(app.get(HttpMetrics).timing);
}
