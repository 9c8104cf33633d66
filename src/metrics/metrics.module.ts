import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { collectDefaultMetrics } from 'prom-client';
import { AppConfigService } from '../config/app-config.service';
import { DatabasePoolMetrics } from './database-pool-metrics';
import { HttpMetrics } from './http-metrics';
import { JobMetrics } from './job-metrics';
import { MetricsRegistry } from './metrics-registry';
import { StreamMetricsInterceptor } from './stream-metrics.interceptor';
import { TransactionMetrics } from './transaction-metrics';
import { WorkloadReader } from './workload-figures';
import { WorkloadMetrics } from './workload-metrics';

/**
 * GET /metrics for Prometheus (mounted by mountMetrics when METRICS_TOKEN is set): requests,
 * the database pool, retried transactions, scheduled jobs, leases, queues, the outbox and
 * the event streams, with Node's own process figures.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: MetricsRegistry,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => {
        const registry = new MetricsRegistry();
        // Node's own figures (CPU, memory, event loop, GC) only when someone reads them.
        if (config.get('METRICS_TOKEN')) collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    HttpMetrics,
    DatabasePoolMetrics,
    TransactionMetrics,
    JobMetrics,
    WorkloadReader,
    WorkloadMetrics,
    { provide: APP_INTERCEPTOR, useClass: StreamMetricsInterceptor },
  ],
  exports: [MetricsRegistry, HttpMetrics],
})
export class MetricsModule {}
