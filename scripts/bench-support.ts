/** Measuring helpers shared by the benchmarks (scripts/bench-*.ts). */
import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
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
