/**
 * `npm run bench`: how fast the contact import is against the database's own speed.
 *
 *   1. writes a CSV of BENCH_ROWS (default 1,000,000) realistic Italian contacts to disk,
 *      streamed, phones unique and typed the ways lists type them: once as the API's plain
 *      UTF-8 CSV, once as Excel saves it in Italy (`;`, Windows-1252, Italian headers:
 *      Nome;Cognome;Telefono;Email;Lingua;Città;Provincia);
 *   2. imports each through the real import path (ContactImportService.importContacts, the
 *      method the API calls, fed a file read stream) in the booted application, into two
 *      campaigns;
 *   3. loads the same rows, already normalised, with raw multi-row INSERTs through mysql2
 *      into the emptied contacts table (the columns the import writes, its list's id too, so
 *      the same indexes and foreign keys), in batches of the same size;
 * and prints the rates, each import's ratio to raw (target >= 0.85) and the peak RSS of
 * each phase.
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
import iconv from 'iconv-lite';
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

/** The API's plain CSV, or Excel's Italian one (`;`, Windows-1252, CRLF, Italian names). */
type Dialect = 'plain' | 'excel';

const DIALECTS: Record<
  Dialect,
  { header: string; separator: string; eol: string; encode: (text: string) => Buffer }
> = {
  plain: {
    header: 'firstName,lastName,phone,email,language,city,province',
    separator: ',',
    eol: '\n',
    encode: (text) => Buffer.from(text, 'utf8'),
  },
  excel: {
    header: 'Nome;Cognome;Telefono;Email;Lingua;Città;Provincia',
    separator: ';',
    eol: '\r\n',
    encode: (text) => iconv.encode(text, 'win1252'),
  },
};

function csvCell(value: string, separator: string): string {
  return value.includes(separator) || /["\n\r]/.test(value)
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

async function writeCsv(path: string, dialect: Dialect): Promise<void> {
  const { header, separator: s, eol, encode } = DIALECTS[dialect];
  const out = createWriteStream(path);
  out.write(encode(`${header}${eol}`));
  let buffer = '';
  for (let i = 0; i < ROWS; i++) {
    const r = row(i);
    const cells = [r.firstName, r.lastName, r.typedPhone, r.email ?? '', 'it', r.city, r.province];
    buffer += cells.map((cell) => csvCell(cell, s)).join(s) + eol;
    if (buffer.length > 1 << 16) {
      if (!out.write(encode(buffer))) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(encode(buffer));
  await once(out, 'finish');
}

const rate = (rows: number, ms: number) => Math.round((rows * 1000) / ms);

async function main(): Promise<void> {
  configureBenchEnvironment(URL_TEXT);
  const { AppModule } = await import('../src/app.module');
  const { ContactImportService, IMPORT_BATCH_ROWS } =
    await import('../src/contacts/contact-import.service');
  const { Campaign } = await import('../src/campaigns/campaign.entity');
  const { ContactList } = await import('../src/contacts/contact-list.entity');
  const { windowsOf } = await import('../src/campaigns/calling-hours');

  const files: Record<Dialect, string> = {
    plain: join(tmpdir(), `esito-bench-${ROWS}.csv`),
    excel: join(tmpdir(), `esito-bench-${ROWS}-excel.csv`),
  };
  console.log(`bench: ${ROWS.toLocaleString('en')} rows, database ${URL_TEXT}`);
  let started = Date.now();
  for (const dialect of ['plain', 'excel'] as const) {
    started = Date.now();
    await writeCsv(files[dialect], dialect);
    console.log(
      `csv (${dialect}): ${files[dialect]}, ${mb(statSync(files[dialect]).size)}, written in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  await recreateDatabase(URL_TEXT);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const dataSource = app.get(DataSource);
  const campaignOf = (code: string) =>
    dataSource.getRepository(Campaign).save({
      code,
      name: code,
      timezone: 'Europe/Rome',
      callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }),
    });
  const campaign = await campaignOf('BENCH');
  const rss = new MemorySampler();
  const boot = process.memoryUsage();
  const serverCpu = await databaseCpuMeter(dataSource);

  // (a) the real import path, once per dialect, each into its own campaign
  const imports: Array<{
    dialect: Dialect;
    ms: number;
    cpu: number;
    server: number;
    peak: ReturnType<MemorySampler['peak']>;
  }> = [];
  let cpu = process.cpuUsage();
  let server = serverCpu();
  for (const dialect of ['plain', 'excel'] as const) {
    const target = dialect === 'plain' ? campaign : await campaignOf('BENCH_XLS');
    // Each import writes into an empty contacts table, as the raw INSERTs do below, once
    // the database has written out the pages the phase before left dirty.
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 0');
    await dataSource.query('TRUNCATE TABLE contacts');
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 1');
    await settled(dataSource);
    rss.reset();
    cpu = process.cpuUsage();
    server = serverCpu();
    started = Date.now();
    const summary = await app
      .get(ContactImportService)
      .importContacts(target.id, createReadStream(files[dialect]), {
        userId: null,
        fileName: `bench-${dialect}.csv`,
      });
    imports.push({
      dialect,
      ms: Date.now() - started,
      cpu: cpuMs(process.cpuUsage(cpu)),
      server: serverCpu() - server,
      peak: rss.peak(),
    });
    if (summary.imported !== ROWS) {
      throw new Error(
        `the ${dialect} import wrote ${summary.imported} of ${ROWS} rows: ${JSON.stringify(summary)}`,
      );
    }
  }

  // (b) raw multi-row INSERTs of the same rows through mysql2, same batch size, with the
  // imports' rows gone and their pages written out like before each import. They go into
  // the contacts table itself, with the columns the import writes (its list too): the same
  // indexes and the same foreign keys checked on every row (campaign and list).
  await dataSource.query('SET FOREIGN_KEY_CHECKS = 0');
  await dataSource.query('TRUNCATE TABLE contacts');
  await dataSource.query('SET FOREIGN_KEY_CHECKS = 1');
  const rawList = await dataSource.getRepository(ContactList).save({
    campaignId: campaign.id,
    name: 'raw',
    sourceFile: null,
    createdBy: null,
    active: true,
  });
  await settled(dataSource);
  const raw = await createConnection({ uri: URL_TEXT, charset: 'utf8mb4_unicode_ci' });
  const columns =
    'campaign_id, first_name, last_name, phone, email, language, city, province, list_id';
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
      rawList.id,
    ]);
    if (batch.length === IMPORT_BATCH_ROWS || i === ROWS - 1) {
      await raw.query(`INSERT INTO contacts (${columns}) VALUES ?`, [batch]);
      batch = [];
    }
  }
  const rawMs = Date.now() - started;
  const rawCpu = cpuMs(process.cpuUsage(cpu));
  const rawServer = serverCpu() - server;
  const rawPeak = rss.peak();
  const [[check]] = (await raw.query('SELECT COUNT(*) AS n FROM contacts')) as unknown as [
    Array<{ n: number }>,
  ];
  await raw.end();
  rss.stop();
  await app.close();
  for (const file of Object.values(files)) unlinkSync(file);

  const rawRate = rate(ROWS, rawMs);
  console.log(`batch size: ${IMPORT_BATCH_ROWS} rows per INSERT`);
  console.log(`after boot, before the import: RSS ${mb(boot.rss)} (JS heap ${mb(boot.heapUsed)})`);
  for (const run of imports) {
    console.log(
      `import path (${run.dialect}): ${ROWS.toLocaleString('en')} rows in ${(run.ms / 1000).toFixed(1)} s = ${rate(ROWS, run.ms).toLocaleString('en')} rows/s, peak RSS ${mb(run.peak.rss)} (JS heap ${mb(run.peak.heap)}), ` +
        `CPU node ${(run.cpu / 1000).toFixed(1)} s${run.server >= 0 ? ` + database ${(run.server / 1000).toFixed(1)} s` : ''}`,
    );
  }
  console.log(
    `raw INSERT:  ${Number(check?.n).toLocaleString('en')} rows in ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toLocaleString('en')} rows/s, peak RSS ${mb(rawPeak.rss)} (JS heap ${mb(rawPeak.heap)}), ` +
      `CPU node ${(rawCpu / 1000).toFixed(1)} s${rawServer >= 0 ? ` + database ${(rawServer / 1000).toFixed(1)} s` : ''}`,
  );
  for (const run of imports) {
    console.log(
      `ratio import/raw (${run.dialect}): ${(rate(ROWS, run.ms) / rawRate).toFixed(2)} (target >= 0.85)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
