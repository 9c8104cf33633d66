import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Gauge } from 'prom-client';
import { defer, finalize, type Observable } from 'rxjs';
import { routeLabel } from './http-metrics';
import { MetricsRegistry } from './metrics-registry';

/**
 * Counts the Server-Sent Events streams open now (the wall, the screen-pop), by route: one
 * more while a client is subscribed, one less when it goes (Nest unsubscribes on close).
 */
@Injectable()
export class StreamMetricsInterceptor implements NestInterceptor {
  private readonly open: Gauge<'stream'>;

  constructor(
    registry: MetricsRegistry,
    private readonly reflector: Reflector,
  ) {
    this.open = new Gauge({
      name: 'esito_sse_connections',
      help: 'Server-Sent Events streams open now, by route',
      labelNames: ['stream'],
      registers: [registry],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (
      context.getType() !== 'http' ||
      !this.reflector.get<boolean>(SSE_METADATA, context.getHandler())
    )
      return next.handle();
    const labels = { stream: routeLabel(context.switchToHttp().getRequest<Request>()) };
    return defer(() => {
      this.open.inc(labels);
      return next.handle().pipe(finalize(() => this.open.dec(labels)));
    });
  }
}
