import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebSession } from '../../src/auth/web-session.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { signedInAgent } from '../support/browser-session';
import { buildScopeWorld, type Desk, MARK, type ScopeWorld } from '../support/scope-world';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface HistoryBody {
  interactions: Array<{ id: number; notes: string | null; answers: Record<string, string> }>;
  callbacks: Array<{ id: number; visibility: string; notes: string | null }>;
  contracts: Array<{ id: number; protocolNumber: string }>;
  appointments: Array<{ id: number }>;
}

/** The message, or all of them joined (the validation pipe sends one per field). */
const said = (body: { message?: string | string[] }) =>
  Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');

describe('Security review: what each user may see, and bad input that used to crash', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let world: ScopeWorld;
  const http = () => request(app.getHttpServer());
  const as = (desk: Desk) => ({ Authorization: `Bearer ${desk.token}` });
  const contact = (desk: Desk, id: number) => http().get(`/api/v1/contacts/${id}`).set(as(desk));

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    world = await buildScopeWorld(app);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe("a contact's history follows the callbacks and contracts rules", () => {
    it("hides a colleague's private callback, and the notes of the call that booked it", async () => {
      const { a, b, coordinator } = world.users;
      const seenBy = async (desk: Desk) =>
        (await contact(desk, world.bCallbackContactId).expect(200)).body as HistoryBody;

      const asA = await seenBy(a);
      expect(asA.callbacks).toEqual([]);
      expect(asA.interactions).toHaveLength(1);
      expect(asA.interactions[0]!.notes).toBeNull();
      expect(JSON.stringify(asA)).not.toContain(MARK.bCallbackNote);

      const asB = await seenBy(b);
      expect(asB.callbacks.map((c) => c.id)).toEqual([world.bCallbackId]);
      expect(asB.interactions[0]!.notes).toBe(MARK.bCallbackNote);
      const asCoordinator = await seenBy(coordinator);
      expect(asCoordinator.callbacks.map((c) => c.id)).toEqual([world.bCallbackId]);
    });

    it('shows the callbacks GET /callbacks would show that user, no more and no fewer', async () => {
      const { a, b } = world.users;
      // Made public: now every operator of the campaign may see it, on both routes.
      await db.query("UPDATE callbacks SET visibility = 'public' WHERE id = ?", [
        world.bCallbackId,
      ]);
      for (const desk of [a, b]) {
        const history = (await contact(desk, world.bCallbackContactId).expect(200))
          .body as HistoryBody;
        const listed = new Set<number>();
        for (const scope of ['mine', 'public']) {
          const res = await http()
            .get('/api/v1/callbacks')
            .query({ scope })
            .set(as(desk))
            .expect(200);
          for (const item of res.body as Array<{ id: number; contactId: number }>) {
            if (item.contactId === world.bCallbackContactId) listed.add(item.id);
          }
        }
        expect(history.callbacks.map((c) => c.id).sort()).toEqual([...listed].sort());
        expect(history.callbacks).toHaveLength(1);
        expect(history.interactions[0]!.notes).toBe(MARK.bCallbackNote);
      }
    });

    it("hides a colleague's contract exactly when GET /contracts/:id is a 404", async () => {
      const { a, b, coordinator } = world.users;
      await http().get(`/api/v1/contracts/${world.bContractId}`).set(as(a)).expect(404);
      const asA = (await contact(a, world.bSaleContactId).expect(200)).body as HistoryBody;
      expect(asA.contracts).toEqual([]);
      expect(JSON.stringify(asA)).not.toContain(world.bProtocol);

      await http().get(`/api/v1/contracts/${world.bContractId}`).set(as(b)).expect(200);
      const asB = (await contact(b, world.bSaleContactId).expect(200)).body as HistoryBody;
      expect(asB.contracts.map((c) => c.protocolNumber)).toEqual([world.bProtocol]);
      const asCoordinator = (await contact(coordinator, world.bSaleContactId).expect(200))
        .body as HistoryBody;
      expect(asCoordinator.contracts).toHaveLength(1);
    });

    it("keeps them off the workstation's card and page when the contact comes back", async () => {
      const { a } = world.users;
      // The sold contact and the callback's contact are back in the queue (a recycled list).
      await db
        .getRepository(Contact)
        .update({ id: world.bSaleContactId }, { state: 'new', lastStatusId: null });
      const next = await http()
        .post('/api/v1/work/next')
        .set(as(a))
        .send({ campaignId: world.campaign1.id })
        .expect(200);
      const card = next.body as { contact: HistoryBody & { id: number } };
      expect(card.contact.id).toBe(world.bSaleContactId);
      expect(card.contact.contracts).toEqual([]);
      expect(JSON.stringify(next.body)).not.toContain(world.bProtocol);

      const agent = await signedInAgent(app, a);
      const page = await agent.get('/work').expect(200);
      expect(page.text).toContain(MARK.bSaleSurname);
      expect(page.text).not.toContain(world.bProtocol);
    });
  });

  describe('appointments are scoped to the campaigns an operator works', () => {
    it('an operator of campaign 1 gets 404 for one of campaign 2, and lists only their own', async () => {
      const { a, c } = world.users;
      await http().get(`/api/v1/appointments/${world.foreignAppointmentId}`).set(as(a)).expect(404);
      await http().get(`/api/v1/appointments/${world.ownAppointmentId}`).set(as(a)).expect(200);
      await http().get(`/api/v1/appointments/${world.foreignAppointmentId}`).set(as(c)).expect(200);

      const listed = await http()
        .get('/api/v1/appointments')
        .query({ from: '2000-01-01', to: '2000-03-01' })
        .set(as(a))
        .expect(200);
      expect(listed.body).toEqual([]);
      const upcoming = await http().get('/api/v1/appointments').set(as(a)).expect(200);
      const ids = (upcoming.body as Array<{ id: number }>).map((x) => x.id);
      expect(ids).toEqual([world.ownAppointmentId]);
      expect(JSON.stringify(upcoming.body)).not.toContain(MARK.foreignSurname);

      const foreign = await http()
        .get('/api/v1/appointments')
        .query({ campaignId: world.campaign2.id })
        .set(as(a))
        .expect(403);
      expect(said(foreign.body)).toMatch(/^campaignId: /);
      await http().get(`/api/v1/campaigns/${world.campaign2.id}/agenda`).set(as(a)).expect(403);
      await http().get(`/api/v1/campaigns/${world.campaign1.id}/agenda`).set(as(a)).expect(200);
    });

    it('backoffice, coordinators and admins see all; an integration none', async () => {
      const { backoffice, coordinator, admin, integration } = world.users;
      for (const desk of [backoffice, coordinator, admin]) {
        const res = await http().get('/api/v1/appointments').set(as(desk)).expect(200);
        expect((res.body as Array<{ id: number }>).map((x) => x.id).sort()).toEqual(
          [world.foreignAppointmentId, world.ownAppointmentId].sort(),
        );
      }
      await http().get('/api/v1/appointments').set(as(integration)).expect(403);
      await http()
        .get(`/api/v1/appointments/${world.ownAppointmentId}`)
        .set(as(integration))
        .expect(403);
    });
  });

  describe('anonymous requests that need no session start none', () => {
    it('health probes, static files and 404s write no session and set no cookie', async () => {
      const sessions = () => db.getRepository(WebSession).count();
      const before = await sessions();
      for (let i = 0; i < 20; i++) {
        const res = await http().get('/health').expect(200);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const asset = await http().get('/assets/css/app.css');
      expect(asset.headers['set-cookie']).toBeUndefined();
      const missing = await http().get('/no-such-page');
      expect(missing.status).toBeGreaterThanOrEqual(400);
      expect(missing.headers['set-cookie']).toBeUndefined();
      expect(await sessions()).toBe(before);

      // The sign-in page has a form: it does need one (its CSRF token).
      const login = await http().get('/login').expect(200);
      expect(login.headers['set-cookie']).toBeDefined();
      expect(await sessions()).toBe(before + 1);
    });
  });

  describe('bad input is a 400 that names the field', () => {
    it('null for a callback offer setting', async () => {
      const { admin } = world.users;
      for (const field of [
        'slotMinutes',
        'leadMinutes',
        'defaultCapacity',
        'daysAhead',
        'publicPage',
      ]) {
        const res = await http()
          .put(`/api/v1/campaigns/${world.campaign1.id}/callback-offer`)
          .set(as(admin))
          .send({ [field]: null })
          .expect(400);
        expect(said(res.body)).toContain(field);
      }
    });

    it.each(['abc', '2026-02-30T25:61', '-1', '9e99'])('agenda from=%s', async (from) => {
      const res = await http()
        .get(`/api/v1/campaigns/${world.campaign1.id}/agenda`)
        .query({ from })
        .set(as(world.users.coordinator))
        .expect(400);
      expect(said(res.body)).toMatch(/^from /);
    });

    it('JSON nested 10,000 levels deep, on a public route and a signed-in one', async () => {
      const deep = `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const login = await http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      expect(said(login.body)).toMatch(/^body: JSON nested more than 32 levels/);
      await http()
        .post('/api/v1/outcome-statuses')
        .set(as(world.users.admin))
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      // A sane depth still reaches the validation, which names the field.
      const shallow = await http()
        .post('/api/v1/outcome-statuses')
        .set(as(world.users.admin))
        .send({ code: [[['x']]] })
        .expect(400);
      expect(said(shallow.body)).toContain('code');
    });

    it('a pasted outage list is refused as `numbers`, by the line of the paste', async () => {
      const res = await http()
        .post('/api/v1/outages')
        .set(as(world.users.coordinator))
        .send({
          name: 'Guasto',
          whatHappened: 'un guasto',
          expectedRestore: 'oggi',
          whatToDo: 'attendere',
          callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
          numbers: `${'3'.repeat(100_000)}\n3331234567`,
        })
        .expect(400);
      expect(said(res.body)).toMatch(/^numbers: line 1: /);
    });
  });

  it('an integration reports an operator’s chats, as the README says', async () => {
    const { integration, a } = world.users;
    const res = await http()
      .put(`/api/v1/operators/${a.id}/chats`)
      .set(as(integration))
      .send({ activeChats: 2 })
      .expect(200);
    expect(res.body).toEqual({ userId: a.id, activeChats: 2 });
    // Still not any other integration endpoint's neighbour: the rules stay closed to it.
    await http()
      .get(`/api/v1/campaigns/${world.campaign1.id}/eligibility`)
      .set(as(integration))
      .expect(403);
    // An operator reports only their own.
    await http()
      .put(`/api/v1/operators/${world.users.b.id}/chats`)
      .set(as(a))
      .send({ activeChats: 1 })
      .expect(403);
  });
});
