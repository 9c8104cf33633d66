import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import type { Role } from '../../src/common/access/role';
import { Clock } from '../../src/common/time/clock';
import type { Contact } from '../../src/contacts/contact.entity';
import { ContractStatusChange } from '../../src/contracts/contract-status-change.entity';
import { Contract } from '../../src/contracts/contract.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { Product } from '../../src/products/product.entity';
import { seedDemoContractReasons } from '../../src/demo/demo-catalogue';
import { createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor, type TestUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Actor {
  user: TestUser;
  token: string;
}

/** Real-looking values: a fiscal code, an IBAN, a POD with their check characters right. */
const FISCAL_CODE = 'RSSMRA85T10A562S';
const IBAN = 'IT60X0542811101000000123456';

/** supertest keeps an XLSX (or any body) as bytes. */
function bytes(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('Contract fields: bound question steps, checked at the outcome, shown, searched; suspensions with reasons', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: Actor;
  let coordinator: Actor;
  let backoffice: Actor;
  let operator: Actor;
  let otherOperator: Actor;
  let sale: OutcomeStatus;
  let fibra: Product;
  let campaignId: number;
  /** The bound steps' ids, by field. */
  let stepOf: Record<'fiscalCode' | 'iban' | 'pod' | 'colour', number>;
  const http = () => request(app.getHttpServer());
  const as = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const move = (actor: Actor, id: number, body: object) =>
    http().post(`/api/v1/contracts/${id}/status`).set(as(actor)).send(body);
  const search = async (actor: Actor, q: string, extra: Record<string, string | number> = {}) => {
    const res = await http()
      .get('/api/v1/contracts')
      .query({ q, ...extra })
      .set(as(actor))
      .expect(200);
    return (res.body.items as Array<{ protocolNumber: string }>).map((i) => i.protocolNumber);
  };

  async function actor(role: Role, displayName: string): Promise<Actor> {
    const user = await createUser(app, { role, displayName });
    return { user, token: await tokenFor(app, user) };
  }

  /** A campaign as an admin saves it, with these workflow steps before the outcome. */
  const saveCampaign = (steps: object[], code = 'LUCE') =>
    http()
      .post('/api/v1/campaigns')
      .set(as(admin))
      .send({
        code,
        name: 'Luce e gas',
        holidays: null,
        callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
        steps: [...steps, { kind: 'outcome', title: 'Esito' }],
        statusIds: [sale.id],
        productIds: [fibra.id],
        operatorIds: [operator.user.id],
      });

  async function lease(op: Actor, contact: Partial<Contact>): Promise<number> {
    const created = await createContact(app, campaignId, contact);
    const res = await http().post('/api/v1/work/next').set(as(op)).send({ campaignId });
    expect(res.status).toBe(200);
    expect(res.body.contact.id).toBe(created.id);
    return created.id;
  }

  const confirm = (op: Actor, contactId: number, answers: Record<number, string>) =>
    http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(op))
      .send({ statusId: sale.id, cart: [{ productId: fibra.id, quantity: 1 }], answers });

  /** A whole sale with these answers; its contract's id and number. */
  async function close(contact: Partial<Contact>, answers: Record<number, string> = {}) {
    const contactId = await lease(operator, contact);
    const res = await confirm(operator, contactId, answers).expect(201);
    return res.body.contract as { id: number; protocolNumber: string };
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(new Date('2026-11-30T10:00:00Z'));
    await resetDatabase(app);
    // The reasons the migration seeds (the reset empties every table).
    await seedDemoContractReasons(db.manager);
    admin = await actor('admin', 'Elena Admin');
    coordinator = await actor('coordinator', 'Dario Coordinatore');
    backoffice = await actor('backoffice', 'Carla Backoffice');
    operator = await actor('operator', 'Anna Operatrice');
    otherOperator = await actor('operator', 'Bruno Operatore');
    sale = await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C' });
    fibra = await createProduct(app, { code: 'LUCE', unitPrice: '10.00', vatRate: '22.00' });
    const saved = await saveCampaign([
      { kind: 'question', title: 'Codice fiscale', contractField: 'fiscalCode' },
      { kind: 'question', title: 'IBAN', contractField: 'iban' },
      { kind: 'question', title: 'POD', contractField: 'pod' },
      { kind: 'question', title: 'Colore preferito', contractField: 'custom:colour' },
      { kind: 'notes', title: 'Note' },
    ]).expect(201);
    campaignId = saved.body.id as number;
    const steps = saved.body.steps as Array<{ id: number; contractField: string | null }>;
    const id = (field: string) => steps.find((s) => s.contractField === field)!.id;
    stepOf = {
      fiscalCode: id('fiscalCode'),
      iban: id('iban'),
      pod: id('pod'),
      colour: id('custom:colour'),
    };
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('binding a question step', () => {
    it('refuses an unknown field, a field bound twice and a binding on another kind, naming the step', async () => {
      const unknown = await saveCampaign(
        [{ kind: 'question', title: 'CF', contractField: 'fiscal_code' }],
        'X1',
      ).expect(400);
      expect(unknown.body.message).toMatch(
        /^steps\.0\.contractField: "fiscal_code" is not a contract field/,
      );
      const badCustom = await saveCampaign(
        [{ kind: 'question', title: 'X', contractField: 'custom:Bad Name' }],
        'X2',
      ).expect(400);
      expect(badCustom.body.message).toMatch(/^steps\.0\.contractField: /);
      const twice = await saveCampaign(
        [
          { kind: 'question', title: 'CF', contractField: 'fiscalCode' },
          { kind: 'script', title: 'Saluto', body: 'Buongiorno' },
          { kind: 'question', title: 'CF di nuovo', contractField: 'fiscalCode' },
        ],
        'X3',
      ).expect(400);
      expect(twice.body.message).toMatch(
        /^steps\.2\.contractField: fiscalCode is already filled by step 1/,
      );
      const onConsent = await saveCampaign(
        [{ kind: 'consent', title: 'Privacy', contractField: 'iban' }],
        'X4',
      ).expect(400);
      expect(onConsent.body.message).toMatch(/^steps\.0\.contractField: only a question step/);
      // Nothing of the refused campaigns was written.
      const codes = (await http().get('/api/v1/campaigns').set(as(admin)).expect(200)).body as
        Array<{ code: string }> | { items: Array<{ code: string }> };
      const list = Array.isArray(codes) ? codes : codes.items;
      expect(list.map((c) => c.code)).toEqual(['LUCE']);
    });

    it('keeps the binding through a replace and shows it on the campaign', async () => {
      const got = await http().get(`/api/v1/campaigns/${campaignId}`).set(as(admin)).expect(200);
      const fields = (body: { steps: Array<{ contractField: string | null }> }) =>
        body.steps.map((s) => s.contractField);
      expect(fields(got.body)).toEqual(['fiscalCode', 'iban', 'pod', 'custom:colour', null, null]);
      const replaced = await http()
        .put(`/api/v1/campaigns/${campaignId}`)
        .set(as(admin))
        .send({
          code: 'LUCE',
          name: 'Luce e gas',
          holidays: null,
          steps: [
            { kind: 'question', title: 'PDR', contractField: 'pdr' },
            { kind: 'question', title: 'Partita IVA', contractField: 'vatNumber' },
            { kind: 'outcome', title: 'Esito' },
          ],
          statusIds: [sale.id],
          productIds: [fibra.id],
          operatorIds: [operator.user.id],
        })
        .expect(200);
      expect(fields(replaced.body)).toEqual(['pdr', 'vatNumber', null]);
      const twice = await http()
        .put(`/api/v1/campaigns/${campaignId}`)
        .set(as(admin))
        .send({
          code: 'LUCE',
          name: 'Luce e gas',
          steps: [
            { kind: 'question', title: 'A', contractField: 'custom:x' },
            { kind: 'question', title: 'B', contractField: 'custom:x' },
            { kind: 'outcome', title: 'Esito' },
          ],
          statusIds: [sale.id],
        })
        .expect(400);
      expect(twice.body.message).toMatch(/^steps\.1\.contractField: custom:x is already filled/);
    });
  });

  describe('the outcome', () => {
    it('refuses a wrong fiscal code or IBAN with a 400 naming the answer, and saves nothing', async () => {
      const contactId = await lease(operator, { lastName: 'Rossi' });
      const badCode = await confirm(operator, contactId, {
        [stepOf.fiscalCode]: 'RSSMRA85T10A562T',
      }).expect(400);
      expect(badCode.body.message).toMatch(
        new RegExp(
          `^answers\\.${stepOf.fiscalCode}: "Codice fiscale" \\(fiscalCode\\) is not a valid fiscal code`,
        ),
      );
      const badIban = await confirm(operator, contactId, {
        [stepOf.fiscalCode]: FISCAL_CODE,
        [stepOf.iban]: 'IT61X0542811101000000123456',
      }).expect(400);
      expect(badIban.body.message).toMatch(
        new RegExp(`^answers\\.${stepOf.iban}: .*not a valid IBAN`),
      );
      const badPod = await confirm(operator, contactId, { [stepOf.pod]: 'IT001X12345678' }).expect(
        400,
      );
      expect(badPod.body.message).toMatch(new RegExp(`^answers\\.${stepOf.pod}: `));
      expect(await db.getRepository(Contract).count()).toBe(0);
      // The lease is still the operator's: the corrected answers go through.
      const ok = await confirm(operator, contactId, {
        [stepOf.fiscalCode]: ' rssmra85t10a562s ',
        [stepOf.iban]: 'it60 x054 2811 1010 0000 0123 456',
        [stepOf.pod]: 'it001e12345678',
        [stepOf.colour]: ' Blu notte ',
      }).expect(201);
      const stored = await db
        .getRepository(Contract)
        .findOneByOrFail({ id: ok.body.contract.id as number });
      expect(stored).toMatchObject({
        fiscalCode: FISCAL_CODE,
        iban: IBAN,
        pod: 'IT001E12345678',
        vatNumber: null,
        customFields: { colour: 'Blu notte' },
      });
    });

    it('writes no field for a campaign whose steps are not bound, and none left blank', async () => {
      const contract = await close({ lastName: 'Verdi' }, { [stepOf.iban]: '' });
      const stored = await db.getRepository(Contract).findOneByOrFail({ id: contract.id });
      expect(stored).toMatchObject({ fiscalCode: null, iban: null, customFields: null });
    });
  });

  describe('where the fields are shown', () => {
    let contract: { id: number; protocolNumber: string };
    beforeEach(async () => {
      contract = await close(
        { firstName: 'Mario', lastName: 'Rossi', phone: mobile(1) },
        {
          [stepOf.fiscalCode]: FISCAL_CODE,
          [stepOf.iban]: IBAN,
          [stepOf.colour]: 'Blu',
        },
      );
    });

    it('the API, the contract page (and so its print) show them', async () => {
      const detail = await http()
        .get(`/api/v1/contracts/${contract.id}`)
        .set(as(backoffice))
        .expect(200);
      expect(detail.body.fields).toEqual([
        { field: 'fiscalCode', value: FISCAL_CODE },
        { field: 'iban', value: IBAN },
        { field: 'custom:colour', value: 'Blu' },
      ]);
      const browser = await signedInAgent(app, backoffice.user);
      const page = await browser.get(`/contracts/${contract.id}`).expect(200);
      expect(page.text).toContain('id="contract-fields"');
      expect(page.text).toMatch(
        /Codice fiscale<\/dt><dd data-field="fiscalCode"><code>RSSMRA85T10A562S</,
      );
      expect(page.text).toContain(`<dd data-field="iban"><code>${IBAN}</code>`);
      expect(page.text).toMatch(/colour<\/dt><dd data-field="custom:colour"><code>Blu</);
      // The card is not among what the print hides.
      expect(page.text).not.toMatch(/ctr-fields-card[^"]*ctr-no-print/);
    });

    it('the contracts export (CSV in both dialects, XLSX) and the results file show them', async () => {
      const plain = await http()
        .get('/api/v1/contracts/export.csv')
        .set(as(backoffice))
        .expect(200);
      const [row] = parse<Record<string, string>>(plain.text, { bom: true, columns: true });
      expect(row).toMatchObject({
        protocolNumber: contract.protocolNumber,
        fiscalCode: FISCAL_CODE,
        iban: IBAN,
        pod: '',
        customFields: 'colour: Blu',
      });
      const italian = await http()
        .get('/api/v1/contracts/export.csv')
        .query({ dialect: 'excel-it' })
        .set(as(backoffice))
        .expect(200);
      const [riga] = parse<Record<string, string>>(italian.text, {
        bom: true,
        columns: true,
        delimiter: ';',
      });
      expect(riga).toMatchObject({ 'Codice fiscale': FISCAL_CODE, IBAN: IBAN });
      const xlsx = await http()
        .get('/api/v1/contracts/export')
        .query({ format: 'xlsx' })
        .set(as(coordinator))
        .buffer(true)
        .parse(bytes)
        .expect(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.body as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(sheet.getRow(2).getCell(header.indexOf('fiscalCode') + 1).value).toBe(FISCAL_CODE);
      expect(sheet.getRow(2).getCell(header.indexOf('iban') + 1).value).toBe(IBAN);
      // The results file: the bound answers, as checked and stored, in their steps' columns.
      const results = await http()
        .get('/api/v1/interactions/export')
        .query({ campaignId })
        .set(as(coordinator))
        .expect(200);
      const [call] = parse<Record<string, string>>(results.text, { bom: true, columns: true });
      expect(call).toMatchObject({
        contractProtocol: contract.protocolNumber,
        'Codice fiscale': FISCAL_CODE,
        IBAN: IBAN,
      });
    });
  });

  describe('the backoffice search', () => {
    it('finds by any part of the protocol number, by the name as the list writes it, by fiscal code', async () => {
      const rossi = await close(
        { firstName: 'Mario', lastName: 'Rossi', phone: mobile(11) },
        { [stepOf.fiscalCode]: FISCAL_CODE },
      );
      const deLuca = await close({
        firstName: 'Anna Maria',
        lastName: 'De Luca',
        phone: mobile(12),
      });
      const rossetti = await close({ firstName: 'Marco', lastName: 'Rossetti', phone: mobile(13) });
      expect(rossi.protocolNumber).toBe('2026/000001');
      expect(await search(backoffice, '000002')).toEqual([deLuca.protocolNumber]);
      expect(await search(backoffice, '2026/00000')).toEqual([
        rossetti.protocolNumber,
        deLuca.protocolNumber,
        rossi.protocolNumber,
      ]);
      expect(await search(backoffice, 'Rossi Mario')).toEqual([rossi.protocolNumber]);
      expect(await search(backoffice, 'mario rossi')).toEqual([rossi.protocolNumber]);
      expect(await search(backoffice, 'ROSS')).toEqual([
        rossetti.protocolNumber,
        rossi.protocolNumber,
      ]);
      expect(await search(backoffice, 'de luca anna maria')).toEqual([deLuca.protocolNumber]);
      expect(await search(backoffice, 'Anna Maria De Luca')).toEqual([deLuca.protocolNumber]);
      expect(await search(backoffice, 'Rossi Anna')).toEqual([]);
      expect(await search(backoffice, 'rss mra 85t10 a562s')).toEqual([rossi.protocolNumber]);
      expect(await search(backoffice, 'RSSMRA85T10A562A')).toEqual([]);
      // Keyset paging holds under a search.
      const first = await http()
        .get('/api/v1/contracts')
        .query({ q: '2026/', limit: 2 })
        .set(as(backoffice))
        .expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await http()
        .get('/api/v1/contracts')
        .query({ q: '2026/', limit: 2, after: first.body.next as string })
        .set(as(backoffice))
        .expect(200);
      expect((second.body.items as Array<{ id: number }>).map((i) => i.id)).toEqual([rossi.id]);
      expect(second.body.next).toBeNull();
      // The list page searches the same way.
      const browser = await signedInAgent(app, backoffice.user);
      const page = await browser.get('/contracts').query({ q: 'mario rossi' }).expect(200);
      expect(page.text).toContain(rossi.protocolNumber);
      expect(page.text).not.toContain(rossetti.protocolNumber);
    });

    it('an operator searching finds only the contracts they closed', async () => {
      await close({ firstName: 'Mario', lastName: 'Rossi' }, { [stepOf.fiscalCode]: FISCAL_CODE });
      const other = await actor('operator', 'Ornella Operatrice');
      expect(await search(operator, FISCAL_CODE)).toEqual(['2026/000001']);
      expect(await search(other, FISCAL_CODE)).toEqual([]);
      expect(await search(other, '000001')).toEqual([]);
    });
  });

  describe('suspension with reasons', () => {
    it('needs an active reason from the list; leaving it needs a reason or a note; the history and the audit trail keep them', async () => {
      const contract = await close({ lastName: 'Rossi' });
      const none = await move(backoffice, contract.id, { status: 'suspended' }).expect(400);
      expect(none.body.message).toMatch(/^reasonCode: a suspension needs a reason from the list/);
      const unknown = await move(backoffice, contract.id, {
        status: 'suspended',
        reasonCode: 'boh',
      }).expect(400);
      expect(unknown.body.message).toMatch(
        /^reasonCode: "boh" is not an active contract reason \(.*documents_missing/,
      );
      clock.set(new Date('2026-11-30T11:00:00Z'));
      const suspended = await move(backoffice, contract.id, {
        status: 'suspended',
        reasonCode: 'documents_missing',
        reason: 'manca la bolletta',
      }).expect(200);
      expect(suspended.body.status).toBe('suspended');
      expect(suspended.body.history[1]).toEqual({
        from: 'new',
        to: 'suspended',
        reason: 'manca la bolletta',
        reasonCode: 'documents_missing',
        reasonLabel: 'Documenti mancanti',
        at: '2026-11-30T11:00:00.000Z',
        user: { id: backoffice.user.id, name: 'Carla Backoffice' },
      });
      const silent = await move(backoffice, contract.id, { status: 'verified' }).expect(400);
      expect(silent.body.message).toMatch(/^reason: leaving a suspension needs a reason/);
      const resumed = await move(backoffice, contract.id, {
        status: 'verified',
        reason: 'bolletta arrivata',
      }).expect(200);
      expect(resumed.body.history[2]).toMatchObject({
        from: 'suspended',
        to: 'verified',
        reason: 'bolletta arrivata',
        reasonCode: null,
      });
      // Verified can be suspended again; a suspended contract cannot be activated directly.
      await move(coordinator, contract.id, {
        status: 'suspended',
        reasonCode: 'customer_unreachable',
      }).expect(200);
      await move(backoffice, contract.id, {
        status: 'activated',
        reasonCode: 'documents_missing',
      }).expect(409);
      const changes = await db
        .getRepository(ContractStatusChange)
        .find({ where: { contractId: contract.id }, order: { id: 'ASC' } });
      expect(changes.map((c) => [c.fromStatus, c.toStatus, c.reasonCode])).toEqual([
        [null, 'new', null],
        ['new', 'suspended', 'documents_missing'],
        ['suspended', 'verified', null],
        ['verified', 'suspended', 'customer_unreachable'],
      ]);
      const audit = await db.getRepository(AuditEntry).find({
        where: { entity: 'contract_status', entityId: contract.id },
        order: { id: 'ASC' },
      });
      expect(audit).toHaveLength(3);
      expect(audit[0]!.userId).toBe(backoffice.user.id);
      expect(JSON.parse(audit[0]!.detail!)).toMatchObject({
        fromStatus: 'new',
        toStatus: 'suspended',
        reasonCode: 'documents_missing',
        reason: 'manca la bolletta',
      });
    });

    it('admins keep the list: a deactivated reason is refused, the others answer 403', async () => {
      const created = await http()
        .post('/api/v1/contract-reasons')
        .set(as(admin))
        .send({ code: 'Firma_Mancante ', label: 'Firma mancante' })
        .expect(201);
      expect(created.body).toMatchObject({ code: 'firma_mancante', active: true });
      await http()
        .post('/api/v1/contract-reasons')
        .set(as(admin))
        .send({ code: 'firma_mancante', label: 'Di nuovo' })
        .expect(409);
      const badCode = await http()
        .post('/api/v1/contract-reasons')
        .set(as(admin))
        .send({ code: 'con spazi', label: 'X' })
        .expect(400);
      expect(JSON.stringify(badCode.body.message)).toMatch(/code must be/);
      for (const who of [backoffice, coordinator, operator]) {
        await http()
          .post('/api/v1/contract-reasons')
          .set(as(who))
          .send({ code: 'x', label: 'X' })
          .expect(403);
      }
      const listed = await http().get('/api/v1/contract-reasons').set(as(backoffice)).expect(200);
      expect((listed.body as Array<{ code: string }>).map((r) => r.code)).toContain(
        'documents_missing',
      );
      await http().get('/api/v1/contract-reasons').set(as(operator)).expect(403);
      const integration = await actor('integration', 'Centralino');
      await http().get('/api/v1/contract-reasons').set(as(integration)).expect(403);

      const id = created.body.id as number;
      await http()
        .patch(`/api/v1/contract-reasons/${id}`)
        .set(as(admin))
        .send({ active: false })
        .expect(200);
      await http()
        .patch(`/api/v1/contract-reasons/${id}`)
        .set(as(backoffice))
        .send({ active: true })
        .expect(403);
      const contract = await close({ lastName: 'Rossi' });
      const refused = await move(backoffice, contract.id, {
        status: 'suspended',
        reasonCode: 'firma_mancante',
      }).expect(400);
      expect(refused.body.message).toMatch(/^reasonCode: "firma_mancante" is not an active/);

      // The admins' page lists them; nobody else's.
      const adminPage = await (
        await signedInAgent(app, admin.user)
      )
        .get('/contract-reasons')
        .expect(200);
      expect(adminPage.text).toContain('data-reason="firma_mancante" class="row-inactive"');
      await (await signedInAgent(app, backoffice.user)).get('/contract-reasons').expect(403);
    });

    it('only backoffice, coordinators and admins move a contract; an operator never, not even their own', async () => {
      const contract = await close({ lastName: 'Rossi' });
      await move(operator, contract.id, {
        status: 'suspended',
        reasonCode: 'documents_missing',
      }).expect(403);
      await move(otherOperator, contract.id, {
        status: 'suspended',
        reasonCode: 'documents_missing',
      }).expect(403);
      const integration = await actor('integration', 'Centralino');
      await move(integration, contract.id, {
        status: 'suspended',
        reasonCode: 'documents_missing',
      }).expect(403);
      await http().get(`/api/v1/contracts/${contract.id}`).set(as(otherOperator)).expect(404);
      await move(admin, contract.id, {
        status: 'suspended',
        reasonCode: 'documents_missing',
      }).expect(200);
      expect(await db.getRepository(ContractStatusChange).count()).toBe(2);
    });

    it('the contract page suspends with a reason chosen from the list, and says what is missing beside it', async () => {
      const contract = await close({ lastName: 'Rossi' });
      const browser: TestAgent = await signedInAgent(app, backoffice.user);
      let page = await browser.get(`/contracts/${contract.id}`).expect(200);
      expect(page.text).toContain('<option value="documents_missing">Documenti mancanti</option>');
      const refused = await browser
        .post(`/contracts/${contract.id}/status`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), status: 'suspended', reasonCode: '' })
        .expect(303);
      page = await browser.get(String(refused.headers.location)).expect(200);
      expect(page.text).toMatch(/<details class="ctr-suspend" open>/);
      expect(page.text).toContain('id="reasonCode-error"');
      await browser
        .post(`/contracts/${contract.id}/status`)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          status: 'suspended',
          reasonCode: 'customer_unreachable',
        })
        .expect(303);
      page = await browser.get(`/contracts/${contract.id}`).expect(200);
      expect(page.text).toContain('id="contract-status">Sospeso<');
      expect(page.text).toContain(
        '<span class="ctr-reason" data-reason-code="customer_unreachable">Cliente non raggiungibile</span>',
      );
      expect(page.text).toContain('id="resume-form"');
    });

    (isMysqlRun() ? it : it.skip)(
      'two clerks moving one contract at once: one wins, the other gets 409, one history line',
      async () => {
        const contract = await close({ lastName: 'Rossi' });
        const answers = await Promise.all([
          move(backoffice, contract.id, { status: 'suspended', reasonCode: 'documents_missing' }),
          move(coordinator, contract.id, { status: 'cancelled', reason: 'ripensamento' }),
        ]);
        const codes = answers.map((a) => a.status).sort();
        // Whichever came second finds the first's status: suspended -> cancelled is legal.
        expect(codes.every((c) => c === 200 || c === 409)).toBe(true);
        const stored = await db.getRepository(Contract).findOneByOrFail({ id: contract.id });
        const changes = await db
          .getRepository(ContractStatusChange)
          .find({ where: { contractId: contract.id }, order: { id: 'ASC' } });
        expect(changes).toHaveLength(1 + codes.filter((c) => c === 200).length);
        expect(changes[changes.length - 1]!.toStatus).toBe(stored.status);
        for (let i = 1; i < changes.length; i++) {
          expect(changes[i]!.fromStatus).toBe(changes[i - 1]!.toStatus);
        }
      },
    );
  });
});
