import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';

/**
 * This instance's metrics, as GET /metrics writes them. A registry of its own rather than
 * prom-client's global one: the tests boot several apps in one process.
 */
@Injectable()
export class MetricsRegistry extends Registry {}
