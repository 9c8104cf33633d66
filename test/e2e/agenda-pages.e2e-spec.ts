import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Agent } from '../../src/agents/agent.entity';
import { Appointment } from '../../src/appointments/appointment.entity';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { createAgent, createCampaign } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 09:00 in Rome. */
const MONDAY = new Date('2026-11-30T08:00:00Z');
const MINUTE = 60_000;

/** The text a page shows, entities decoded (handlebars escapes quotes). */
const decoded = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Where each appointment sits on the grid: its agent's row and the column's key. */
function placed(html: string): Map<number, { agentId: number; column: string }> {
  const columns = [...html.matchAll(/<th scope="col" data-column="([^"]+)"/g)].map((m) => m[1]!);
  const found = new Map<number, { agentId: number; column: string }>();
  const rows = html.split(/<tr data-agent="/).slice(1);
  for (const row of rows) {
    const agentId = Number(/^(\d+)"/.exec(row)?.[1]);
    const cells = row.slice(0, row.indexOf('</tr>')).split('<td class="ag-cell').slice(1);
    cells.forEach((cell, i) => {
      for (const m of cell.matchAll(/data-appointment="(\d+)"/g)) {
        found.set(Number(m[1]), { agentId, column: columns[i]! });
      }
    });
  }
  return found;
}

/** The markup of one appointment's card on the grid. */
function card(html: string, id: number): string {
  const start = html.indexOf(`data-appointment="${id}"`);
  if (start === -1) throw new Error(`no card ${id}`);
  return decoded(html.slice(start, html.indexOf('</a>', start)));
}

describe('Agenda pages (coordinators and backoffice)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let coordinator: TestUser;
  let anna: TestUser;
  let luca: Agent;
  let marta: Agent;
  let fibra: Campaign;
  let lisbon: Campaign;
  let rossi: Contact;
  let bianchi: Contact;
  let pereira: Contact;
  const http = () => request(app.getHttpServer());
  const appointment = (id: number) => db.getRepository(Appointment).findOneByOrFail({ id });

  /** A booked visit written straight to the agenda, as a confirmed T outcome leaves it. */
  async function book(
    values: Pick<Appointment, 'agentId' | 'campaignId' | 'contactId'> & {
      startsAt: string;
    } & Partial<Omit<Appointment, 'startsAt'>>,
  ): Promise<Appointment> {
    const start = new Date(values.startsAt);
    return db.getRepository(Appointment).save({
      operatorId: anna.id,
      endsAt: new Date(start.getTime() + 60 * MINUTE),
      state: 'booked',
      overlaps: false,
      notes: null,
      ...values,
      startsAt: start,
    });
  }

  /**
   * Posts one of the detail page's forms like a browser (the page's CSRF token, the fields
   * typed); every form answers with a redirect (303), a refusal included. Returns the page
   * it lands on.
   */
  async function post(
    agent: TestAgent,
    id: number,
    action: string,
    fields: Record<string, string> = {},
  ): Promise<{ location: string; html: string }> {
    const page = await agent.get(`/agenda/${id}`).expect(200);
    const res = await agent
      .post(`/agenda/${id}/${action}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields })
      .expect(303);
    const location = res.headers.location as string;
    const landed = await agent.get(location).expect(200);
    return { location, html: landed.text };
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    coordinator = await createUser(app, { role: 'coordinator', displayName: 'Carla Coord' });
    anna = await createUser(app, { role: 'operator', displayName: 'Anna Operatrice' });
    luca = await createAgent(app, { name: 'Luca Agente', zones: ['MI'] });
    marta = await createAgent(app, { name: 'Marta Agente', zones: ['TO'] });
    fibra = await createCampaign(
      app,
      { code: 'FIBRA', name: 'Fibra Nord' },
      { agentIds: [luca.id, marta.id], operatorIds: [anna.id] },
    );
    lisbon = await createCampaign(
      app,
      { code: 'LUZ', name: 'Luz Lisboa', timezone: 'Europe/Lisbon' },
      { agentIds: [marta.id], operatorIds: [anna.id] },
    );
    rossi = await createContact(app, fibra.id, {
      firstName: 'Mario',
      lastName: 'Rossi',
      city: 'Milano',
      province: 'MI',
      fields: { address: 'Via Roma 1', postcode: '20121' },
    });
    bianchi = await createContact(app, fibra.id, {
      firstName: 'Giulia',
      lastName: 'Bianchi',
      city: 'Torino',
      province: 'TO',
    });
    pereira = await createContact(app, lisbon.id, { firstName: 'Pedro', lastName: 'Pereira' });
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('the grid', () => {
    let a1: Appointment;
    let a2: Appointment;
    let a3: Appointment;
    let a4: Appointment;
    beforeEach(async () => {
      // Tuesday 09:00 in Rome, Wednesday 14:00 in Rome, Tuesday 10:00 in Lisbon (11:00 in Rome).
      a1 = await book({
        agentId: luca.id,
        campaignId: fibra.id,
        contactId: rossi.id,
        startsAt: '2026-12-01T08:00:00Z',
        overlaps: true,
      });
      a2 = await book({
        agentId: marta.id,
        campaignId: fibra.id,
        contactId: bianchi.id,
        startsAt: '2026-12-02T13:00:00Z',
      });
      a3 = await book({
        agentId: marta.id,
        campaignId: lisbon.id,
        contactId: pereira.id,
        startsAt: '2026-12-01T10:00:00Z',
      });
      // The next week: not in this one.
      a4 = await book({
        agentId: luca.id,
        campaignId: fibra.id,
        contactId: rossi.id,
        startsAt: '2026-12-07T08:00:00Z',
      });
    });

    it('week view: agents as rows, days as columns, times on each campaign’s clock', async () => {
      const coord = await signedInAgent(app, coordinator);
      const page = await coord.get('/agenda?date=2026-12-02').expect(200);
      const grid = placed(page.text);
      expect([...grid.keys()].sort((x, y) => x - y)).toEqual([a1.id, a2.id, a3.id]);
      expect(grid.get(a1.id)).toEqual({ agentId: luca.id, column: '2026-12-01' });
      expect(grid.get(a2.id)).toEqual({ agentId: marta.id, column: '2026-12-02' });
      expect(grid.get(a3.id)).toEqual({ agentId: marta.id, column: '2026-12-01' });
      expect(page.text).toContain('30 nov – 6 dic 2026');
      expect(page.text).toContain('3 appuntamenti nel periodo');
      expect(decoded(page.text)).toContain('Orari nel fuso di ciascuna campagna.');

      const rome = card(page.text, a1.id);
      expect(rome).toContain('<span class="ag-card-time">09:00–10:00</span>');
      expect(rome).toContain('Mario Rossi');
      expect(rome).toContain('Via Roma 1, 20121 Milano (MI)');
      expect(rome).toContain('Fibra Nord');
      expect(rome).toMatch(/ag-state-booked">Prenotato</);
      expect(rome).toContain('Sovrapposto');
      // Lisbon's 10:00 is 11:00 in Rome: shown on Lisbon's clock, the zone said.
      const lisboa = card(page.text, a3.id);
      expect(lisboa).toContain('<span class="ag-card-time">10:00–11:00</span>');
      expect(lisboa).toContain('Luz Lisboa · Europe/Lisbon');
      expect(card(page.text, a2.id)).toContain('<span class="ag-card-time">14:00–15:00</span>');
      expect(card(page.text, a2.id)).not.toContain('Sovrapposto');

      // The next week holds the fourth; the navigation links there.
      expect(decoded(page.text)).toContain('href="/agenda?view=week&date=2026-12-09"');
      const next = await coord.get('/agenda?view=week&date=2026-12-09').expect(200);
      expect([...placed(next.text).keys()]).toEqual([a4.id]);
      expect(next.text).toContain('1 appuntamento nel periodo');
    });

    it('day view: the hours as columns, each appointment in its local hour', async () => {
      const coord = await signedInAgent(app, coordinator);
      const page = await coord.get('/agenda?view=day&date=2026-12-01').expect(200);
      const grid = placed(page.text);
      expect(grid.get(a1.id)).toEqual({ agentId: luca.id, column: '9' });
      expect(grid.get(a3.id)).toEqual({ agentId: marta.id, column: '10' });
      expect(grid.has(a2.id)).toBe(false);
      const hours = [...page.text.matchAll(/data-column="(\d+)"/g)].map((m) => Number(m[1]));
      expect(hours).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
      expect(page.text).toContain('martedì 1 dicembre 2026');
      expect(decoded(page.text)).toContain('href="/agenda?view=day&date=2026-11-30"');
      expect(decoded(page.text)).toContain('href="/agenda?view=day&date=2026-12-02"');
    });

    it('filters by campaign, zone, agent and state; a wrong filter is said beside the form', async () => {
      const coord = await signedInAgent(app, coordinator);
      const ids = async (query: string) =>
        [
          ...placed((await coord.get(`/agenda?date=2026-12-01&${query}`).expect(200)).text).keys(),
        ].sort((x, y) => x - y);
      expect(await ids(`campaignId=${fibra.id}`)).toEqual([a1.id, a2.id]);
      expect(await ids(`campaignId=${lisbon.id}`)).toEqual([a3.id]);
      expect(await ids('zone=to')).toEqual([a2.id, a3.id]);
      expect(await ids('zone=MI')).toEqual([a1.id]);
      expect(await ids('zone=RM')).toEqual([]);
      expect(await ids(`agentId=${luca.id}`)).toEqual([a1.id]);
      expect(await ids(`agentId=${marta.id}&campaignId=${fibra.id}`)).toEqual([a2.id]);
      await db.getRepository(Appointment).update(a2.id, { state: 'cancelled' });
      expect(await ids('state=cancelled')).toEqual([a2.id]);
      expect(await ids('state=booked')).toEqual([a1.id, a3.id]);

      // The campaign's rows are its agents, even without appointments; the zone's likewise.
      const lisbonPage = await coord.get(`/agenda?date=2026-12-01&campaignId=${lisbon.id}`);
      const rows = (html: string) =>
        [...html.matchAll(/<tr data-agent="(\d+)"/g)].map((m) => Number(m[1]));
      expect(rows(lisbonPage.text)).toEqual([marta.id]);
      expect(lisbonPage.text).toContain('Orari nel fuso della campagna: Europe/Lisbon.');
      expect(lisbonPage.text).toMatch(/<option value="\d+" selected>Luz Lisboa \(LUZ\)<\/option>/);
      expect(rows((await coord.get('/agenda?date=2026-12-01&zone=RM')).text)).toEqual([]);

      for (const [query, field] of [
        ['campaignId=abc', 'campaignId'],
        ['campaignId=999999', 'campaignId'],
        ['state=lost', 'state'],
        ['date=2026-02-30', 'date'],
      ] as const) {
        const bad = await coord.get(`/agenda?${query}`).expect(400);
        expect(bad.text).toContain(`id="${field}-error"`);
        expect(bad.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      }
    });

    it('is for coordinators, backoffice and admins: operators get 403, strangers sign in', async () => {
      const operator = await signedInAgent(app, anna);
      await operator.get('/agenda').expect(403);
      await operator.get(`/agenda/${a1.id}`).expect(403);
      const home = await operator.get('/').expect(200);
      expect(home.text).not.toContain('href="/agenda"');
      await http().get('/agenda').expect(303).expect('Location', '/login?next=%2Fagenda');

      const backoffice = await signedInAgent(app, await createUser(app, { role: 'backoffice' }));
      const page = await backoffice.get('/agenda?date=2026-12-01').expect(200);
      expect(page.text).toContain('href="/agenda" class="nav-link active"');
      expect(placed(page.text).size).toBe(3);
      await backoffice.get(`/agenda/${a1.id}`).expect(200);
      await backoffice.get('/agenda/999999').expect(404);

      // A refused POST for an operator changes nothing.
      const csrf = csrfFrom((await operator.get('/').expect(200)).text);
      await operator
        .post(`/agenda/${a1.id}/state`)
        .type('form')
        .send({ _csrf: csrf, state: 'cancelled', reason: 'no' });
      expect(await appointment(a1.id)).toMatchObject({ state: 'booked' });
    });

    it('speaks English to a user who reads English', async () => {
      const english = await createUser(app, { role: 'coordinator', uiLanguage: 'en' });
      const agent = await signedInAgent(app, english);
      const page = decoded((await agent.get('/agenda?date=2026-12-01').expect(200)).text);
      expect(page).toContain('Appointments agenda');
      expect(page).toContain('30 Nov – 6 Dec 2026');
      expect(page).toContain('3 appointments in the period');
      expect(card(page, a1.id)).toMatch(/ag-state-booked">Booked</);
      const detail = decoded((await agent.get(`/agenda/${a1.id}`).expect(200)).text);
      expect(detail).toContain('Tue 01/12/2026, 09:00–10:00');
      expect(detail).toContain('Move the appointment');
    });

    it('the detail page shows the customer, the address, the notes and who booked it', async () => {
      await db.getRepository(Appointment).update(a1.id, { notes: 'Citofono Rossi, 2° piano' });
      const coord = await signedInAgent(app, coordinator);
      const back = `/agenda?view=week&date=2026-12-01&campaignId=${fibra.id}`;
      const page = await coord.get(`/agenda/${a1.id}?back=${encodeURIComponent(back)}`).expect(200);
      const html = decoded(page.text);
      expect(html).toContain('<h1 id="appointment-customer-name">Mario Rossi</h1>');
      expect(html).toContain('mar 01/12/2026, 09:00–10:00');
      expect(html).toContain('<dd id="appointment-agent">Luca Agente</dd>');
      expect(html).toContain('<dd id="appointment-operator">Anna Operatrice</dd>');
      expect(html).toContain('Via Roma 1, 20121 Milano (MI)');
      expect(html).toContain(rossi.phone);
      expect(html).toContain('Citofono Rossi, 2° piano');
      expect(html).toContain('Prenotato sopra un altro appuntamento');
      expect(html).toContain(`<a href="${back}">`);
      // The picker offers the campaign's agents' free slots of the week (not the taken ones).
      expect(page.text).toContain(`value="${marta.id}|2026-12-03T11:00"`);
      expect(page.text).not.toContain(`value="${marta.id}|2026-12-02T14:00"`);
      expect(page.text).not.toContain(`value="${luca.id}|2026-12-01T09:00"`);
      // Not started yet: done and no-show wait for it.
      expect(page.text).toMatch(/class="btn ag-btn-done" disabled/);
      // Lisbon's appointment on Lisbon's clock.
      const lisboa = decoded((await coord.get(`/agenda/${a3.id}`).expect(200)).text);
      expect(lisboa).toContain('mar 01/12/2026, 10:00–11:00');
      expect(lisboa).toContain('<dd>Europe/Lisbon</dd>');
      // Somewhere else than the agenda is not a way back.
      const outside = await coord.get(`/agenda/${a1.id}?back=https://evil.example/agenda`);
      expect(outside.text).toContain('<a href="/agenda">');
    });
  });

  describe('changes', () => {
    let a1: Appointment;
    let a2: Appointment;
    let coord: TestAgent;
    beforeEach(async () => {
      a1 = await book({
        agentId: luca.id,
        campaignId: fibra.id,
        contactId: rossi.id,
        startsAt: '2026-12-01T08:00:00Z',
        notes: 'Citofono Rossi',
      });
      a2 = await book({
        agentId: marta.id,
        campaignId: fibra.id,
        contactId: bianchi.id,
        startsAt: '2026-12-02T13:00:00Z',
      });
      coord = await signedInAgent(app, coordinator);
    });

    it('moves to a free slot of another agent, the reason recorded', async () => {
      const back = '/agenda?view=week&date=2026-12-01';
      const { location, html } = await post(coord, a1.id, 'move', {
        slot: `${marta.id}|2026-12-03T11:00`,
        agentId: String(luca.id),
        date: '',
        time: '',
        reason: 'Il cliente preferisce giovedì',
        back,
        week: '2026-11-30',
      });
      expect(location).toBe(`/agenda/${a1.id}?week=2026-11-30&back=${encodeURIComponent(back)}`);
      expect(decoded(html)).toContain(
        'Appuntamento spostato a gio 03/12/2026, 11:00 con Marta Agente.',
      );
      expect(await appointment(a1.id)).toMatchObject({
        agentId: marta.id,
        startsAt: new Date('2026-12-03T10:00:00Z'),
        endsAt: new Date('2026-12-03T11:00:00Z'),
        state: 'booked',
        stateReason: 'Il cliente preferisce giovedì',
        changedBy: coordinator.id,
        sequence: 1,
      });
      const audit = await db
        .getRepository(AuditEntry)
        .findOneByOrFail({ entity: 'appointment', entityId: a1.id, action: 'appointment.moved' });
      expect(audit.userId).toBe(coordinator.id);
      expect(audit.detail).toContain('Il cliente preferisce giovedì');
      expect(decoded(html)).toContain('Il cliente preferisce giovedì');

      // Or a typed date and time for the same agent.
      const typed = await post(coord, a1.id, 'move', {
        agentId: String(marta.id),
        date: '2026-12-04',
        time: '15:00',
        reason: '',
      });
      expect(decoded(typed.html)).toContain('ven 04/12/2026, 15:00');
      expect(await appointment(a1.id)).toMatchObject({
        agentId: marta.id,
        startsAt: new Date('2026-12-04T14:00:00Z'),
        stateReason: null,
        sequence: 2,
      });
    });

    it('a taken slot: the 409 said beside the picker, with the nearest free slots to choose', async () => {
      const { html } = await post(coord, a1.id, 'move', {
        slot: `${marta.id}|2026-12-02T14:00`,
        agentId: String(luca.id),
        reason: 'Spostamento urgente',
      });
      const text = decoded(html);
      expect(text).toContain(
        '<p class="field-error ag-move-error" id="startsAt-error" role="alert">Lo slot scelto è già occupato: scegli uno degli slot liberi più vicini.</p>',
      );
      const nearest = html.slice(html.indexOf('id="nearest-slots"'), html.indexOf('</fieldset>'));
      const offered = [...nearest.matchAll(/name="slot" value="([^"]+)"/g)].map((m) => m[1]);
      expect(offered).toEqual([
        `${marta.id}|2026-12-02T12:00`,
        `${marta.id}|2026-12-02T13:00`,
        `${marta.id}|2026-12-02T15:00`,
      ]);
      expect(text).toContain('mer 02/12/2026, 15:00');
      // What was typed is kept.
      expect(html).toContain('value="Spostamento urgente"');
      expect(await appointment(a1.id)).toMatchObject({
        agentId: luca.id,
        startsAt: new Date('2026-12-01T08:00:00Z'),
        sequence: 0,
      });

      // One of them, picked, moves it.
      const picked = await post(coord, a1.id, 'move', { slot: offered[2]! });
      expect(decoded(picked.html)).toContain('Appuntamento spostato a mer 02/12/2026, 15:00');
      expect(await appointment(a1.id)).toMatchObject({
        agentId: marta.id,
        startsAt: new Date('2026-12-02T14:00:00Z'),
      });
    });

    it('off the grid, outside the hours or nothing chosen: the 400 said by the field, values kept', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [
          { date: '2026-12-03', time: '09:30', agentId: String(luca.id) },
          'Non è l&#x27;inizio di uno slot: gli appuntamenti durano 60 minuti (il più vicino: 09:00).',
        ],
        [
          { date: '2026-12-05', time: '10:00', agentId: String(luca.id) },
          'L&#x27;agente non lavora in quell&#x27;orario (2026-12-05 10:00, 60 minuti).',
        ],
        [
          { date: '2026-11-30', time: '07:00', agentId: String(luca.id) },
          'La data e l&#x27;ora devono essere nel futuro.',
        ],
        [
          { date: '', time: '', agentId: String(luca.id) },
          'Scegli uno slot libero, oppure indica data e ora.',
        ],
        [
          { date: '2026-12-03', time: '', agentId: String(luca.id) },
          'Indica una data e un&#x27;ora valide.',
        ],
      ];
      for (const [fields, message] of cases) {
        const { html } = await post(coord, a1.id, 'move', { ...fields, reason: 'prova' });
        expect(html).toContain(`id="startsAt-error" role="alert">${message}</p>`);
        if (fields.date)
          expect(html).toContain(`id="move-date" name="date" type="date" value="${fields.date}"`);
        if (fields.time)
          expect(html).toContain(`id="move-time" name="time" type="time" value="${fields.time}"`);
        expect(html).toContain('value="prova"');
        expect(html).toMatch(/<details class="ag-manual"( open)?>/);
      }
      // An agent of another campaign: said beside the agent.
      const stranger = await createAgent(app, { name: 'Piero Esterno' });
      const { html } = await post(coord, a1.id, 'move', {
        date: '2026-12-03',
        time: '10:00',
        agentId: String(stranger.id),
      });
      expect(html).toContain(
        '<p class="field-error" id="agentId-error">Questo agente non lavora per la campagna.</p>',
      );
      expect(await appointment(a1.id)).toMatchObject({ agentId: luca.id, sequence: 0 });
    });

    it('cancel needs a reason (said beside `reason`), then records it', async () => {
      const refused = await post(coord, a1.id, 'state', { state: 'cancelled', reason: '   ' });
      expect(refused.html).toContain(
        '<p class="field-error" id="reason-error">Scrivi il motivo dell&#x27;annullamento.</p>',
      );
      expect(refused.html).toMatch(
        /<details class="ag-action" open>\s*<summary class="btn btn-danger">/,
      );
      expect(refused.html).toMatch(/id="cancel-reason"[^>]*aria-invalid="true"/);
      expect(await appointment(a1.id)).toMatchObject({ state: 'booked', stateReason: null });

      const done = await post(coord, a1.id, 'state', {
        state: 'cancelled',
        reason: 'Il cliente ha già firmato in negozio',
      });
      expect(done.html).toContain('Appuntamento annullato.');
      expect(done.html).toContain('id="appointment-state">Annullato</span>');
      expect(decoded(done.html)).toContain(
        "L'appuntamento è annullato: non si può più modificare.",
      );
      expect(done.html).not.toContain('action="/agenda/' + a1.id + '/move"');
      expect(await appointment(a1.id)).toMatchObject({
        state: 'cancelled',
        stateReason: 'Il cliente ha già firmato in negozio',
        changedBy: coordinator.id,
      });
      // The grid shows it cancelled, in words.
      const grid = await coord.get('/agenda?date=2026-12-01').expect(200);
      expect(card(grid.text, a1.id)).toMatch(/ag-state-cancelled">Annullato</);
    });

    it('done and no-show only once the appointment has started', async () => {
      const early = await post(coord, a1.id, 'state', { state: 'done' });
      expect(decoded(early.html)).toContain(
        "L'appuntamento inizia mar 01/12/2026, 09:00: si può segnare come svolto o non presente solo dopo l'inizio.",
      );
      expect(await appointment(a1.id)).toMatchObject({ state: 'booked' });

      clock.set(new Date('2026-12-01T08:10:00Z'));
      const page = await coord.get(`/agenda/${a1.id}`).expect(200);
      expect(page.text).not.toMatch(/class="btn ag-btn-done" disabled/);
      const done = await post(coord, a1.id, 'state', { state: 'done' });
      expect(done.html).toContain('Appuntamento segnato come svolto.');
      expect(await appointment(a1.id)).toMatchObject({ state: 'done', changedBy: coordinator.id });

      clock.set(new Date('2026-12-02T13:30:00Z'));
      const noShow = await post(coord, a2.id, 'state', { state: 'no_show' });
      expect(decoded(noShow.html)).toContain('Segnato: il cliente non era presente.');
      expect(await appointment(a2.id)).toMatchObject({ state: 'no_show' });
    });

    it('to be rescheduled: a private callback for the operator who booked it, with the context', async () => {
      const { html } = await post(coord, a1.id, 'reschedule', { reason: 'Agente in malattia' });
      expect(html).toContain(
        'Appuntamento da riprogrammare: creata una richiamata per Anna Operatrice.',
      );
      expect(html).toContain(
        '<p class="ag-callback-note" id="appointment-callback">Il cliente sarà richiamato da Anna Operatrice per fissare una nuova data.</p>',
      );
      expect(await appointment(a1.id)).toMatchObject({
        state: 'reschedule',
        stateReason: 'Agente in malattia',
      });
      const callbacks = await db.getRepository(Callback).findBy({ contactId: rossi.id });
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0]).toMatchObject({
        campaignId: fibra.id,
        ownerId: anna.id,
        visibility: 'private',
        state: 'scheduled',
        dueAt: MONDAY,
        reason: 'appointment to be rescheduled',
      });
      expect(callbacks[0]!.notes).toContain('2026-12-01T08:00:00.000Z with Luca Agente');
      expect(callbacks[0]!.notes).toContain('Agente in malattia');
      expect(callbacks[0]!.notes).toContain('Citofono Rossi');
      expect(await db.getRepository(Contact).findOneByOrFail({ id: rossi.id })).toMatchObject({
        state: 'callback',
      });
    });

    it('a second change of a closed appointment is refused with a 409 said on the page', async () => {
      await post(coord, a1.id, 'state', { state: 'cancelled', reason: 'Non più interessato' });
      // A page opened before the cancel still carries the forms: each is refused.
      const stale = csrfFrom((await coord.get(`/agenda/${a2.id}`).expect(200)).text);
      const expectations: Array<[string, Record<string, string>]> = [
        ['state', { state: 'done' }],
        ['state', { state: 'cancelled', reason: 'di nuovo' }],
        ['reschedule', {}],
        ['move', { slot: `${luca.id}|2026-12-03T11:00` }],
      ];
      for (const [action, fields] of expectations) {
        const res = await coord
          .post(`/agenda/${a1.id}/${action}`)
          .type('form')
          .send({ _csrf: stale, ...fields })
          .expect(303);
        const page = await coord.get(res.headers.location as string).expect(200);
        expect(decoded(page.text)).toContain(
          'Questo appuntamento è già annullato: non si può più cambiare.',
        );
      }
      expect(await appointment(a1.id)).toMatchObject({
        state: 'cancelled',
        stateReason: 'Non più interessato',
        agentId: luca.id,
        sequence: 1,
      });
      expect(await db.getRepository(Callback).countBy({ contactId: rossi.id })).toBe(0);
    });
  });
});
