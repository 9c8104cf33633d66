/**
 * `npm run bench` (`BENCH_ONLY=results` for this one alone): the results file ("esitazione")
 * of a campaign with BENCH_ROWS interactions (default 1,000,000, bulk-loaded with raw
 * multi-row INSERTs over a month, 4,000 contacts, ten operators, four statuses, two question
 * steps and a consent; one call in ten made a contract, one in ten a callback, one in twenty
 * an appointment), streamed through ResultsFileService and the shared writer into a sink
 * that throws the bytes away: plain CSV, the Italian Excel dialect, then XLSX.
 *
 * First the baseline: the service's own reads (the same query, the same keyset batches),
 * each row's values joined as text, nothing else; each file's rows/s is also given as a
 * ratio of it. Printed for each: rows, bytes, seconds, rows/s, the first byte's delay and the peak RSS
 * and heap while it ran (target: >= 50,000 rows/s to CSV, memory flat whatever the size),
 * and the machine's load average at start and end (two cores shared with other work make
 * the figures move). Figures, not a test. BENCH_DATABASE_URL (default
 * mysql://root@127.0.0.1:3306/esito_bench_results) is dropped and created again.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createConnection } from 'mysql2/promise';
import { load, mb, MemorySampler, startListeningApp } from './bench-support';

const URL_TEXT =
  process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/esito_bench_results';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const INSERT_ROWS = 5_000;
const CONTACTS = 4_000;
const OPERATORS = 10;
const SPAN_MS = 30 * 86_400_000;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const SUPPLIERS = ['Enel', 'Eni Plenitude', 'A2A', 'Edison', 'Hera', 'Iren'];

interface Setup {
  campaignId: number;
  contactIds: number[];
  operatorIds: number[];
  statuses: Array<{ id: number; type: string }>;
  stepIds: number[];
  contractId: number;
  callbackId: number;
  appointmentId: number;
  start: number;
}

/** `ROWS` interactions over a month, created_at growing with the id as in a real table. */
async function loadInteractions(url: string, setup: Setup): Promise<void> {
  const db = await createConnection(url);
  const columns =
    'contact_id, campaign_id, operator_id, status_id, status_type, notes, answers, started_at, duration_seconds, callback_id, contract_id, appointment_id, dialled_phone, created_at';
  for (let start = 0; start < ROWS; start += INSERT_ROWS) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(ROWS, start + INSERT_ROWS); i++) {
      const at = new Date(setup.start + Math.floor((i * SPAN_MS) / ROWS));
      const status = setup.statuses[i % setup.statuses.length]!;
      rows.push([
        setup.contactIds[(i * 7) % setup.contactIds.length],
        setup.campaignId,
        setup.operatorIds[i % OPERATORS],
        status.id,
        status.type,
        i % 3 === 0 ? `Cliente interessato, richiamare la sera (${i})` : null,
        JSON.stringify({
          [setup.stepIds[0]!]: SUPPLIERS[i % SUPPLIERS.length],
          [setup.stepIds[1]!]: String(1 + (i % 5)),
          [setup.stepIds[2]!]: i % 2 === 0 ? 'yes' : 'no',
        }),
        new Date(at.getTime() - 120_000),
        30 + (i % 600),
        i % 10 === 1 ? setup.callbackId : null,
        i % 10 === 2 ? setup.contractId : null,
        i % 20 === 3 ? setup.appointmentId : null,
        null,
        at,
      ]);
    }
    await db.query(`INSERT INTO interactions (${columns}) VALUES ?`, [rows]);
  }
  await db.end();
}

/** A sink that counts the bytes and the moment the first one came. */
function nullSink(started: number): { sink: Writable; bytes: () => number; firstMs: () => number } {
  let bytes = 0;
  let first = -1;
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (first < 0 && bytes > 0) first = performance.now() - started;
      bytes += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => bytes, firstMs: () => first };
}

async function main(): Promise<void> {
  const { createAgent, createCampaign, createStatus } =
    await import('../test/factories/catalogue.factory');
  const { createContact } = await import('../test/factories/contact.factory');
  const { createCallback } = await import('../test/factories/callback.factory');
  const { createAppointment } = await import('../test/factories/appointment.factory');
  const { createUser } = await import('../test/factories/user.factory');
  const { ResultsFileService } = await import('../src/results/results-file.service');
  const { csvStream, writeXlsx } = await import('../src/common/csv/export-table');
  const { EXCEL_IT, PLAIN } = await import('../src/common/csv/export-dialect');
  const { CampaignStep } = await import('../src/campaigns/campaign-step.entity');
  const { Contract } = await import('../src/contracts/contract.entity');

  console.log(
    `bench-results: ${ROWS.toLocaleString('en')} interactions, one campaign, database ${URL_TEXT}`,
  );
  console.log(`load average at start (1 / 5 / 15 min): ${load()}`);
  const { app, http, dataSource } = await startListeningApp(URL_TEXT);

  const statuses = [
    await createStatus(app, { code: 'VEN', label: 'Vendita', type: 'C' }),
    await createStatus(app, { code: 'RIC', label: 'Richiamare', type: 'R' }),
    await createStatus(app, { code: 'APP', label: 'Appuntamento', type: 'T' }),
    await createStatus(app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
      customerReached: false,
    }),
  ];
  const operatorIds: number[] = [];
  for (let o = 0; o < OPERATORS; o++)
    operatorIds.push((await createUser(app, { role: 'operator' })).id);
  const campaign = await createCampaign(
    app,
    { code: 'BENCH' },
    { statusIds: statuses.map((s) => s.id), operatorIds },
  );
  const steps = await dataSource.getRepository(CampaignStep).save(
    ['Fornitore attuale', 'Quanti in famiglia', 'Consenso registrazione'].map((title, i) => ({
      campaignId: campaign.id,
      position: 3 + i,
      kind: i === 2 ? ('consent' as const) : ('question' as const),
      title,
      body: null,
      choices: null,
      required: false,
    })),
  );
  const contactIds: number[] = [];
  for (let c = 0; c < CONTACTS; c++) contactIds.push((await createContact(app, campaign.id)).id);
  const agent = await createAgent(app, { name: 'Mario Rossi' });
  const callback = await createCallback(app, campaign.id, { contactId: contactIds[1]! });
  const appointment = await createAppointment(app, {
    agentId: agent.id,
    campaignId: campaign.id,
    contactId: contactIds[3]!,
    startsAt: '2026-03-13T16:30:00Z',
  });
  const contract = await dataSource.getRepository(Contract).save({
    protocolNumber: '2026/000001',
    contactId: contactIds[2]!,
    campaignId: campaign.id,
    operatorId: operatorIds[0]!,
    status: 'new',
    customer: {
      firstName: 'A',
      lastName: 'B',
      phone: '+393330000000',
      email: null,
      city: null,
      province: null,
    },
    customerFirstName: 'A',
    customerLastName: 'B',
    customerPhone: '+393330000000',
    statusChangedAt: null,
    totalNet: '1011.89',
    totalVat: '222.61',
    total: '1234.50',
  });
  const setup: Setup = {
    campaignId: campaign.id,
    contactIds,
    operatorIds,
    statuses: statuses.map((s) => ({ id: s.id, type: s.type })),
    stepIds: steps.map((s) => s.id),
    contractId: contract.id,
    callbackId: callback.id,
    appointmentId: appointment.id,
    start: Date.parse('2026-03-01T00:00:00Z'),
  };

  const loadStarted = performance.now();
  await loadInteractions(URL_TEXT, setup);
  await dataSource.query('ANALYZE TABLE interactions');
  console.log(
    `loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; settling ${SETTLE_MS / 1000} s`,
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  const service = app.get(ResultsFileService);
  const viewer = { id: 1, role: 'admin' as const, campaignIds: [] };
  const memory = new MemorySampler();
  let rawRate = 0;

  // The baseline: the service's own reads (the same query, in the same keyset batches),
  // each row's values joined as text into the same sink; nothing else. What the file costs
  // beyond the database is the product's share.
  {
    global.gc?.();
    memory.reset();
    const started = performance.now();
    const { sink, bytes } = nullSink(started);
    let rows = 0;
    const read = service as unknown as {
      campaign(id: number): Promise<unknown>;
      where(campaign: unknown, filters: object): unknown;
      batch(
        where: unknown,
        cursor: { createdKey: string; id: number } | null,
      ): Promise<Array<Record<string, unknown>>>;
    };
    const where = read.where(await read.campaign(campaign.id), { campaignId: campaign.id });
    let cursor: { createdKey: string; id: number } | null = null;
    for (;;) {
      const records = await read.batch(where, cursor);
      if (records.length === 0) break;
      rows += records.length;
      const text = records.map((r) => Object.values(r).join(';')).join('\n');
      if (!sink.write(text)) await new Promise((resolve) => sink.once('drain', resolve));
      const last = records[records.length - 1]!;
      cursor = { createdKey: String(last.created_key), id: Number(last.id) };
    }
    sink.end();
    const seconds = (performance.now() - started) / 1000;
    rawRate = rows / seconds;
    console.log(
      `  ${'raw reads'.padEnd(13)} ${rows.toLocaleString('en')} rows, ${mb(bytes())} in ${seconds.toFixed(1)} s: ${Math.round(rawRate).toLocaleString('en')} rows/s (the baseline: the same query and batches, values joined); RSS peak ${mb(memory.peak().rss)}`,
    );
  }
  const runs: Array<
    [string, (table: Awaited<ReturnType<typeof service.table>>, sink: Writable) => Promise<void>]
  > = [
    ['CSV plain', (table, sink) => pipeline(csvStream(table, PLAIN), sink)],
    ['CSV excel-it', (table, sink) => pipeline(csvStream(table, EXCEL_IT), sink)],
    ['XLSX', (table, sink) => writeXlsx(table, EXCEL_IT, sink)],
  ];
  for (const [name, run] of runs) {
    global.gc?.();
    memory.reset();
    const before = memory.peak();
    const started = performance.now();
    const { sink, bytes, firstMs } = nullSink(started);
    let rows = 0;
    const table = await service.table(viewer, { campaignId: campaign.id });
    const counted = {
      ...table,
      batches: (async function* () {
        for await (const batch of table.batches) {
          rows += batch.length;
          yield batch;
        }
      })(),
    };
    await run(counted, sink);
    const seconds = (performance.now() - started) / 1000;
    const peak = memory.peak();
    console.log(
      `  ${name.padEnd(13)} ${rows.toLocaleString('en')} rows, ${mb(bytes())} in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds).toLocaleString('en')} rows/s = ${(rows / seconds / rawRate).toFixed(2)} of the raw reads; first rows after ${firstMs().toFixed(0)} ms; RSS ${mb(before.rss)} -> peak ${mb(peak.rss)}, heap peak ${mb(peak.heap)}`,
    );
  }
  memory.stop();
  console.log(`load average at end (1 / 5 / 15 min): ${load()}`);
  http.close();
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
