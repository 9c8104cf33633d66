import { windowsOf } from '../../src/campaigns/calling-hours';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCallback } from '../factories/callback.factory';
import { createCallbackStatuses, createCampaign } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact } from '../factories/contact.factory';
import { createUser, type TestUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(MONDAY.getTime() + minutes * MINUTE);

interface Desk extends TestUser {
  token: string;
}

describe('Callback pages and opening a callback', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let anna: Desk;
  let bruno: Desk;
  let coordinator: TestUser;
  let campaign: Campaign;
  let statuses: { callback: OutcomeStatus; notInterested: OutcomeStatus };
  const http = () => request(app.getHttpServer());
  const as = (desk: Desk) => ({ Authorization: `Bearer ${desk.token}` });
  const callback = (id: number) => db.getRepository(Callback).findOneByOrFail({ id });
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const lease = (contactId: number) => db.getRepository(ContactLease).findOneBy({ contactId });
  const open = (desk: Desk, id: number | string) =>
    http().post(`/api/v1/callbacks/${id}/open`).set(as(desk)).send();

  async function desk(displayName: string): Promise<Desk> {
    const user = await createUser(app, { role: 'operator', displayName });
    return { ...user, token: await tokenFor(app, user) };
  }
  /** A callback of `owner`, private, waiting since `dueIn` minutes from MONDAY (negative: due). */
  const privateOf = (owner: TestUser, dueIn: number, overrides: Partial<Callback> = {}) =>
    createCallback(app, campaign.id, {
      ownerId: owner.id,
      visibility: 'private',
      state: dueIn <= 0 ? 'due' : 'scheduled',
      dueAt: at(dueIn),
      ...overrides,
    });
  const publicOf = (owner: TestUser | null, dueIn: number, overrides: Partial<Callback> = {}) =>
    privateOf(owner ?? anna, dueIn, {
      ownerId: owner?.id ?? null,
      visibility: 'public',
      ...overrides,
    });
  /** The markup of one section of the operator's page. */
  const section = (html: string, key: string) => {
    const start = html.indexOf(`id="callbacks-${key}"`);
    if (start === -1) throw new Error(`no section ${key}`);
    return html.slice(start, html.indexOf('</section>', start));
  };
  const listed = (html: string) =>
    [...html.matchAll(/<(?:li|tr) [^>]*data-callback="(\d+)"/g)].map((m) => Number(m[1]));
  /**
   * Posts one of a page's forms like a browser (the page's CSRF token, the fields typed);
   * every page form answers with a redirect (303), a refusal included.
   */
  async function post(
    agent: TestAgent,
    path: string,
    fields: Record<string, string> = {},
    from = '/callbacks',
  ): Promise<request.Response> {
    const page = await agent.get(from).expect(200);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields })
      .expect(303);
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    anna = await desk('Anna Operatrice');
    bruno = await desk('Bruno Operatore');
    coordinator = await createUser(app, { role: 'coordinator', displayName: 'Carla Coord' });
    statuses = await createCallbackStatuses(app);
    campaign = await createCampaign(
      app,
      { code: 'FIBRA', name: 'Fibra Nord', privateCallbackGraceMinutes: 30 },
      { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [anna.id, bruno.id] },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('POST /api/v1/callbacks/:id/open', () => {
    it('leases an own private callback’s contact as work/next does; the outcome closes it', async () => {
      const cb = await privateOf(anna, -5, { notes: 'dopo pranzo' });
      const res = await open(anna, cb.id).expect(200);
      expect(res.body.contact.id).toBe(cb.contactId);
      expect(res.body.callback).toMatchObject({
        id: cb.id,
        notes: 'dopo pranzo',
        visibility: 'private',
        ownerName: 'Anna Operatrice',
      });
      expect(await callback(cb.id)).toMatchObject({ state: 'in_progress' });
      expect(await contact(cb.contactId)).toMatchObject({ state: 'in_progress' });
      expect(await lease(cb.contactId)).toMatchObject({
        userId: anna.id,
        callbackId: cb.id,
        previousState: 'callback',
      });
      // The same shape as the next contact, and the same lease the workstation shows.
      const fresh = await createContact(app, campaign.id);
      const next = await http().post('/api/v1/work/next').set(as(bruno)).send({}).expect(200);
      expect(next.body.contact.id).toBe(fresh.id);
      expect(Object.keys(res.body).sort()).toEqual(Object.keys(next.body).sort());
      const current = await http().get('/api/v1/work/current').set(as(anna)).expect(200);
      expect(current.body.contact.id).toBe(cb.contactId);
      // A second click gives the same contact back.
      expect((await open(anna, cb.id).expect(200)).body.contact.id).toBe(cb.contactId);
      await http()
        .post(`/api/v1/work/${cb.contactId}/outcome`)
        .set(as(anna))
        .send({ statusId: statuses.notInterested.id })
        .expect(201);
      expect(await callback(cb.id)).toMatchObject({ state: 'done' });
      expect(await contact(cb.contactId)).toMatchObject({ state: 'final' });
      expect(await lease(cb.contactId)).toBeNull();
    });

    it('opens an own private callback before its time; a discard gives it back as it was', async () => {
      const early = await privateOf(anna, 120);
      await open(anna, early.id).expect(200);
      await http().post(`/api/v1/work/${early.contactId}/discard`).set(as(anna)).expect(204);
      expect(await callback(early.id)).toMatchObject({ state: 'scheduled', dueAt: at(120) });
      expect(await contact(early.contactId)).toMatchObject({ state: 'callback' });
      expect(await db.getRepository(Interaction).countBy({ contactId: early.contactId })).toBe(0);

      const due = await publicOf(null, -5, { state: 'scheduled' });
      await open(bruno, due.id).expect(200);
      await http().post(`/api/v1/work/${due.contactId}/discard`).set(as(bruno)).expect(204);
      expect(await callback(due.id)).toMatchObject({ state: 'due' });
      expect(await contact(due.contactId)).toMatchObject({ state: 'callback' });
    });

    it('opens a public callback of the campaign once it is due, not before', async () => {
      const cb = await publicOf(anna, 30);
      const early = await open(bruno, cb.id).expect(409);
      expect(early.body.message).toMatch(/^id: callback \d+ is public and due at 2026-11-30T10:30/);
      // Its owner may not either: a public one is everybody's, from its time.
      await open(anna, cb.id).expect(409);
      clock.set(at(30));
      const res = await open(bruno, cb.id).expect(200);
      expect(res.body.callback).toMatchObject({ id: cb.id, ownerName: 'Anna Operatrice' });
      expect(await lease(cb.contactId)).toMatchObject({ userId: bruno.id, callbackId: cb.id });
    });

    it('never reveals another operator’s private callback: 404 as for one that does not exist', async () => {
      const theirs = await privateOf(bruno, -5);
      const res = await open(anna, theirs.id).expect(404);
      expect(res.body.message).toBe(`callback ${theirs.id} not found`);
      expect((await open(anna, 999999).expect(404)).body.message).toBe('callback 999999 not found');
      expect(await callback(theirs.id)).toMatchObject({ state: 'due' });
      expect(await lease(theirs.contactId)).toBeNull();
    });

    it('refuses bad ids, roles and anonymous callers without touching anything', async () => {
      for (const id of ['abc', '0', '-1', '1.5', '99999999999']) {
        const res = await open(anna, id).expect(400);
        expect(res.body.message).toBe('id must be a positive integer');
      }
      const cb = await publicOf(null, -5);
      const coordinatorToken = await tokenFor(app, coordinator);
      await http()
        .post(`/api/v1/callbacks/${cb.id}/open`)
        .set('Authorization', `Bearer ${coordinatorToken}`)
        .expect(403);
      await http().post(`/api/v1/callbacks/${cb.id}/open`).expect(401);
      expect(await callback(cb.id)).toMatchObject({ state: 'due' });
    });

    it('409 for a closed callback or one being called, naming its state', async () => {
      for (const state of ['done', 'cancelled', 'expired', 'missed'] as const) {
        const closed = await privateOf(anna, -5, { state });
        const res = await open(anna, closed.id).expect(409);
        expect(res.body).toMatchObject({
          message: `id: callback ${closed.id} is ${state}; it cannot be opened`,
          state,
        });
      }
      const shared = await publicOf(null, -5);
      await open(anna, shared.id).expect(200);
      const taken = await open(bruno, shared.id).expect(409);
      expect(taken.body.message).toBe(`id: callback ${shared.id} is being called right now`);
      expect(await lease(shared.contactId)).toMatchObject({ userId: anna.id });
    });

    it('409 when its contact is being worked by someone else', async () => {
      const cb = await publicOf(null, -5);
      await db.getRepository(Contact).update(cb.contactId, { state: 'in_progress' });
      const res = await open(anna, cb.id).expect(409);
      expect(res.body.message).toMatch(/^id: contact \d+ of callback \d+ is being worked/);
      expect(await callback(cb.id)).toMatchObject({ state: 'due' });
    });

    it('409 naming the contact the operator already has open', async () => {
      const held = await createContact(app, campaign.id, { firstName: 'Mario', lastName: 'Rossi' });
      await http().post('/api/v1/work/next').set(as(anna)).send({}).expect(200);
      const cb = await privateOf(anna, -5);
      const res = await open(anna, cb.id).expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        message: `id: you already have contact ${held.id} (Mario Rossi) open: confirm its outcome or discard it first`,
        contactId: held.id,
      });
      expect(await callback(cb.id)).toMatchObject({ state: 'due' });
      // Once the lease has expired it no longer counts: the callback opens.
      clock.set(at(6));
      expect((await open(anna, cb.id).expect(200)).body.contact.id).toBe(cb.contactId);
      expect(await contact(held.id)).toMatchObject({ state: 'new' });
    });

    it('only in campaigns the operator is assigned to (403), open and inside their calling hours (400)', async () => {
      const outsider = await desk('Oscar Esterno');
      const cb = await publicOf(null, -5);
      const res = await open(outsider, cb.id).expect(403);
      expect(res.body.message).toBe('id: you are not assigned to campaign FIBRA');

      await db.getRepository(Campaign).update(campaign.id, {
        callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }),
      });
      clock.set(new Date('2026-11-30T17:30:00Z')); // 18:30 in Rome
      const evening = await open(anna, cb.id).expect(400);
      expect(evening.body.message).toBe(
        'id: campaign FIBRA is outside its calling hours: Mon-Fri 09:00-18:00 (Europe/Rome); next open: Tue 01/12/2026, 09:00',
      );
      clock.set(new Date('2026-12-05T10:00:00Z')); // a Saturday
      await open(anna, cb.id).expect(400);
      clock.set(new Date('2026-12-01T07:59:00Z')); // 08:59 on Tuesday
      await open(anna, cb.id).expect(400);
      clock.set(new Date('2026-12-01T08:00:00Z'));
      await db.getRepository(Campaign).update(campaign.id, { state: 'paused' });
      const paused = await open(anna, cb.id).expect(400);
      expect(paused.body.message).toBe('id: campaign FIBRA is paused');
      expect(await callback(cb.id)).toMatchObject({ state: 'due' });
      await db.getRepository(Campaign).update(campaign.id, { state: 'active' });
      await open(anna, cb.id).expect(200);
    });

    it('a number on the do-not-call list is never called: the callback is cancelled, the contact final', async () => {
      const cb = await privateOf(anna, -5);
      await addToDoNotCall(app, (await contact(cb.contactId)).phone);
      const res = await open(anna, cb.id).expect(409);
      expect(res.body.message).toMatch(/do-not-call list; the callback is cancelled$/);
      expect(await callback(cb.id)).toMatchObject({ state: 'cancelled' });
      expect(await contact(cb.contactId)).toMatchObject({ state: 'final' });
      expect(await lease(cb.contactId)).toBeNull();
    });

    it('of operators opening one public callback at once exactly one gets it, the others 409', async () => {
      const desks = [anna, bruno];
      for (let i = 0; i < 6; i++) desks.push(await desk(`Operatore ${i}`));
      await db.query(
        `INSERT INTO campaign_operators (campaign_id, user_id) VALUES ${desks
          .slice(2)
          .map(() => '(?, ?)')
          .join(', ')}`,
        desks.slice(2).flatMap((d) => [campaign.id, d.id]),
      );
      const rounds = isMysqlRun() ? 5 : 2;
      for (let round = 0; round < rounds; round++) {
        const cb = await publicOf(null, -5);
        const answers = await Promise.all(desks.map((d) => open(d, cb.id)));
        const statusesSeen = answers.map((r) => r.status).sort();
        expect(statusesSeen).toEqual([200, ...Array<number>(desks.length - 1).fill(409)]);
        const winner = desks[answers.findIndex((r) => r.status === 200)]!;
        for (const loser of answers.filter((r) => r.status === 409)) {
          expect(loser.body.message).toMatch(
            new RegExp(`^id: (callback ${cb.id} is being|contact ${cb.contactId} of callback)`),
          );
        }
        expect(await db.getRepository(ContactLease).findBy({ contactId: cb.contactId })).toEqual([
          expect.objectContaining({ userId: winner.id, callbackId: cb.id }),
        ]);
        expect(await callback(cb.id)).toMatchObject({ state: 'in_progress' });
        await http().post(`/api/v1/work/${cb.contactId}/discard`).set(as(winner)).expect(204);
      }
    });
  });

  describe('the operator’s page', () => {
    it('shows their callbacks by urgency and the public ones due in their campaigns, with the context', async () => {
      const [question] = await db.getRepository(CampaignStep).save([
        {
          campaignId: campaign.id,
          position: 3,
          kind: 'question' as const,
          title: 'Fornitore attuale',
          body: null,
          choices: null,
          required: false,
        },
      ]);
      const customer = await createContact(app, campaign.id, {
        firstName: 'Lucia',
        lastName: 'Bianchi',
        phone: '+393331234567',
        state: 'callback',
        attempts: 2,
      });
      const late = await privateOf(anna, -45);
      const now = await privateOf(anna, -10, {
        contactId: customer.id,
        notes: 'Chiedere del <marito>',
        reason: 'Richiamare',
        answers: { [question!.id]: 'Enel' },
      });
      const later = await privateOf(anna, 120);
      const ownPublic = await publicOf(anna, -3);
      const brunoPrivate = await privateOf(bruno, -20);
      const pooled = await publicOf(bruno, -5, { escalatedAt: at(-1), escalationReason: 'x' });
      const notYet = await publicOf(bruno, 15);
      const elsewhere = await createCampaign(app, { name: 'Altrove' }, { operatorIds: [bruno.id] });
      const foreign = await createCallback(app, elsewhere.id, { state: 'due', dueAt: at(-5) });
      const closed = await privateOf(anna, -30, { state: 'done' });

      const agent = await signedInAgent(app, anna);
      const page = await agent.get('/callbacks').expect(200);
      expect(page.text).toContain('<h1>Le mie richiamate</h1>');
      expect(page.text).toContain('href="/callbacks" class="nav-link active"');
      expect(listed(section(page.text, 'overdue'))).toEqual([late.id]);
      expect(listed(section(page.text, 'due'))).toEqual([now.id, ownPublic.id]);
      expect(listed(section(page.text, 'upcoming'))).toEqual([later.id]);
      expect(listed(section(page.text, 'pool'))).toEqual([pooled.id]);
      for (const hidden of [brunoPrivate, notYet, foreign, closed]) {
        expect(listed(page.text)).not.toContain(hidden.id);
      }
      // The context: name, phone, campaign, the agreed time in the campaign's zone (09:50
      // UTC is 10:50 in Rome), reason, notes (escaped), answers and attempts.
      const due = section(page.text, 'due');
      expect(due).toContain('<strong class="cb-name">Lucia Bianchi</strong>');
      expect(due).toContain(
        '<span class="cb-phone"><a class="phone-link" href="tel:+393331234567"',
      );
      expect(due).toContain('Fibra Nord');
      expect(due).toContain('<span class="cb-due">lun 30/11/2026, 10:50</span>');
      expect(due).toContain('Europe/Rome');
      expect(due).toContain('in ritardo di 10 min');
      expect(due).toContain('<dd data-field="reason">Richiamare</dd>');
      expect(due).toContain('Chiedere del &lt;marito&gt;');
      expect(due).toContain('<span class="muted">Fornitore attuale:</span> Enel');
      expect(due).toContain('<dd data-field="attempts">2</dd>');
      expect(section(page.text, 'overdue')).toContain('in ritardo di 45 min');
      expect(section(page.text, 'pool')).toContain('resa pubblica');
      expect(section(page.text, 'pool')).toContain('Impostata da Bruno Operatore');
      // Every waiting one can be opened from here.
      for (const id of [late.id, now.id, later.id, ownPublic.id, pooled.id]) {
        expect(page.text).toContain(`action="/callbacks/${id}/open"`);
      }
      // Nothing of another operator's private callback, through the API either.
      const api = await http().get('/api/v1/callbacks?scope=public').set(as(anna)).expect(200);
      expect(api.body.map((i: { id: number }) => i.id)).not.toContain(brunoPrivate.id);
    });

    it('speaks English to an English-speaking operator, and says when a campaign cannot be called', async () => {
      const english = await createUser(app, { role: 'operator', uiLanguage: 'en' });
      await db.query('INSERT INTO campaign_operators (campaign_id, user_id) VALUES (?, ?)', [
        campaign.id,
        english.id,
      ]);
      await privateOf(english, -5);
      const agent = await signedInAgent(app, english);
      const page = await agent.get('/callbacks').expect(200);
      expect(page.text).toContain('<h1>My callbacks</h1>');
      expect(page.text).toContain('<span class="cb-due">Mon 30/11/2026, 10:55</span>');
      expect(page.text).toContain('No overdue callbacks.');
      await db.getRepository(Campaign).update(campaign.id, {
        callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '11:00' }),
      });
      const closed = await agent.get('/callbacks').expect(200);
      expect(closed.text).toContain('Outside calling hours: Mon-Fri 09:00-11:00 (Europe/Rome).');
      expect(closed.text).not.toContain('/open"');
    });

    it('“Apri” puts the contact on the workstation; refusals come back as a flash, never a 500', async () => {
      const cb = await privateOf(anna, -5);
      const named = await contact(cb.contactId);
      const other = await privateOf(anna, -2);
      const theirs = await privateOf(bruno, -5);
      const agent = await signedInAgent(app, anna);

      // Without the page's token nothing happens.
      await agent.post(`/callbacks/${cb.id}/open`).type('form').send({}).expect(303);
      expect(await lease(cb.contactId)).toBeNull();

      const opened = await post(agent, `/callbacks/${cb.id}/open`);
      expect(opened.headers.location).toBe('/work');
      const work = await agent.get('/work').expect(200);
      expect(work.text).toContain(`${named.firstName} ${named.lastName}`);
      expect(work.text).toContain('id="work-card"');

      // Holding it, the page says so and another one is refused, naming the contact open.
      const desk = await agent.get('/callbacks').expect(200);
      expect(desk.text).toContain('id="callbacks-holding"');
      const refused = await post(agent, `/callbacks/${other.id}/open`);
      expect(refused.headers.location).toBe('/callbacks');
      const said = await agent.get('/callbacks').expect(200);
      expect(said.text).toContain(
        `Hai già aperto il contatto ${named.firstName} ${named.lastName} (n. ${named.id})`,
      );
      await http().post(`/api/v1/work/${cb.contactId}/discard`).set(as(anna)).expect(204);

      for (const [id, text] of [
        [theirs.id, 'Richiamata non trovata.'],
        [999999, 'Richiamata non trovata.'],
      ] as const) {
        const res = await post(agent, `/callbacks/${id}/open`);
        expect(res.headers.location).toBe('/callbacks');
        expect((await agent.get('/callbacks').expect(200)).text).toContain(text);
      }
      await db.getRepository(Campaign).update(campaign.id, {
        callingHours: windowsOf({ days: [6, 7], start: '10:00', end: '12:00' }),
      });
      await post(agent, `/callbacks/${other.id}/open`);
      expect((await agent.get('/callbacks').expect(200)).text).toContain(
        'La campagna Fibra Nord è fuori orario di chiamata: Sab-Dom 10:00-12:00 (Europe/Rome); prossima apertura: sab 05/12/2026, 10:00.',
      );
      expect(await lease(other.contactId)).toBeNull();
      expect(await lease(theirs.contactId)).toBeNull();
    });

    it('is for operators, coordinators and admins only; coordinators do not open callbacks', async () => {
      const cb = await publicOf(null, -5);
      const backoffice = await signedInAgent(app, await createUser(app, { role: 'backoffice' }));
      await backoffice.get('/callbacks').expect(403);
      expect((await backoffice.get('/').expect(200)).text).not.toContain('href="/callbacks"');
      await http().get('/callbacks').expect(303).expect('Location', '/login?next=%2Fcallbacks');
      const coord = await signedInAgent(app, coordinator);
      expect((await coord.get('/').expect(200)).text).toContain('href="/callbacks"');
      await post(coord, `/callbacks/${cb.id}/open`);
      expect(await callback(cb.id)).toMatchObject({ state: 'due' });
      expect(await lease(cb.contactId)).toBeNull();
    });
  });

  describe('the coordinators’ page', () => {
    let coord: TestAgent;
    beforeEach(async () => {
      coord = await signedInAgent(app, coordinator);
    });

    it('lists every callback with the context and filters by campaign, operator, state and lateness', async () => {
      const elsewhere = await createCampaign(app, { name: 'Energia Sud' });
      const annas = await privateOf(anna, -45, { notes: 'solo mattina' });
      const brunos = await privateOf(bruno, -10);
      const pooled = await publicOf(null, 60);
      const foreign = await createCallback(app, elsewhere.id, { state: 'due', dueAt: at(-5) });
      const done = await privateOf(anna, -100, { state: 'done' });

      const all = await coord.get('/callbacks').expect(200);
      expect(all.text).toContain('<h1>Richiamate</h1>');
      expect(all.text).toContain('href="/callbacks" class="nav-link active"');
      expect(listed(all.text)).toEqual([annas.id, brunos.id, foreign.id, pooled.id]);
      const row = all.text.slice(all.text.indexOf(`data-callback="${annas.id}"`));
      expect(row).toContain('a rischio · in ritardo di 45 min');
      expect(row).toContain('Anna Operatrice');
      expect(row).toContain('solo mattina');
      expect(row).toContain(`action="/callbacks/${annas.id}/reassign"`);

      const only = async (query: string) =>
        listed((await coord.get(`/callbacks?${query}`).expect(200)).text);
      expect(await only(`campaignId=${elsewhere.id}&ownerId=&state=`)).toEqual([foreign.id]);
      expect(await only(`ownerId=${bruno.id}`)).toEqual([brunos.id]);
      expect(await only('overdue=true')).toEqual([annas.id]);
      expect(await only('state=done')).toEqual([done.id]);
      const filtered = await coord.get(`/callbacks?ownerId=${anna.id}&state=done`).expect(200);
      expect(filtered.text).toContain(
        `<option value="${anna.id}" selected>Anna Operatrice</option>`,
      );
      expect(filtered.text).toContain('<option value="done" selected>fatto</option>');
      expect(filtered.text).toContain('Nessuna azione: in corso o chiusa.');
      expect((await coord.get('/callbacks?state=expired').expect(200)).text).toContain(
        'Nessuna richiamata corrisponde ai filtri.',
      );
    });

    it('pages in due order with a next link and a way back to the first page', async () => {
      const cbs = [];
      for (let i = 0; i < 5; i++) cbs.push(await publicOf(null, i * 10 - 60));
      const first = await coord.get('/callbacks?limit=2').expect(200);
      expect(listed(first.text)).toEqual([cbs[0]!.id, cbs[1]!.id]);
      const next = /rel="next" href="([^"]+)"/
        .exec(first.text)?.[1]
        ?.replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&');
      expect(next).toBe(`/callbacks?limit=2&after=${cbs[1]!.id}`);
      const second = await coord.get(next!).expect(200);
      expect(listed(second.text)).toEqual([cbs[2]!.id, cbs[3]!.id]);
      expect(second.text).toContain('href="/callbacks?limit&#x3D;2">← Prima pagina</a>');
      const last = await coord.get(`/callbacks?limit=2&after=${cbs[3]!.id}`).expect(200);
      expect(listed(last.text)).toEqual([cbs[4]!.id]);
      expect(last.text).not.toContain('rel="next"');
    });

    it('says a wrong filter beside the form (400), not an error page', async () => {
      for (const [query, field] of [
        ['state=lost', 'state'],
        ['campaignId=abc', 'campaignId'],
        ['ownerId=0', 'ownerId'],
        ['limit=1000', 'limit'],
        ['after=999999', 'after'],
        ['overdue=maybe', 'overdue'],
      ] as const) {
        const res = await coord.get(`/callbacks?${query}`).expect(400);
        expect(res.text).toContain('<form class="card cb-filters"');
        expect(res.text).toContain(`id="${field}-error">Filtro non valido: controlla il valore.`);
      }
      const res = await coord.get('/callbacks?state=lost').expect(400);
      expect(res.text).toContain('id="state" name="state" aria-invalid="true"');
    });

    it('reassigns, makes public or private and cancels with a reason, back to the same list', async () => {
      const cb = await privateOf(anna, -5);
      const back = `/callbacks?campaignId=${campaign.id}`;
      const res = await post(
        coord,
        `/callbacks/${cb.id}/reassign`,
        { ownerId: String(bruno.id), back },
        back,
      );
      expect(res.headers.location).toBe(back);
      const after = await coord.get(back).expect(200);
      expect(after.text).toContain('riassegnata a Bruno Operatore');
      expect(await callback(cb.id)).toMatchObject({ ownerId: bruno.id, assignedAt: MONDAY });

      await post(coord, `/callbacks/${cb.id}/visibility`, { visibility: 'public' });
      expect(await callback(cb.id)).toMatchObject({ visibility: 'public' });
      expect((await coord.get('/callbacks').expect(200)).text).toContain('resa pubblica.');
      await post(coord, `/callbacks/${cb.id}/visibility`, { visibility: 'private' });
      expect(await callback(cb.id)).toMatchObject({ visibility: 'private' });

      const cancelled = await post(coord, `/callbacks/${cb.id}/cancel`, {
        reason: 'ha già firmato con noi',
        back: 'https://elsewhere.example/callbacks',
      });
      expect(cancelled.headers.location).toBe('/callbacks');
      expect(await callback(cb.id)).toMatchObject({ state: 'cancelled' });
      expect(await contact(cb.contactId)).toMatchObject({ state: 'final' });
      const lines = await db
        .getRepository(AuditEntry)
        .find({ where: { entity: 'callback', entityId: cb.id }, order: { id: 'ASC' } });
      expect(lines.map((l) => [l.action, l.userId])).toEqual([
        ['callback.reassigned', coordinator.id],
        ['callback.visibility', coordinator.id],
        ['callback.visibility', coordinator.id],
        ['callback.cancelled', coordinator.id],
      ]);
      expect(lines[3]!.detail).toBe('ha già firmato con noi');
    });

    it('says a refused action beside its field in its row; a stale one in the flash; nothing changes', async () => {
      const cb = await privateOf(anna, -5);
      const outsider = await createUser(app, { role: 'operator', displayName: 'Oscar Esterno' });
      const row = (html: string) => html.slice(html.indexOf(`data-callback="${cb.id}"`));

      await post(coord, `/callbacks/${cb.id}/cancel`, { reason: '' });
      let page = await coord.get('/callbacks').expect(200);
      expect(page.text).toContain('Alcuni campi non sono validi');
      expect(row(page.text)).toContain('<details class="cb-actions" open>');
      expect(row(page.text)).toContain(
        `<p class="field-error" id="reason-${cb.id}-error">Scrivi il motivo dell&#x27;annullamento.</p>`,
      );
      await post(coord, `/callbacks/${cb.id}/cancel`, { reason: '   ' });
      page = await coord.get('/callbacks').expect(200);
      expect(row(page.text)).toContain(`id="reason-${cb.id}-error"`);
      await post(coord, `/callbacks/${cb.id}/cancel`, { reason: 'x'.repeat(201) });
      page = await coord.get('/callbacks').expect(200);
      expect(row(page.text)).toContain(`id="reason-${cb.id}-error">Troppo lungo.</p>`);
      expect(row(page.text)).toContain(`>${'x'.repeat(201)}</textarea>`);

      for (const ownerId of [String(outsider.id), 'abc', '']) {
        await post(coord, `/callbacks/${cb.id}/reassign`, { ownerId });
        page = await coord.get('/callbacks').expect(200);
        expect(row(page.text)).toMatch(
          new RegExp(
            `id="owner-${cb.id}-error">(Scegli un operatore attivo della campagna.|Deve essere un numero intero.)</p>`,
          ),
        );
      }
      await post(coord, `/callbacks/${cb.id}/visibility`, { visibility: 'secret' });
      page = await coord.get('/callbacks').expect(200);
      expect(row(page.text)).toContain(`id="visibility-${cb.id}-error">Valore non ammesso.</p>`);
      expect(await callback(cb.id)).toMatchObject({
        state: 'due',
        ownerId: anna.id,
        visibility: 'private',
      });

      // Being called meanwhile: the page it was posted from is stale.
      await open(anna, cb.id).expect(200);
      await post(coord, `/callbacks/${cb.id}/reassign`, { ownerId: String(bruno.id) });
      expect((await coord.get('/callbacks').expect(200)).text).toContain(
        'La richiamata è in corso o già chiusa',
      );
      await post(coord, '/callbacks/999999/cancel', { reason: 'boh' });
      expect((await coord.get('/callbacks').expect(200)).text).toContain(
        'Richiamata non trovata: ricarica la pagina.',
      );
      expect(await callback(cb.id)).toMatchObject({ state: 'in_progress', ownerId: anna.id });
    });

    it('the actions are the coordinators’ and admins’: an operator is refused', async () => {
      const cb = await privateOf(anna, -5);
      const agent = await signedInAgent(app, anna);
      await post(agent, `/callbacks/${cb.id}/reassign`, { ownerId: String(bruno.id) });
      await post(agent, `/callbacks/${cb.id}/cancel`, { reason: 'no' });
      expect(await callback(cb.id)).toMatchObject({ state: 'due', ownerId: anna.id });
      const admin = await signedInAgent(app, await createUser(app, { role: 'admin' }));
      await post(admin, `/callbacks/${cb.id}/visibility`, { visibility: 'public' });
      expect(await callback(cb.id)).toMatchObject({ visibility: 'public' });
    });
  });
});
