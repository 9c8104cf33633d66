import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { CallbackOfferDay } from '../../src/callback-requests/callback-offer-day.entity';
import { CallbackRequest } from '../../src/callback-requests/callback-request.entity';
import { CallbackWebSubmission } from '../../src/callback-requests/callback-web-submission.entity';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
/** 11:30 in Rome: the first slot the page offers (lead time 15 minutes). */
const SLOT_1130 = '2026-11-30T10:30:00.000Z';
/** 12:00 and 12:30 in Rome: one seat each. */
const SLOT_1200 = '2026-11-30T11:00:00.000Z';
const SLOT_1230 = '2026-11-30T11:30:00.000Z';

describe('Public callback page', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let campaign: Campaign;
  const path = () => `/callback/${campaign.code}`;
  const requests = () => db.getRepository(CallbackRequest);

  /** A visitor's browser: its own cookie jar, coming from `ip` (the app trusts the proxy here). */
  async function visitor(
    ip = '203.0.113.7',
    lang?: string,
  ): Promise<{ agent: TestAgent; csrf: string; post: (fields: object) => request.Test }> {
    const agent = request.agent(app.getHttpServer());
    const get = agent.get(path()).set('X-Forwarded-For', ip);
    if (lang) void get.set('Accept-Language', lang);
    const page = await get.expect(200);
    const csrf = csrfFrom(page.text);
    return {
      agent,
      csrf,
      post: (fields: object) =>
        agent
          .post(path())
          .set('X-Forwarded-For', ip)
          .set('Accept-Language', lang ?? 'it')
          .type('form')
          .send({ _csrf: csrf, ...fields }),
    };
  }
  const good = (over: object = {}) => ({
    slotStart: SLOT_1130,
    phone: '333 100 0001',
    name: 'Maria Rossi',
    reason: 'Bolletta',
    ...over,
  });
  const offer = (body: object) =>
    request(app.getHttpServer())
      .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
      .set('Authorization', `Bearer ${admin}`)
      .send(body)
      .expect(200);

  beforeAll(async () => {
    app = await createTestApp();
    app.set('trust proxy', 'loopback');
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const status = await createStatus(app, { code: 'OK', label: 'Fatto', type: 'N' });
    campaign = await createCampaign(
      app,
      { callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } },
      { statusIds: [status.id] },
    );
    await offer({
      publicPage: true,
      defaultCapacity: 30,
      daysAhead: 3,
      capacities: [
        { day: 1, hour: 12, capacity: 1 },
        { day: 1, hour: 13, capacity: 0 },
      ],
    });
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('is there only for a campaign whose offer has the public page on', async () => {
    await request(app.getHttpServer()).get('/callback/NOPE').expect(404);
    await offer({ publicPage: false });
    await request(app.getHttpServer()).get(path()).expect(404);
    // Its form cannot be sent either (the CSRF check turns it back first).
    await request(app.getHttpServer())
      .post(path())
      .type('form')
      .send(good())
      .expect((res) => expect([303, 403, 404]).toContain(res.status));
    expect(await requests().count()).toBe(0);
  });

  it('shows the free slots by day in the visitor’s language, and counts the offer', async () => {
    const it = await request(app.getHttpServer()).get(path()).expect(200);
    expect(it.text).toContain('<html lang="it">');
    expect(it.text).toContain('Ti richiamiamo noi');
    // Monday, Tuesday, Wednesday (3 days ahead); the weekend is closed.
    expect(it.text.match(/data-day="/g)).toHaveLength(3);
    expect(it.text).toContain('lunedì 30 novembre');
    expect(it.text).toContain(`value="${SLOT_1130}"`);
    // Too soon (lead time), no staff at 13:xx, and the past are not offered.
    expect(it.text).not.toContain('value="2026-11-30T10:00:00.000Z"');
    expect(it.text).not.toContain('value="2026-11-30T12:00:00.000Z"');
    expect(it.text).toMatch(/name="website"[^>]*tabindex="-1"/);

    const en = await request(app.getHttpServer())
      .get(path())
      .set('Accept-Language', 'en-GB,en;q=0.9')
      .expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Monday 30 November');
    // The switch wins over the browser's language, and stays for the visit.
    const { agent } = await visitor('203.0.113.7', 'en');
    expect((await agent.get(`${path()}?lang=it`).expect(200)).text).toContain('Ti richiamiamo');
    expect((await agent.get(path()).expect(200)).text).toContain('<html lang="it">');

    const days = await db.getRepository(CallbackOfferDay).find();
    expect(days).toEqual([
      { campaignId: campaign.id, day: '2026-11-30', source: 'web', offered: 5, accepted: 0 },
    ]);
  });

  it('books the chosen slot and confirms the window, never a minute', async () => {
    const { agent, post } = await visitor('203.0.113.7', 'en');
    await post(good()).expect(303).expect('Location', `${path()}/booked`);
    const done = await agent.get(`${path()}/booked`).set('Accept-Language', 'en').expect(200);
    expect(done.text).toContain('Thank you!');
    expect(done.text).toContain(
      'We will call you back on Monday 30 November between 11:30 and 12:00.',
    );
    const [row] = await requests().find();
    expect(row).toMatchObject({
      campaignId: campaign.id,
      phone: '+393331000001',
      name: 'Maria Rossi',
      reason: 'Bolletta',
      source: 'web',
      clientIp: '203.0.113.7',
      state: 'booked',
    });
    expect(row!.slotStart.toISOString()).toBe(SLOT_1130);
    // The confirmation is this visitor's only: another browser goes back to the form.
    await request(app.getHttpServer())
      .get(`${path()}/booked`)
      .expect(303)
      .expect('Location', path());
  });

  it('refuses bad input with the field’s message, keeps what was typed, books nothing', async () => {
    const { post } = await visitor('203.0.113.7', 'en');
    const cases: Array<[object, string, RegExp]> = [
      [{ phone: undefined }, 'phone', /Enter your phone number/],
      [{ phone: '12' }, 'phone', /not a valid phone number/],
      [{ phone: '899 123 456' }, 'phone', /premium-rate/],
      [{ name: '  ' }, 'name', /Enter your name/],
      [{ name: 'x'.repeat(121) }, 'name', /at most 120/],
      [{ reason: 'x'.repeat(201) }, 'reason', /at most 200/],
      [{ slotStart: undefined }, 'slotStart', /Choose a time/],
      [{ slotStart: '2026-11-30T10:45:00.000Z' }, 'slotStart', /no longer available/],
      [{ slotStart: 'tomorrow' }, 'slotStart', /no longer available/],
    ];
    for (const [over, field, text] of cases) {
      const res = await post(good(over)).expect(400);
      expect(res.text).toMatch(new RegExp(`id="${field}-error">[^<]*`));
      expect(res.text).toMatch(text);
      expect(res.text).toContain('reason' in over ? 'value="Maria Rossi"' : '>Bolletta</textarea>');
    }
    // A robot filling in the hidden field is refused as a whole.
    const trap = await post(good({ website: 'http://spam.example' })).expect(400);
    expect(trap.text).toContain('could not be accepted');
    // A do-not-call number: the phone field says so, nothing about the list.
    await addToDoNotCall(app, '+393331000009');
    const blocked = await post(good({ phone: '3331000009' })).expect(409);
    expect(blocked.text).toMatch(/id="phone-error">We cannot book/);
    // No CSRF token: refused like every other form of the app.
    await request(app.getHttpServer())
      .post(path())
      .type('form')
      .send(good())
      .expect((res) => expect([303, 403]).toContain(res.status));
    expect(await requests().count()).toBe(0);
    expect(await db.getRepository(CallbackWebSubmission).count()).toBe(0);
  });

  it('says a slot that has just filled up beside the slots (409) and offers the others', async () => {
    const first = await visitor('203.0.113.7', 'en');
    await first.post(good({ slotStart: SLOT_1200 })).expect(303);
    const second = await visitor('203.0.113.8', 'en');
    const res = await second.post(good({ phone: '3331000002', slotStart: SLOT_1200 })).expect(409);
    expect(res.text).toMatch(/id="slotStart-error">That time has just filled up/);
    expect(res.text).not.toContain(`value="${SLOT_1200}"`);
    expect(res.text).toContain(`value="${SLOT_1230}"`);
    expect(await db.getRepository(CallbackWebSubmission).count()).toBe(1);
  });

  it('limits requests per address per hour and per number per day (429), counted in the database', async () => {
    const { post } = await visitor('198.51.100.1', 'en');
    // Per number: three a day (asking again moves the request, and counts).
    for (let i = 0; i < 3; i++) await post(good({ phone: '3331000001' })).expect(303);
    const byNumber = await post(good({ phone: '3331000001' })).expect(429);
    expect(byNumber.text).toMatch(/id="phone-error">This number already asked/);
    // Per address: ten an hour, whatever the numbers.
    for (let i = 2; i <= 8; i++) await post(good({ phone: `333100000${i}` })).expect(303);
    const byAddress = await post(good({ phone: '3331000099' })).expect(429);
    expect(byAddress.headers['retry-after']).toBe('3600');
    expect(byAddress.text).toContain('Too many requests from this connection');
    // Another address is not held back; an hour later this one may ask again.
    const other = await visitor('198.51.100.2', 'en');
    await other.post(good({ phone: '3331000050' })).expect(303);
    clock.set(new Date(MONDAY.getTime() + 61 * 60_000));
    await post(good({ phone: '3331000099', slotStart: SLOT_1230 })).expect(303);
    await post(good({ phone: '3331000001', slotStart: SLOT_1230 })).expect(429);
    expect(await requests().count()).toBe(10);
  });

  it('never passes the address limit, however many submissions arrive at once', async () => {
    const { post } = await visitor('192.0.2.50', 'en');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(good({ phone: `3332000${String(i).padStart(3, '0')}` })).then((res) => res.status),
      ),
    );
    expect(answers.filter((s) => s === 303)).toHaveLength(10);
    expect(answers.filter((s) => s === 429)).toHaveLength(10);
    expect(await requests().count()).toBe(10);
    expect(await db.getRepository(CallbackWebSubmission).count()).toBe(10);
    const [day] = await db.getRepository(CallbackOfferDay).find();
    expect(day).toMatchObject({ source: 'web', accepted: 10 });
  });
});
