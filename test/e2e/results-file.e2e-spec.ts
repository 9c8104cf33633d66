import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import type { Role } from '../../src/common/access/role';
import { ContactList } from '../../src/contacts/contact-list.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Contract } from '../../src/contracts/contract.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createAppointment } from '../factories/appointment.factory';
import { createCallback } from '../factories/callback.factory';
import { createAgent, createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Actor {
  id: number;
  name: string;
  token: string;
}

/** The workbook in the bytes (exceljs types its input as its own Buffer). */
async function openXlsx(body: unknown): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as ExcelJS.Buffer);
  return workbook;
}

/** supertest keeps an XLSX (or any body) as bytes. */
function bytes(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('Results file (esitazione): one row per call, CSV in both dialects and XLSX', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let admin: Actor;
  let coordinator: Actor;
  let operator: Actor;
  let otherOperator: Actor;
  let backoffice: Actor;
  let campaign: Campaign;
  let otherCampaign: Campaign;
  let listA: ContactList;
  let listB: ContactList;
  let sale: OutcomeStatus;
  let callback: OutcomeStatus;
  let visit: OutcomeStatus;
  let noAnswer: OutcomeStatus;
  let question: CampaignStep;
  let consent: CampaignStep;
  const ids: Record<'sale' | 'callback' | 'visit' | 'noAnswer', number> = {
    sale: 0,
    callback: 0,
    visit: 0,
    noAnswer: 0,
  };
  const http = () => request(app.getHttpServer());
  const as = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const exportAs = (actor: Actor, query: Record<string, string | number>) =>
    http().get('/api/v1/interactions/export').query(query).set(as(actor));
  const table = (text: string, delimiter = ','): string[][] => {
    const rows: string[][] = parse(text, { bom: true, delimiter });
    return rows;
  };
  /** The rows as objects by header. */
  const records = (text: string, delimiter = ','): Array<Record<string, string>> =>
    parse<Record<string, string>>(text, { bom: true, delimiter, columns: true });

  async function actor(role: Role, displayName: string): Promise<Actor> {
    const user = await createUser(app, { role, displayName });
    return { id: user.id, name: displayName, token: await tokenFor(app, user) };
  }

  async function call(
    contact: Contact,
    status: OutcomeStatus,
    createdAt: string,
    values: Partial<Interaction> = {},
  ): Promise<number> {
    const saved = await db.getRepository(Interaction).save({
      contactId: contact.id,
      campaignId: contact.campaignId,
      operatorId: operator.id,
      statusId: status.id,
      statusType: status.type,
      notes: null,
      answers: null,
      startedAt: new Date(new Date(createdAt).getTime() - 95_000),
      durationSeconds: 95,
      callbackId: null,
      contractId: null,
      contactChanges: null,
      dialledPhone: null,
      appointmentId: null,
      ...values,
    });
    // created_at as the database writes it (UTC), to place the call in time.
    await db.query('UPDATE interactions SET created_at = ? WHERE id = ?', [
      createdAt.replace('T', ' ').replace('Z', ''),
      saved.id,
    ]);
    return saved.id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    await resetDatabase(app);
    admin = await actor('admin', 'Anna Admin');
    coordinator = await actor('coordinator', 'Carla Coordinatrice');
    operator = await actor('operator', 'Oscar Operatore');
    otherOperator = await actor('operator', 'Olga Operatrice');
    backoffice = await actor('backoffice', 'Bruno Backoffice');
    sale = await createStatus(app, { code: 'VEN', label: 'Vendita', type: 'C' });
    callback = await createStatus(app, {
      code: 'RIC',
      label: 'Richiamare',
      type: 'R',
      callbackVisibility: 'private',
    });
    visit = await createStatus(app, { code: 'APP', label: 'Appuntamento', type: 'T' });
    noAnswer = await createStatus(app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
      customerReached: false,
    });
    campaign = await createCampaign(
      app,
      { code: 'LUCE', name: 'Luce e gas' },
      {
        statusIds: [sale.id, callback.id, visit.id, noAnswer.id],
        operatorIds: [operator.id, otherOperator.id],
      },
    );
    otherCampaign = await createCampaign(app, { code: 'ALTRA' });
    const steps = await db.getRepository(CampaignStep).save([
      {
        campaignId: campaign.id,
        position: 3,
        kind: 'question',
        title: 'Fornitore attuale',
        body: null,
        choices: null,
        required: false,
      },
      {
        campaignId: campaign.id,
        position: 4,
        kind: 'consent',
        title: 'Consenso registrazione',
        body: null,
        choices: null,
        required: false,
      },
    ]);
    question = steps[0]!;
    consent = steps[1]!;
    const lists = db.getRepository(ContactList);
    listA = await lists.save({ campaignId: campaign.id, name: 'Marzo A', sourceFile: null });
    listB = await lists.save({ campaignId: campaign.id, name: 'Marzo B', sourceFile: null });
    await lists.save({ campaignId: otherCampaign.id, name: 'Altra', sourceFile: null });
    const agent = await createAgent(app, { name: 'Mario Rossi' });

    const mario = await createContact(app, campaign.id, {
      firstName: 'Mario',
      lastName: 'Bianchi',
      phone: '+393331112222',
      listId: listA.id,
      otherPhones: [{ number: '+390212345678', label: 'casa' }],
    });
    const lucia = await createContact(app, campaign.id, {
      firstName: 'Lucia',
      lastName: 'Verdi',
      listId: listB.id,
    });
    const piero = await createContact(app, campaign.id, { firstName: 'Piero', listId: listA.id });
    const gina = await createContact(app, campaign.id, { firstName: 'Gina', listId: listA.id });
    const stranger = await createContact(app, otherCampaign.id, { firstName: 'Altro' });

    const contract = await db.getRepository(Contract).save({
      protocolNumber: '2026/000123',
      contactId: mario.id,
      campaignId: campaign.id,
      operatorId: operator.id,
      status: 'new',
      customer: {
        firstName: 'Mario',
        lastName: 'Bianchi',
        phone: mario.phone,
        email: null,
        city: null,
        province: null,
      },
      customerFirstName: 'Mario',
      customerLastName: 'Bianchi',
      customerPhone: mario.phone,
      statusChangedAt: null,
      totalNet: '1011.89',
      totalVat: '222.61',
      total: '1234.50',
    });
    // 10 March 2026, 10:15 in Rome (UTC+1): a sale with both answers and a formula-like note.
    ids.sale = await call(mario, sale, '2026-03-10T09:15:00Z', {
      contractId: contract.id,
      dialledPhone: '+390212345678',
      notes: '=HYPERLINK("http://evil.example","x")',
      answers: { [String(question.id)]: 'Enel; da 3 anni', [String(consent.id)]: 'yes' },
    });
    const due = await createCallback(app, campaign.id, {
      contactId: lucia.id,
      ownerId: otherOperator.id,
      visibility: 'private',
      dueAt: new Date('2026-03-12T14:00:00Z'),
    });
    // 23:30 in Rome on the 10th: still the 10th there, though near midnight.
    ids.callback = await call(lucia, callback, '2026-03-10T22:30:00Z', {
      operatorId: otherOperator.id,
      callbackId: due.id,
      notes: 'Richiamare dopo cena',
    });
    const booked = await createAppointment(app, {
      agentId: agent.id,
      campaignId: campaign.id,
      contactId: piero.id,
      startsAt: '2026-03-13T16:30:00Z',
    });
    // 00:30 in Rome on the 11th, though still the 10th in UTC.
    ids.visit = await call(piero, visit, '2026-03-10T23:30:00Z', { appointmentId: booked.id });
    // 23:59 in Rome on the 9th.
    ids.noAnswer = await call(gina, noAnswer, '2026-03-09T22:59:00Z', {
      operatorId: otherOperator.id,
    });
    await call(stranger, noAnswer, '2026-03-10T10:00:00Z');
  });

  afterAll(async () => {
    await app?.close();
    if (!isMysqlRun()) removeSqliteData();
  });

  it('writes one row per call of the day, answers in columns named by their steps (plain CSV)', async () => {
    const res = await exportAs(coordinator, {
      campaignId: campaign.id,
      from: '2026-03-10',
      to: '2026-03-10',
    }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="results-LUCE-/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const [header] = table(res.text);
    expect(header).toEqual([
      'interactionId',
      'date',
      'campaignCode',
      'campaign',
      'list',
      'contactId',
      'firstName',
      'lastName',
      'phone',
      'otherPhones',
      'dialledPhone',
      'operator',
      'statusCode',
      'statusLabel',
      'statusType',
      'customerReached',
      'notes',
      'Fornitore attuale',
      'Consenso registrazione',
      'callbackAt',
      'contractProtocol',
      'contractTotal',
      'appointmentAt',
      'appointmentAgent',
      'durationSeconds',
    ]);
    const rows = records(res.text);
    // Oldest first; the call at 00:30 on the 11th in Rome and the 9th's are not this day.
    expect(rows.map((r) => Number(r.interactionId))).toEqual([ids.sale, ids.callback]);
    expect(rows[0]).toMatchObject({
      date: '2026-03-10 10:15',
      campaignCode: 'LUCE',
      campaign: 'Luce e gas',
      list: 'Marzo A',
      firstName: 'Mario',
      lastName: 'Bianchi',
      phone: '+393331112222',
      otherPhones: 'casa: +390212345678',
      dialledPhone: '+390212345678',
      operator: 'Oscar Operatore',
      statusCode: 'VEN',
      statusLabel: 'Vendita',
      statusType: 'C',
      customerReached: 'yes',
      // Defused: a spreadsheet shows it as text and never runs it.
      notes: `'=HYPERLINK("http://evil.example","x")`,
      'Fornitore attuale': 'Enel; da 3 anni',
      'Consenso registrazione': 'yes',
      callbackAt: '',
      contractProtocol: '2026/000123',
      contractTotal: '1234.50',
      appointmentAt: '',
      durationSeconds: '95',
    });
    // A private callback of another operator: coordinators see it and its words.
    expect(rows[1]).toMatchObject({
      list: 'Marzo B',
      operator: 'Olga Operatrice',
      statusCode: 'RIC',
      statusType: 'R',
      notes: 'Richiamare dopo cena',
      callbackAt: '2026-03-12 15:00',
      contractProtocol: '',
      contractTotal: '',
    });
  });

  it('writes the Italian Excel dialect: BOM, semicolons, decimal comma, Italian headers and values', async () => {
    const res = await exportAs(admin, {
      campaignId: campaign.id,
      from: '2026-03-10',
      to: '2026-03-11',
      dialect: 'excel-it',
    })
      .buffer(true)
      .parse(bytes)
      .expect(200);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    const firstLine = text.slice(1, text.indexOf('\r\n'));
    expect(firstLine.split(';').slice(0, 4)).toEqual([
      'ID chiamata',
      'Data e ora',
      'Codice campagna',
      'Campagna',
    ]);
    const rows = records(text, ';');
    expect(rows.map((r) => Number(r['ID chiamata']))).toEqual([ids.sale, ids.callback, ids.visit]);
    const [saleRow, callbackRow, visitRow] = rows;
    expect(saleRow).toMatchObject({
      'Data e ora': '10/03/2026 10:15',
      'Cliente raggiunto': 'Sì',
      'Protocollo contratto': '2026/000123',
      'Totale contratto': '1234,50',
      'Fornitore attuale': 'Enel; da 3 anni',
      Note: `'=HYPERLINK("http://evil.example","x")`,
      'Durata (secondi)': '95',
    });
    expect(callbackRow!['Richiamata il']).toBe('12/03/2026 15:00');
    expect(visitRow).toMatchObject({
      'Data e ora': '11/03/2026 00:30',
      'Appuntamento il': '13/03/2026 17:30',
      Agente: 'Mario Rossi',
    });
    // The answer with a semicolon is quoted, so it stays in its column.
    expect(text).toContain('"Enel; da 3 anni"');
  });

  it('writes XLSX with real dates and money as numbers, opened again with exceljs', async () => {
    const res = await exportAs(coordinator, {
      campaignId: campaign.id,
      from: '2026-03-10',
      to: '2026-03-11',
      format: 'xlsx',
      dialect: 'excel-it',
    })
      .buffer(true)
      .parse(bytes)
      .expect(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const workbook = await openXlsx(res.body);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    expect(column('Totale contratto')).toBeGreaterThan(0);
    expect(column('Fornitore attuale')).toBeGreaterThan(0);
    expect(sheet.rowCount).toBe(4);
    const saleRow = sheet.getRow(2);
    expect(saleRow.getCell(column('ID chiamata')).value).toBe(ids.sale);
    const date = saleRow.getCell(column('Data e ora'));
    expect(date.value).toBeInstanceOf(Date);
    // The wall-clock time in Rome, as Excel shows dates (no zone).
    expect((date.value as Date).toISOString()).toBe('2026-03-10T10:15:00.000Z');
    expect(date.numFmt).toBe('dd/mm/yyyy hh:mm');
    const total = saleRow.getCell(column('Totale contratto'));
    expect(total.value).toBe(1234.5);
    expect(total.numFmt).toBe('#,##0.00');
    expect(saleRow.getCell(column('Fornitore attuale')).value).toBe('Enel; da 3 anni');
    // Text stays text: a cell typed as a string is never run as a formula.
    expect(saleRow.getCell(column('Note')).value).toBe('=HYPERLINK("http://evil.example","x")');
    expect(sheet.getRow(4).getCell(column('Agente')).value).toBe('Mario Rossi');
  });

  it('filters by list, operators, statuses and local days at the edges of the zone', async () => {
    const idsOf = async (query: Record<string, string | number>) =>
      records(
        (await exportAs(coordinator, { campaignId: campaign.id, ...query }).expect(200)).text,
      ).map((r) => Number(r.interactionId));
    expect(await idsOf({})).toEqual([ids.noAnswer, ids.sale, ids.callback, ids.visit]);
    expect(await idsOf({ listId: listB.id })).toEqual([ids.callback]);
    expect(await idsOf({ operatorIds: String(otherOperator.id) })).toEqual([
      ids.noAnswer,
      ids.callback,
    ]);
    expect(
      await idsOf({ operatorIds: `${operator.id},${otherOperator.id}`, to: '2026-03-09' }),
    ).toEqual([ids.noAnswer]);
    expect(await idsOf({ statusIds: `${sale.id},${visit.id}` })).toEqual([ids.sale, ids.visit]);
    // 23:59 on the 9th and 00:30 on the 11th in Rome, both on other UTC days.
    expect(await idsOf({ from: '2026-03-09', to: '2026-03-09' })).toEqual([ids.noAnswer]);
    expect(await idsOf({ from: '2026-03-11' })).toEqual([ids.visit]);
    // Repeated, as the page's checkboxes send it.
    const repeated = await http()
      .get(
        `/api/v1/interactions/export?campaignId=${campaign.id}&statusIds=${noAnswer.id}&statusIds=${callback.id}`,
      )
      .set(as(coordinator))
      .expect(200);
    expect(records(repeated.text).map((r) => Number(r.interactionId))).toEqual([
      ids.noAnswer,
      ids.callback,
    ]);
  });

  it('lets admins and coordinators in, refuses operators and backoffice, and names a bad filter', async () => {
    await exportAs(operator, { campaignId: campaign.id }).expect(403);
    await exportAs(backoffice, { campaignId: campaign.id }).expect(403);
    await exportAs(admin, { campaignId: campaign.id }).expect(200);
    await http().get('/api/v1/interactions/export').query({ campaignId: campaign.id }).expect(401);
    const missing = await exportAs(coordinator, { campaignId: 999_999 }).expect(404);
    expect(JSON.stringify(missing.body)).toContain('campaign');
    const refusal = async (query: Record<string, string | number>) =>
      JSON.stringify((await exportAs(coordinator, query).expect(400)).body.message);
    expect(await refusal({})).toContain('campaignId');
    expect(await refusal({ campaignId: 'LUCE' })).toContain('campaignId');
    expect(await refusal({ campaignId: campaign.id, from: '2026-02-30' })).toContain('from');
    expect(
      await refusal({ campaignId: campaign.id, from: '2026-03-10', to: '2026-03-09' }),
    ).toContain('to');
    expect(await refusal({ campaignId: campaign.id, operatorIds: '3,x' })).toContain('operatorIds');
    expect(await refusal({ campaignId: campaign.id, statusIds: '-1' })).toContain('statusIds');
    expect(await refusal({ campaignId: campaign.id, format: 'pdf' })).toContain('format');
    expect(await refusal({ campaignId: campaign.id, dialect: 'excel-fr' })).toContain('dialect');
    // A list of another campaign.
    const other = await db.getRepository(ContactList).findOneByOrFail({ name: 'Altra' });
    expect(await refusal({ campaignId: campaign.id, listId: other.id })).toContain('listId');
  });

  it('offers the page to coordinators: a campaign, its lists, operators and outcomes, and the download', async () => {
    const user = await createUser(app, { role: 'coordinator', uiLanguage: 'it' });
    const browser = await signedInAgent(app, user);
    const page = await browser.get('/results').query({ campaignId: campaign.id }).expect(200);
    expect(page.text).toContain('Esitazione');
    expect(page.text).toContain('Marzo A');
    expect(page.text).toContain('Olga Operatrice');
    expect(page.text).toContain('VEN · Vendita');
    expect(page.text).toContain('Fornitore attuale');
    const file = await browser
      .get('/results/download')
      .query({ campaignId: campaign.id, from: '2026-03-10', to: '2026-03-10', dialect: 'excel-it' })
      .expect(200);
    expect(records(file.text, ';').map((r) => Number(r['ID chiamata']))).toEqual([
      ids.sale,
      ids.callback,
    ]);
    const operatorUser = await createUser(app, { role: 'operator' });
    const operatorBrowser = await signedInAgent(app, operatorUser);
    await operatorBrowser.get('/results/download').query({ campaignId: campaign.id }).expect(403);
  });

  describe('the other CSVs in the Italian dialect', () => {
    it('contracts: semicolons, decimal comma, Italian states; XLSX money as numbers', async () => {
      const csv = await http()
        .get('/api/v1/contracts/export.csv')
        .query({ dialect: 'excel-it' })
        .set(as(coordinator))
        .expect(200);
      const rows = records(csv.text, ';');
      expect(rows[0]).toMatchObject({
        'Numero di protocollo': '2026/000123',
        'Data e ora': expect.stringMatching(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/),
        Stato: 'Nuovo',
        Imponibile: '1011,89',
        IVA: '222,61',
        Totale: '1234,50',
      });
      const xlsx = await http()
        .get('/api/v1/contracts/export')
        .query({ format: 'xlsx' })
        .set(as(coordinator))
        .buffer(true)
        .parse(bytes)
        .expect(200);
      const workbook = await openXlsx(xlsx.body);
      const sheet = workbook.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 2)).toEqual(['protocolNumber', 'date']);
      expect(sheet.getRow(2).getCell(header.indexOf('total') + 1).value).toBe(1234.5);
      expect(sheet.getRow(2).getCell(2).value).toBeInstanceOf(Date);
    });

    it('contacts: Italian headers the import reads back, Sì/No, dates in the campaign zone', async () => {
      await db
        .getRepository(Contact)
        .update(
          { firstName: 'Mario', campaignId: campaign.id },
          { consent: true, lastOutcomeAt: new Date('2026-03-10T09:15:00Z') },
        );
      const browser = await signedInAgent(
        app,
        await createUser(app, { role: 'coordinator', uiLanguage: 'it' }),
      );
      const res = await browser
        .get(`/campaigns/${campaign.id}/contacts/export.csv`)
        .query({ dialect: 'it' })
        .expect(200);
      const mario = records(res.text, ';').find((r) => r.Nome === 'Mario');
      expect(mario).toMatchObject({
        Cognome: 'Bianchi',
        Telefono: '+393331112222',
        Consenso: 'Sì',
        'Data ultimo esito': '10/03/2026 10:15',
      });
      // Plain stays as it was: comma, yes/no, ISO instants.
      const plain = await browser.get(`/campaigns/${campaign.id}/contacts/export.csv`).expect(200);
      expect(records(plain.text).find((r) => r.firstName === 'Mario')).toMatchObject({
        consent: 'yes',
        lastOutcomeAt: '2026-03-10T09:15:00.000Z',
      });
    });

    it('reports: the production report with Italian headers', async () => {
      const res = await http()
        .get('/api/v1/reports/production')
        .query({ format: 'csv', dialect: 'excel-it', from: '2026-03-01', to: '2026-03-31' })
        .set(as(coordinator))
        .expect(200);
      expect(table(res.text, ';')[0]).toEqual([
        'ID operatore',
        'Operatore',
        'Team',
        'Contratti',
        'Appuntamenti',
        'Richiamate',
        'Negativi',
        'Esiti',
        'Tasso di conversione',
      ]);
    });
  });
});
