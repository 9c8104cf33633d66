/**
 * `npm run bench`: how fast the contact import is against the database's own speed.
 *
 *   1. writes a CSV of BENCH_ROWS (default 1,000,000) realistic Italian contacts to disk,
 *      streamed, phones unique and typed the ways lists type them;
 *   2. imports it through the real import path (ContactImportService.importContacts, the
 *      method the API calls, fed a file read stream) in the booted application;
 *   3. loads the same rows, already normalised, with raw multi-row INSERTs through mysql2
 *      into an empty copy of the contacts table, in batches of the same size;
 * and prints both rates, their ratio (target >= 0.70) and the peak RSS of each phase.
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
} from './bench-support';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const URL_TEXT = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench';

const FIRST_NAMES = [
  'Maria',
  'Giuseppe',
  'Anna',
  'Giovanni',
  'Francesca',
  'Antonio',
  'Giulia',
  'Marco',
  'Sara',
  'Luca',
  'Chiara',
  'Alessandro',
  'Martina',
  'Francesco',
  'Elena',
  'Matteo',
  'Valentina',
  'Lorenzo',
  'Federica',
  'Andrea',
  'Nicolò',
  'Zoë',
  'Gianluca',
  'Ilaria',
  'Davide',
];
const LAST_NAMES = [
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Romano',
  'Colombo',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
  'De Luca',
  'Mancini',
  'Costa',
  'Giordano',
  'Rizzo',
  'Lombardi',
  'Moretti',
  "D'Angelo",
  'Barbieri',
  'Fontana',
  'Santoro',
  'Mariani',
];
const PLACES: Array<[string, string]> = [
  ['Milano', 'MI'],
  ['Roma', 'RM'],
  ['Napoli', 'NA'],
  ['Torino', 'TO'],
  ['Palermo', 'PA'],
  ['Genova', 'GE'],
  ['Bologna', 'BO'],
  ['Firenze', 'FI'],
  ['Bari', 'BA'],
  ['Catania', 'CT'],
  ['Forlì', 'FC'],
  ['Reggio nell’Emilia', 'RE'],
  ['Sant’Agata', 'ME'],
  ['Aosta', 'AO'],
];
/** Italian mobile prefixes in use. */
const PREFIXES = [
  320, 324, 327, 328, 329, 330, 331, 333, 334, 335, 336, 337, 338, 339, 340, 342, 344, 345, 346,
  347, 348, 349, 350, 351, 352, 366, 368, 370, 371, 373, 377, 380, 388, 389, 391, 392, 393,
];

interface BenchRow {
  firstName: string;
  lastName: string;
  /** As typed in the file. */
  typedPhone: string;
  /** As the import stores it (E.164). */
  phone: string;
  email: string | null;
  city: string;
  province: string;
}

/** Row i of the file: unique phone (a bijection of i), names and places cycling. */
function row(i: number): BenchRow {
  const prefix = PREFIXES[i % PREFIXES.length]!;
  // 7919 is prime, so i -> i * 7919 mod 10^7 is a permutation: numbers look random, never repeat.
  const subscriber = String((Math.floor(i / PREFIXES.length) * 7919) % 10_000_000).padStart(7, '0');
  const national = `${prefix}${subscriber}`;
  const style = i % 4;
  const typedPhone =
    style === 0
      ? national
      : style === 1
        ? `${prefix} ${subscriber}`
        : style === 2
          ? `+39 ${prefix} ${subscriber.slice(0, 3)} ${subscriber.slice(3)}`
          : `+39${national}`;
  const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
  const lastName = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
  const [city, province] = PLACES[(i * 3) % PLACES.length]!;
  const email =
    i % 2 === 0
      ? `${firstName}.${lastName.replace(/[^A-Za-z]/g, '')}${i}@example.it`.toLowerCase()
      : null;
  return { firstName, lastName, typedPhone, phone: `+39${national}`, email, city, province };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('firstName,lastName,phone,email,language,city,province\n');
  let buffer = '';
  for (let i = 0; i < ROWS; i++) {
    const r = row(i);
    buffer += `${csvCell(r.firstName)},${csvCell(r.lastName)},${r.typedPhone},${r.email ?? ''},it,${csvCell(r.city)},${r.province}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const rate = (rows: number, ms: number) => Math.round((rows * 1000) / ms);

async function main(): Promise<void> {
  configureBenchEnvironment(URL_TEXT);
  const { AppModule } = await import('../src/app.module');
  const { ContactImportService, IMPORT_BATCH_ROWS } =
    await import('../src/contacts/contact-import.service');
  const { Campaign } = await import('../src/campaigns/campaign.entity');

  const file = join(tmpdir(), `esito-bench-${ROWS}.csv`);
  console.log(`bench: ${ROWS.toLocaleString('en')} rows, database ${URL_TEXT}`);
  let started = Date.now();
  await writeCsv(file);
  console.log(
    `csv: ${file}, ${mb(statSync(file).size)}, written in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  await recreateDatabase(URL_TEXT);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const dataSource = app.get(DataSource);
  const campaign = await dataSource.getRepository(Campaign).save({
    code: 'BENCH',
    name: 'Bench',
    timezone: 'Europe/Rome',
    callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' },
  });
  const rss = new MemorySampler();
  const boot = process.memoryUsage();

  // (a) the real import path
  rss.reset();
  const serverCpu = await databaseCpuMeter(dataSource);
  let cpu = process.cpuUsage();
  let server = serverCpu();
  started = Date.now();
  const summary = await app
    .get(ContactImportService)
    .importContacts(campaign.id, createReadStream(file), { userId: null, fileName: 'bench.csv' });
  const importMs = Date.now() - started;
  const importCpu = cpuMs(process.cpuUsage(cpu));
  const importServer = serverCpu() - server;
  const importPeak = rss.peak();
  if (summary.imported !== ROWS) {
    throw new Error(
      `the import wrote ${summary.imported} of ${ROWS} rows: ${JSON.stringify(summary)}`,
    );
  }

  // (b) raw multi-row INSERTs of the same rows through mysql2, same batch size
  const raw = await createConnection({ uri: URL_TEXT, charset: 'utf8mb4_unicode_ci' });
  await raw.query('DROP TABLE IF EXISTS contacts_raw');
  await raw.query('CREATE TABLE contacts_raw LIKE contacts');
  const columns =
    'campaign_id, first_name, last_name, phone, email, language, city, province, fields';
  rss.reset();
  cpu = process.cpuUsage();
  server = serverCpu();
  started = Date.now();
  let batch: Array<Array<string | number | null>> = [];
  for (let i = 0; i < ROWS; i++) {
    const r = row(i);
    batch.push([
      campaign.id,
      r.firstName,
      r.lastName,
      r.phone,
      r.email,
      'it',
      r.city,
      r.province,
      null,
    ]);
    if (batch.length === IMPORT_BATCH_ROWS || i === ROWS - 1) {
      await raw.query(`INSERT INTO contacts_raw (${columns}) VALUES ?`, [batch]);
      batch = [];
    }
  }
  const rawMs = Date.now() - started;
  const rawCpu = cpuMs(process.cpuUsage(cpu));
  const rawServer = serverCpu() - server;
  const rawPeak = rss.peak();
  const [[check]] = (await raw.query('SELECT COUNT(*) AS n FROM contacts_raw')) as unknown as [
    Array<{ n: number }>,
  ];
  await raw.end();
  rss.stop();
  await app.close();
  unlinkSync(file);

  const importRate = rate(ROWS, importMs);
  const rawRate = rate(ROWS, rawMs);
  console.log(`batch size: ${IMPORT_BATCH_ROWS} rows per INSERT`);
  console.log(`after boot, before the import: RSS ${mb(boot.rss)} (JS heap ${mb(boot.heapUsed)})`);
  console.log(
    `import path: ${summary.imported.toLocaleString('en')} rows in ${(importMs / 1000).toFixed(1)} s = ${importRate.toLocaleString('en')} rows/s, peak RSS ${mb(importPeak.rss)} (JS heap ${mb(importPeak.heap)}), ` +
      `CPU node ${(importCpu / 1000).toFixed(1)} s${importServer >= 0 ? ` + database ${(importServer / 1000).toFixed(1)} s` : ''}`,
  );
  console.log(
    `raw INSERT:  ${Number(check?.n).toLocaleString('en')} rows in ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toLocaleString('en')} rows/s, peak RSS ${mb(rawPeak.rss)} (JS heap ${mb(rawPeak.heap)}), ` +
      `CPU node ${(rawCpu / 1000).toFixed(1)} s${rawServer >= 0 ? ` + database ${(rawServer / 1000).toFixed(1)} s` : ''}`,
  );
  console.log(`ratio import/raw: ${(importRate / rawRate).toFixed(2)} (target >= 0.70)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
