import { NestExpressApplication } from '@nestjs/platform-express';
import ICAL from 'ical.js';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Agent } from '../../src/agents/agent.entity';
import { Appointment } from '../../src/appointments/appointment.entity';
import { WebSession } from '../../src/auth/web-session.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { createAgent, createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** One VEVENT as a calendar app reads it. */
interface FeedEvent {
  uid: string;
  sequence: number;
  start: string;
  end: string;
  stamp: string;
  summary: string;
  location: string | null;
  description: string;
  status: string;
}

interface Feed {
  name: string;
  refresh: string;
  ttl: string;
  events: FeedEvent[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const instant = (value: unknown): string =>
  value instanceof ICAL.Time ? value.toJSDate().toISOString() : '';

/** Parses the body with a real iCalendar parser (not regexes over our own output). */
function parseFeed(body: string): Feed {
  const calendar = new ICAL.Component(ICAL.parse(body));
  return {
    name: text(calendar.getFirstPropertyValue('x-wr-calname')),
    refresh: String(calendar.getFirstPropertyValue('refresh-interval') ?? ''),
    ttl: text(calendar.getFirstPropertyValue('x-published-ttl')),
    events: calendar.getAllSubcomponents('vevent').map((event) => ({
      uid: text(event.getFirstPropertyValue('uid')),
      sequence: Number(event.getFirstPropertyValue('sequence')),
      start: instant(event.getFirstPropertyValue('dtstart')),
      end: instant(event.getFirstPropertyValue('dtend')),
      stamp: instant(event.getFirstPropertyValue('dtstamp')),
      summary: text(event.getFirstPropertyValue('summary')),
      location: (event.getFirstPropertyValue('location') as string | null) ?? null,
      description: text(event.getFirstPropertyValue('description')),
      status: text(event.getFirstPropertyValue('status')),
    })),
  };
}

const DAY = 24 * 60 * 60_000;
const NOW = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 in Rome
const TOKEN_URL = /^http:\/\/esito\.test\/calendar\/([A-Za-z0-9_-]{43})\.ics$/;

describe('Agent calendar feed (ICS)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let adminToken: string;
  let operatorToken: string;
  let operatorId: number;
  let agent: Agent;
  let campaign: Campaign;
  let contact: Contact;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** Issues a feed URL through the API, as seen from https://esito.test. */
  async function issue(agentId = agent.id): Promise<string> {
    const res = await http()
      .post(`/api/v1/agents/${agentId}/calendar-token`)
      .set(as(adminToken))
      .set('Host', 'esito.test')
      .expect(201);
    const url = (res.body as { url: string }).url;
    expect(url).toMatch(TOKEN_URL);
    return new URL(url).pathname;
  }

  /** Reads the feed like a phone calendar: no credentials, no cookie, no stored session. */
  async function read(path: string): Promise<Feed> {
    const sessions = await db.getRepository(WebSession).count();
    const res = await http().get(path).expect(200);
    expect(await db.getRepository(WebSession).count()).toBe(sessions);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(res.headers['set-cookie']).toBeUndefined();
    return parseFeed(res.text);
  }

  async function expectGone(path: string): Promise<void> {
    const res = await http().get(path).expect(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('Not found\n');
  }

  const insertAppointment = (overrides: Partial<Appointment> = {}): Promise<Appointment> =>
    db.getRepository(Appointment).save({
      agentId: agent.id,
      campaignId: campaign.id,
      contactId: contact.id,
      operatorId,
      startsAt: new Date('2026-12-01T09:00:00Z'),
      endsAt: new Date('2026-12-01T10:00:00Z'),
      state: 'booked',
      overlaps: false,
      notes: null,
      stateReason: null,
      changedBy: null,
      sequence: 0,
      ...overrides,
    });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(NOW);
    await resetDatabase(app);
    const admin = await createUser(app, { role: 'admin' });
    adminToken = await tokenFor(app, admin);
    const operator = await createUser(app, { role: 'operator', displayName: 'Giulia Bianchi' });
    operatorId = operator.id;
    operatorToken = await tokenFor(app, operator);
    agent = await createAgent(app, { name: 'Luigi Verdi' });
    campaign = await createCampaign(
      app,
      { name: 'Fibra Casa' },
      { agentIds: [agent.id], operatorIds: [operator.id] },
    );
    contact = await createContact(app, campaign.id, {
      firstName: 'Mario',
      lastName: 'Rossi',
      phone: '+393331234567',
      city: 'Milano',
      province: 'MI',
      fields: { indirizzo: 'Via Roma 1', cap: '20121' },
    });
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('shows an appointment booked through a T outcome, with address, phone, notes and operator', async () => {
    const visit = await createStatus(app, { code: 'AP', label: 'Appuntamento', type: 'T' });
    await db.query('INSERT INTO campaign_statuses (campaign_id, status_id) VALUES (?, ?)', [
      campaign.id,
      visit.id,
    ]);
    const leased = await http()
      .post('/api/v1/work/next')
      .set(as(operatorToken))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(leased.body.contact.id).toBe(contact.id);
    const booked = await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(as(operatorToken))
      .send({
        statusId: visit.id,
        appointment: {
          agentId: agent.id,
          startsAt: '2026-12-01T10:00:00+01:00',
          notes: 'citofono Rossi, 2° piano',
        },
      })
      .expect(201);
    const appointmentId = booked.body.appointment.id as number;

    const path = await issue();
    const feed = await read(path);
    expect(feed.name).toContain('Luigi Verdi');
    expect(feed.ttl).toBe('PT15M');
    expect(feed.refresh).toBe('PT15M');
    expect(feed.events).toHaveLength(1);
    const [event] = feed.events;
    expect(event).toMatchObject({
      uid: `appointment-${appointmentId}@esito-crm`,
      sequence: 0,
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T10:00:00.000Z',
      status: 'CONFIRMED',
      location: 'Via Roma 1, 20121 Milano (MI)',
    });
    expect(event!.summary).toBe('Mario Rossi · Fibra Casa');
    expect(event!.description).toContain('Telefono: +393331234567');
    expect(event!.description).toContain("Note per l'agente: citofono Rossi, 2° piano");
    expect(event!.description).toContain('Prenotato da: Giulia Bianchi');
    expect(event!.description).toContain('Campagna: Fibra Casa');
    // Times on the wire are UTC, not floating local times.
    const body = (await http().get(path).expect(200)).text;
    expect(body).toContain('DTSTART:20261201T090000Z');
    expect(body).toContain('\r\n');
  });

  it('follows a move (SEQUENCE grows, new times) and a cancellation (STATUS:CANCELLED)', async () => {
    const coordinator = await createUser(app, { role: 'coordinator' });
    const coordinatorToken = await tokenFor(app, coordinator);
    const appointment = await insertAppointment({ notes: 'portare il contratto' });
    const path = await issue();
    const before = (await read(path)).events[0]!;
    expect(before.sequence).toBe(0);

    await http()
      .post(`/api/v1/appointments/${appointment.id}/move`)
      .set(as(coordinatorToken))
      .send({ startsAt: '2026-12-02T15:00:00+01:00', reason: 'cliente al lavoro' })
      .expect(200);
    const moved = (await read(path)).events;
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({
      uid: before.uid,
      start: '2026-12-02T14:00:00.000Z',
      end: '2026-12-02T15:00:00.000Z',
      status: 'CONFIRMED',
    });
    expect(moved[0]!.sequence).toBeGreaterThan(before.sequence);
    expect(moved[0]!.description).toContain('Spostato: cliente al lavoro');

    await http()
      .post(`/api/v1/appointments/${appointment.id}/state`)
      .set(as(coordinatorToken))
      .send({ state: 'cancelled', reason: 'ha già firmato con altri' })
      .expect(200);
    const cancelled = (await read(path)).events;
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ uid: before.uid, status: 'CANCELLED' });
    expect(cancelled[0]!.sequence).toBeGreaterThan(moved[0]!.sequence);
    expect(cancelled[0]!.summary).toBe('ANNULLATO: Mario Rossi · Fibra Casa');
    expect(cancelled[0]!.description).toMatch(/^ANNULLATO\nMotivo: ha già firmato con altri\n/);
  });

  it("moves an appointment out of one agent's feed and into the other's", async () => {
    const other = await createAgent(app, { name: 'Anna Blu' });
    await db.query('INSERT INTO campaign_agents (campaign_id, agent_id) VALUES (?, ?)', [
      campaign.id,
      other.id,
    ]);
    const mine = await insertAppointment();
    const theirs = await insertAppointment({
      agentId: other.id,
      startsAt: new Date('2026-12-03T09:00:00Z'),
      endsAt: new Date('2026-12-03T10:00:00Z'),
    });
    const myFeed = await issue();
    const theirFeed = await issue(other.id);
    expect(myFeed).not.toBe(theirFeed);
    expect((await read(myFeed)).events.map((e) => e.uid)).toEqual([
      `appointment-${mine.id}@esito-crm`,
    ]);
    expect((await read(theirFeed)).events.map((e) => e.uid)).toEqual([
      `appointment-${theirs.id}@esito-crm`,
    ]);

    await http()
      .post(`/api/v1/appointments/${mine.id}/move`)
      .set(as(adminToken))
      .send({ startsAt: '2026-12-04T10:00:00+01:00', agentId: other.id })
      .expect(200);
    expect((await read(myFeed)).events).toEqual([]);
    const now = (await read(theirFeed)).events;
    expect(now.map((e) => e.uid)).toEqual([
      `appointment-${theirs.id}@esito-crm`,
      `appointment-${mine.id}@esito-crm`,
    ]);
    expect(now[1]!.sequence).toBe(1);
  });

  it('says what became of each appointment: done and no-show stay confirmed, to-reschedule is cancelled', async () => {
    const done = await insertAppointment({
      startsAt: new Date('2026-11-20T09:00:00Z'),
      endsAt: new Date('2026-11-20T10:00:00Z'),
      state: 'done',
      sequence: 1,
    });
    const noShow = await insertAppointment({
      startsAt: new Date('2026-11-21T09:00:00Z'),
      endsAt: new Date('2026-11-21T10:00:00Z'),
      state: 'no_show',
      stateReason: 'nessuno in casa',
      sequence: 1,
    });
    const reschedule = await insertAppointment({
      state: 'reschedule',
      stateReason: 'agente malato',
      sequence: 1,
    });
    const events = (await read(await issue())).events;
    const byUid = (id: number) => events.find((e) => e.uid === `appointment-${id}@esito-crm`)!;
    expect(byUid(done.id)).toMatchObject({ status: 'CONFIRMED', sequence: 1 });
    expect(byUid(done.id).description).toMatch(/^Esito: svolto\n/);
    expect(byUid(noShow.id).status).toBe('CONFIRMED');
    expect(byUid(noShow.id).description).toMatch(
      /^Esito: cliente assente\nMotivo: nessuno in casa\n/,
    );
    expect(byUid(reschedule.id).status).toBe('CANCELLED');
    expect(byUid(reschedule.id).summary).toBe(
      'ANNULLATO (da riprogrammare): Mario Rossi · Fibra Casa',
    );
    expect(byUid(reschedule.id).description).toContain('Motivo: agente malato');
    // DTSTAMP is the row's last change (to the second), not the time of the request.
    const row = await db.getRepository(Appointment).findOneByOrFail({ id: done.id });
    expect(Math.abs(Date.parse(byUid(done.id).stamp) - row.updatedAt.getTime())).toBeLessThan(1000);
  });

  it('covers 60 days back to one year ahead, earliest first', async () => {
    const at = (offsetDays: number) => ({
      startsAt: new Date(NOW.getTime() + offsetDays * DAY),
      endsAt: new Date(NOW.getTime() + offsetDays * DAY + 3_600_000),
    });
    await insertAppointment(at(-61));
    const oldest = await insertAppointment(at(-59));
    const latest = await insertAppointment(at(364));
    await insertAppointment(at(366));
    const soon = await insertAppointment(at(1));
    const events = (await read(await issue())).events;
    expect(events.map((e) => e.uid)).toEqual(
      [oldest, soon, latest].map((a) => `appointment-${a.id}@esito-crm`),
    );
  });

  it('works with an empty agenda and a contact without an address', async () => {
    const path = await issue();
    expect((await read(path)).events).toEqual([]);
    contact = await createContact(app, campaign.id, { firstName: 'Solo', lastName: 'Nome' });
    await insertAppointment({ contactId: contact.id, operatorId: null });
    const [event] = (await read(path)).events;
    expect(event!.location).toBeNull();
    expect(event!.description).not.toContain('Indirizzo');
    expect(event!.description).not.toContain('Prenotato da');
  });

  it('a new link revokes the old one; revoking answers 404 like a link that never existed', async () => {
    await insertAppointment();
    const first = await issue();
    await read(first);
    const second = await issue();
    expect(second).not.toBe(first);
    await expectGone(first);
    await read(second);
    const stored = await db.getRepository(Agent).findOneByOrFail({ id: agent.id });
    expect(second).toBe(`/calendar/${stored.calendarToken}.ics`);

    await http()
      .delete(`/api/v1/agents/${agent.id}/calendar-token`)
      .set(as(adminToken))
      .expect(204);
    await expectGone(second);
    expect((await db.getRepository(Agent).findOneByOrFail({ id: agent.id })).calendarToken).toBe(
      null,
    );
    // Revoking again is harmless.
    await http()
      .delete(`/api/v1/agents/${agent.id}/calendar-token`)
      .set(as(adminToken))
      .expect(204);
  });

  it('answers 404 for a deactivated agent, and the same link works again once reactivated', async () => {
    const path = await issue();
    await http()
      .patch(`/api/v1/agents/${agent.id}`)
      .set(as(adminToken))
      .send({ active: false })
      .expect(200);
    await expectGone(path);
    await http()
      .patch(`/api/v1/agents/${agent.id}`)
      .set(as(adminToken))
      .send({ active: true })
      .expect(200);
    await read(path);
  });

  it('answers a malformed or guessed feed path with 404, never a feed or a 500', async () => {
    const path = await issue();
    const token = TOKEN_URL.exec(`http://esito.test${path}`)![1]!;
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    // MySQL's default collation would match this one: the secret is compared case-sensitively.
    const swapped = token.replace(/[a-z]/g, (c) => c.toUpperCase());
    const oneCase = token.replace(/[A-Za-z]/, (c) =>
      c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase(),
    );
    for (const bad of [
      `/calendar/${flipped}.ics`,
      `/calendar/${swapped === token ? flipped : swapped}.ics`,
      `/calendar/${oneCase}.ics`,
      `/calendar/${token}`,
      `/calendar/${token}.ICS`,
      `/calendar/${token}.ics.ics`,
      `/calendar/${token.slice(0, 42)}.ics`,
      `/calendar/${token}A.ics`,
      '/calendar/.ics',
      '/calendar/abc.ics',
      `/calendar/${'x'.repeat(5000)}.ics`,
      '/calendar/%00.ics',
      "/calendar/'%20OR%201=1--.ics",
      `/calendar/${token.slice(0, 40)}%25%27.ics`,
      '/calendar/..%2F..%2Fetc%2Fpasswd.ics',
    ]) {
      const res = await http().get(bad);
      expect([bad, res.status]).toEqual([bad, 404]);
    }
    // A broken percent-escape is refused by the router for every route of the app, before ours.
    await http().get('/calendar/%E0%A4%A.ics').expect(400);
    await http().get('/calendar/').expect(404);
    await http().head(path).expect(200);
    await read(path);
  });

  it('only admins issue or revoke; unknown agents are 404 and bad ids 400', async () => {
    const forbidden = await http()
      .post(`/api/v1/agents/${agent.id}/calendar-token`)
      .set(as(operatorToken))
      .expect(403);
    expect(forbidden.body.message).toMatch(/needs admin/);
    await http()
      .delete(`/api/v1/agents/${agent.id}/calendar-token`)
      .set(as(operatorToken))
      .expect(403);
    const coordinator = await createUser(app, { role: 'coordinator' });
    await http()
      .post(`/api/v1/agents/${agent.id}/calendar-token`)
      .set(as(await tokenFor(app, coordinator)))
      .expect(403);
    await http().post(`/api/v1/agents/${agent.id}/calendar-token`).expect(401);
    await http().delete(`/api/v1/agents/${agent.id}/calendar-token`).expect(401);
    expect((await db.getRepository(Agent).findOneByOrFail({ id: agent.id })).calendarToken).toBe(
      null,
    );

    const missing = await http()
      .post('/api/v1/agents/999999/calendar-token')
      .set(as(adminToken))
      .expect(404);
    expect(missing.body).toEqual({ statusCode: 404, message: 'agent 999999 not found' });
    await http().delete('/api/v1/agents/999999/calendar-token').set(as(adminToken)).expect(404);
    for (const id of ['abc', '0', '-1', '1.5', '99999999999']) {
      const bad = await http()
        .post(`/api/v1/agents/${id}/calendar-token`)
        .set(as(adminToken))
        .expect(400);
      expect(bad.body.message).toBe('id must be a positive integer');
    }
    // A body is not expected, and an unexpected one changes nothing.
    await http()
      .post(`/api/v1/agents/${agent.id}/calendar-token`)
      .set(as(adminToken))
      .set('Content-Type', 'application/json')
      .send('{"token": ')
      .expect(400);
  });

  it('keeps the secret out of the agent as every role reads it', async () => {
    await issue();
    const stored = await db.getRepository(Agent).findOneByOrFail({ id: agent.id });
    for (const path of [`/api/v1/agents/${agent.id}`, '/api/v1/agents']) {
      const res = await http().get(path).set(as(operatorToken)).expect(200);
      expect(res.text).not.toContain(stored.calendarToken!);
    }
  });
});

describe('Agent calendar on the agent page (admin)', () => {
  let app: NestExpressApplication;
  let browser: TestAgent;
  let agent: Agent;
  const tokenOf = async () =>
    (await app.get(DataSource).getRepository(Agent).findOneByOrFail({ id: agent.id }))
      .calendarToken;

  /** Loads the page, then posts one of its forms like a browser (CSRF token, same host). */
  async function post(action: string): Promise<string> {
    const page = `/agents/${agent.id}`;
    const html = (await browser.get(page).set('Host', 'esito.test').expect(200)).text;
    const res = await browser
      .post(action)
      .type('form')
      .set('Host', 'esito.test')
      .set('Referer', `http://esito.test${page}`)
      .send({ _csrf: csrfFrom(html) })
      .expect(303);
    expect(res.headers.location).toBe(`/agents/${agent.id}#calendar`);
    return (await browser.get(page).set('Host', 'esito.test').expect(200)).text;
  }

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    browser = await signedInAgent(app, await createUser(app, { role: 'admin' }));
    agent = await createAgent(app, { name: 'Lucia Neri' });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('issues, shows, re-issues and revokes the link through the page forms', async () => {
    const empty = (await browser.get(`/agents/${agent.id}`).expect(200)).text;
    expect(empty).toContain('Calendario dell&#x27;agente');
    expect(empty).toContain('Nessun link emesso');
    expect(empty).toContain(`action="/agents/${agent.id}/calendar-token"`);
    expect(empty).not.toContain('id="calendar-url"');
    expect(empty).not.toContain('/calendar-token/delete');

    const issued = await post(`/agents/${agent.id}/calendar-token`);
    const first = await tokenOf();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued).toContain('Nuovo link del calendario di Lucia Neri generato');
    expect(issued).toContain(`value="http://esito.test/calendar/${first}.ics"`);
    expect(issued).toContain('Genera nuovo link');
    expect(issued).toContain('data-confirm=');
    expect(issued).toContain(`action="/agents/${agent.id}/calendar-token/delete"`);
    await request(app.getHttpServer()).get(`/calendar/${first}.ics`).expect(200);
    // Shown again on a later visit: it is stored.
    const again = (await browser.get(`/agents/${agent.id}`).set('Host', 'esito.test')).text;
    expect(again).toContain(`value="http://esito.test/calendar/${first}.ics"`);

    const reissued = await post(`/agents/${agent.id}/calendar-token`);
    const second = await tokenOf();
    expect(second).not.toBe(first);
    expect(reissued).toContain(`value="http://esito.test/calendar/${second}.ics"`);
    await request(app.getHttpServer()).get(`/calendar/${first}.ics`).expect(404);

    const revoked = await post(`/agents/${agent.id}/calendar-token/delete`);
    expect(await tokenOf()).toBeNull();
    expect(revoked).toContain('Link del calendario di Lucia Neri revocato.');
    expect(revoked).toContain('Nessun link emesso');
    await request(app.getHttpServer()).get(`/calendar/${second}.ics`).expect(404);
  });

  it('speaks English to an English-speaking admin', async () => {
    browser = await signedInAgent(app, await createUser(app, { role: 'admin', uiLanguage: 'en' }));
    const page = (await browser.get(`/agents/${agent.id}`).expect(200)).text;
    expect(page).toContain('Agent&#x27;s calendar');
    expect(page).toContain('Issue a link');
  });

  it('refuses a post without the CSRF token, and any role but admin', async () => {
    await browser
      .post(`/agents/${agent.id}/calendar-token`)
      .type('form')
      .set('Host', 'esito.test')
      .set('Referer', `http://esito.test/agents/${agent.id}`)
      .send({})
      .expect(303);
    expect(await tokenOf()).toBeNull();

    const operator = await signedInAgent(app, await createUser(app, { role: 'operator' }));
    await operator.get(`/agents/${agent.id}`).expect(403);
    const home = (await operator.get('/').expect(200)).text;
    await operator
      .post(`/agents/${agent.id}/calendar-token`)
      .type('form')
      .send({ _csrf: csrfFrom(home) })
      .expect(303);
    expect(await tokenOf()).toBeNull();
  });
});
