/**
 * `BENCH_ONLY=register npm run bench`: the opposition register's import and the re-check
 * of the campaigns against it.
 *
 *   1. writes a register file of BENCH_REGISTER_ROWS numbers (default 5,000,000) to disk,
 *      streamed: one number a line, typed the ways the register's exports and lists type them
 *      (plain national digits, spaced, +39), with a header;
 *   2. imports it through the real path (DoNotCallRegister.importRegister, the method the API
 *      calls, fed a file read stream) into an empty list, with no campaign to check;
 *   3. loads the same numbers, already normalised, with raw multi-row INSERTs through mysql2
 *      into the emptied list (the columns the import writes), in batches of the same size;
 *   4. fills one marketing campaign with BENCH_RECHECK_CONTACTS contacts (default 1,000,000;
 *      one in BENCH_RECHECK_EVERY, default 10, on the list) and times the re-check.
 * It prints the rates, the import's ratio to raw (target >= 0.7), the peak RSS of each phase,
 * and the re-check's time and rows removed.
 *
 * BENCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/esito_bench) is dropped and
 * created again. Figures, not a test: run it on a quiet machine, twice.
 */
import 'reflect-metadata';
import { createReadStream, createWriteStream, statSync, unlinkSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import {
  configureBenchEnvironment,
  cpuMs,
  databaseCpuMeter,
  mb,
  MemorySampler,
  recreateDatabase,
  settled,
} from './bench-support';

const ROWS = Number(process.env.BENCH_REGISTER_ROWS ?? 5_000_000);
const CONTACTS = Number(process.env.BENCH_RECHECK_CONTACTS ?? 1_000_000);
const EVERY = Number(process.env.BENCH_RECHECK_EVERY ?? 10);
const URL_TEXT = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench';
const REGISTER_DATE = '2026-01-15';

/** Italian mobile prefixes in use. */
const PREFIXES = [
  320, 324, 327, 328, 329, 330, 331, 333, 334, 335, 336, 337, 338, 339, 340, 342, 344, 345, 346,
  347, 348, 349, 350, 351, 352, 366, 368, 370, 371, 373, 377, 380, 388, 389, 391, 392, 393,
];

/** Number i: unique (a bijection of i, 7919 prime), as typed in the file and as stored. */
function numberOf(i: number): { typed: string; phone: string } {
  const prefix = PREFIXES[i % PREFIXES.length]!;
  const subscriber = String((Math.floor(i / PREFIXES.length) * 7919) % 10_000_000).padStart(7, '0');
  const national = `${prefix}${subscriber}`;
  const style = i % 3;
  const typed = style === 0 ? national : style === 1 ? `${prefix} ${subscriber}` : `+39${national}`;
  return { typed, phone: `+39${national}` };
}

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  let buffer = 'telefono\n';
  for (let i = 0; i < ROWS; i++) {
    buffer += `${numberOf(i).typed}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const rate = (rows: number, ms: number) => Math.round((rows * 1000) / ms);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  configureBenchEnvironment(URL_TEXT);
  const { AppModule } = await import('../src/app.module');
  const { DoNotCallRegister, REGISTER_BATCH_ROWS } =
    await import('../src/do-not-call/do-not-call-register');
  const { Campaign } = await import('../src/campaigns/campaign.entity');
  const { windowsOf } = await import('../src/campaigns/calling-hours');

  const file = join(tmpdir(), `esito-register-${ROWS}.txt`);
  console.log(
    `bench register: ${ROWS.toLocaleString('en')} numbers, re-check of ${CONTACTS.toLocaleString('en')} contacts, database ${URL_TEXT}`,
  );
  let started = Date.now();
  await writeFile(file);
  console.log(
    `file: ${file}, ${mb(statSync(file).size)}, written in ${seconds(Date.now() - started)}`,
  );

  await recreateDatabase(URL_TEXT);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const dataSource = app.get(DataSource);
  const register = app.get(DoNotCallRegister);
  const rss = new MemorySampler();
  const boot = process.memoryUsage();
  const serverCpu = await databaseCpuMeter(dataSource);

  // (a) the real import path, into an empty list (no campaign yet: nothing to check)
  await settled(dataSource);
  rss.reset();
  let cpu = process.cpuUsage();
  let server = serverCpu();
  started = Date.now();
  const summary = await register.importRegister(createReadStream(file), REGISTER_DATE, null);
  const importMs = Date.now() - started;
  const importCpu = cpuMs(process.cpuUsage(cpu));
  const importServer = serverCpu() - server;
  const importPeak = rss.peak();
  if (summary.imported !== ROWS || summary.badCount !== 0) {
    throw new Error(`the import wrote ${summary.imported} of ${ROWS}: ${JSON.stringify(summary)}`);
  }

  // (b) raw multi-row INSERTs of the same numbers through mysql2, same batch size
  await dataSource.query('TRUNCATE TABLE do_not_call_numbers');
  await settled(dataSource);
  const raw = await createConnection({ uri: URL_TEXT, charset: 'utf8mb4_unicode_ci' });
  rss.reset();
  cpu = process.cpuUsage();
  server = serverCpu();
  started = Date.now();
  let batch: Array<Array<string | null>> = [];
  for (let i = 0; i < ROWS; i++) {
    batch.push([numberOf(i).phone, 'register', 'marketing', REGISTER_DATE, null]);
    if (batch.length === REGISTER_BATCH_ROWS || i === ROWS - 1) {
      await raw.query(
        'INSERT INTO do_not_call_numbers (phone, source, scope, register_date, added_by) VALUES ?',
        [batch],
      );
      batch = [];
    }
  }
  const rawMs = Date.now() - started;
  const rawCpu = cpuMs(process.cpuUsage(cpu));
  const rawServer = serverCpu() - server;
  const rawPeak = rss.peak();

  // (c) the re-check of one marketing campaign of CONTACTS contacts, one in EVERY listed
  const campaign = await dataSource.getRepository(Campaign).save({
    code: 'BENCH_RPO',
    name: 'Bench RPO',
    timezone: 'Europe/Rome',
    purpose: 'marketing',
    callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }),
  });
  let rows: Array<Array<string | number>> = [];
  for (let i = 0; i < CONTACTS; i++) {
    // Listed numbers are those of the file (i < ROWS); the others come after it.
    const n = i % EVERY === 0 && i < ROWS ? i : ROWS + i;
    rows.push([campaign.id, 'Nome', 'Cognome', numberOf(n).phone]);
    if (rows.length === 10_000 || i === CONTACTS - 1) {
      await raw.query('INSERT INTO contacts (campaign_id, first_name, last_name, phone) VALUES ?', [
        rows,
      ]);
      rows = [];
    }
  }
  await raw.end();
  await settled(dataSource);
  rss.reset();
  started = Date.now();
  const recheck = await register.recheck(null);
  const recheckMs = Date.now() - started;
  const recheckPeak = rss.peak();
  rss.stop();
  await app.close();
  unlinkSync(file);

  const rawRate = rate(ROWS, rawMs);
  const cpuText = (node: number, db: number) =>
    `CPU node ${seconds(node)}${db >= 0 ? ` + database ${seconds(db)}` : ''}`;
  console.log(`batch size: ${REGISTER_BATCH_ROWS} numbers per INSERT`);
  console.log(`after boot: RSS ${mb(boot.rss)} (JS heap ${mb(boot.heapUsed)})`);
  console.log(
    `register import: ${ROWS.toLocaleString('en')} numbers in ${seconds(importMs)} = ${rate(ROWS, importMs).toLocaleString('en')} rows/s, peak RSS ${mb(importPeak.rss)} (JS heap ${mb(importPeak.heap)}), ${cpuText(importCpu, importServer)}`,
  );
  console.log(
    `raw INSERT:      ${ROWS.toLocaleString('en')} numbers in ${seconds(rawMs)} = ${rawRate.toLocaleString('en')} rows/s, peak RSS ${mb(rawPeak.rss)} (JS heap ${mb(rawPeak.heap)}), ${cpuText(rawCpu, rawServer)}`,
  );
  console.log(`ratio import/raw: ${(rate(ROWS, importMs) / rawRate).toFixed(2)} (target >= 0.7)`);
  console.log(
    `re-check: ${CONTACTS.toLocaleString('en')} contacts in ${seconds(recheckMs)}, ${recheck.removed.toLocaleString('en')} removed (expected ${Math.ceil(Math.min(CONTACTS, ROWS) / EVERY).toLocaleString('en')}), peak RSS ${mb(recheckPeak.rss)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
