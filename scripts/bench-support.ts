/** Measuring helpers shared by the benchmarks (scripts/bench-*.ts). */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createConnection } from 'mysql2/promise';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';

/** Samples the RSS and the JS heap every 20 ms; `peak()` since the last `reset()`. */
export class MemorySampler {
  private rss = 0;
  private heap = 0;
  private overall = 0;
  private readonly timer = setInterval(() => this.sample(), 20);

  sample(): void {
    const usage = process.memoryUsage();
    this.rss = Math.max(this.rss, usage.rss);
    this.heap = Math.max(this.heap, usage.heapUsed);
    this.overall = Math.max(this.overall, usage.rss);
  }

  reset(): void {
    this.rss = 0;
    this.heap = 0;
    this.sample();
  }

  peak(): { rss: number; heap: number } {
    this.sample();
    return { rss: this.rss, heap: this.heap };
  }

  /** The highest RSS of the whole run. */
  peakOverall(): number {
    this.sample();
    return this.overall;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/**
 * Waits (at most a minute) until InnoDB has flushed the pages a phase left dirty: a phase
 * run while the last one's writes are still being flushed is a quarter slower whatever it
 * does, which would put the order of the phases in their ratios.
 */
export async function settled(dataSource: DataSource): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const [row] = await dataSource.query<Array<{ Value: string }>>(
      "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'",
    );
    if (Number(row?.Value ?? 0) < 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * CPU milliseconds the database server has used so far, when it runs on this machine
 * (read from /proc through its pid file); -1 when that cannot be known.
 */
export async function databaseCpuMeter(dataSource: DataSource): Promise<() => number> {
  try {
    const rows = await dataSource.query<Array<{ file: string }>>('SELECT @@pid_file AS file');
    const pid = readFileSync(rows[0]!.file, 'utf8').trim();
    const ticksPerMs = 100 / 1000; // USER_HZ
    const read = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    };
    read();
    return read;
  } catch {
    return () => -1;
  }
}

/** The app reads its configuration when AppModule loads: call this before importing it. */
export function configureBenchEnvironment(databaseUrl: string): void {
  process.env.DATABASE_URL = databaseUrl;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  process.env.ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'bench-admin-password';
  process.env.DEMO = 'false';
}

/** Drops the benchmark's database named in `urlText` and creates it empty. */
export async function recreateDatabase(urlText: string): Promise<void> {
  const url = new URL(urlText);
  const name = url.pathname.slice(1);
  url.pathname = '/';
  const admin = await createConnection(url.toString());
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
/** The load average over 1 / 5 / 15 minutes. */
export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summary(values: number[]): string {
  return `n=${values.length} p50 ${ms(percentile(values, 50))} p90 ${ms(percentile(values, 90))} p99 ${ms(percentile(values, 99))} max ${ms(Math.max(...values))}`;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** A keep-alive JSON client, as a workstation's browser keeps its connection open. */
export class Http {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  constructor(private readonly port: number) {}

  call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...extra,
            accept: 'application/json',
            ...(payload !== undefined
              ? {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }
              : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: text });
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

export interface ListeningBench {
  app: NestExpressApplication;
  http: Http;
  dataSource: DataSource;
  /** A bearer token of the user, as the API's login would issue. */
  tokenFor: (userId: number) => Promise<string>;
}

/**
 * The application on `databaseUrl` (dropped and created empty first), listening on a free
 * local port, with a keep-alive client to it. Loads the app only after configuring it.
 */
export async function startListeningApp(databaseUrl: string): Promise<ListeningBench> {
  configureBenchEnvironment(databaseUrl);
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { configureApp, NEST_APP_OPTIONS } = await import('../src/app.setup');
  const { DataSource: DataSourceClass } = await import('typeorm');
  const { AuthService } = await import('../src/auth/auth.service');
  const { User } = await import('../src/users/user.entity');
  await recreateDatabase(databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, NEST_APP_OPTIONS);
  await configureApp(app);
  await app.listen(0, '127.0.0.1');
  const dataSource = app.get(DataSourceClass);
  return {
    app,
    http: new Http((app.getHttpServer().address() as AddressInfo).port),
    dataSource,
    tokenFor: async (userId) =>
      (
        await app
          .get(AuthService)
          .issueToken(await dataSource.getRepository(User).findOneByOrFail({ id: userId }))
      ).token,
  };
}
