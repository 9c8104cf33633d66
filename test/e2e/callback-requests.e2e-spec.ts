import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CallbackRequest } from '../../src/callback-requests/callback-request.entity';
import { CallbackRequestsService } from '../../src/callback-requests/callback-requests.service';
import { Callback } from '../../src/callbacks/callback.entity';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCallback } from '../factories/callback.factory';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(MONDAY.getTime() + minutes * MINUTE);

interface Booked {
  id: number;
  slotStart: string;
  slotEnd: string;
  date: string;
  window: string;
  message: string;
  moved: boolean;
}
interface SlotsBody {
  date: string;
  slots: Array<{ start: string; end: string; window: string; capacity: number; remaining: number }>;
}

describe('Inbound callback requests and slots', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let ivr: string;
  let operator: { id: number; token: string };
  let noAnswer: OutcomeStatus;
  let sale: OutcomeStatus;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const message = (body: { message: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : body.message;
  const slots = (date?: string, token = ivr, campaignId = campaign.id) =>
    http()
      .get('/api/v1/callback-slots')
      .query({ campaignId, ...(date ? { date } : {}) })
      .set(as(token));
  const ask = (body: object, token = ivr) =>
    http()
      .post('/api/v1/callback-requests')
      .set(as(token))
      .send({ campaignId: campaign.id, ...body });
  const requests = () => db.getRepository(CallbackRequest);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    const adminUser = await createUser(app, { role: 'admin' });
    admin = await tokenFor(app, adminUser);
    ivr = await tokenFor(app, await createUser(app, { role: 'integration' }));
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    noAnswer = await createStatus(app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
      retryAfterMinutes: 10,
      maxAttempts: 3,
      customerReached: false,
    });
    sale = await createStatus(app, { code: 'OK', label: 'Risolto', type: 'N' });
    campaign = await createCampaign(
      app,
      { callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } },
      { statusIds: [noAnswer.id, sale.id], operatorIds: [operator.id] },
    );
    await http()
      .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
      .set(as(admin))
      .send({
        slotMinutes: 30,
        leadMinutes: 15,
        defaultCapacity: 2,
        capacities: [
          { day: 1, hour: 14, capacity: 0 },
          { day: 1, hour: 15, capacity: 1 },
        ],
      })
      .expect(200);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('slots', () => {
    it('lists the day’s slots with room: not the imminent ones, not closed hours, not closed days', async () => {
      const res = await slots('2026-11-30').expect(200);
      const body = res.body as SlotsBody;
      const windows = body.slots.map((s) => s.window);
      // 11:00 is too close (lead 15 minutes); 14:00-15:00 has no staff; 15:xx takes one.
      expect(windows[0]).toBe('11:30-12:00');
      expect(windows).not.toContain('11:00-11:30');
      expect(windows).not.toContain('14:00-14:30');
      expect(windows).not.toContain('14:30-15:00');
      expect(windows[windows.length - 1]).toBe('17:30-18:00');
      expect(body.slots.find((s) => s.window === '15:00-15:30')).toMatchObject({
        start: '2026-11-30T14:00:00.000Z',
        end: '2026-11-30T14:30:00.000Z',
        capacity: 1,
        remaining: 1,
      });
      // Today by default; Saturday is closed.
      expect(((await slots().expect(200)).body as SlotsBody).date).toBe('2026-11-30');
      expect(((await slots('2026-12-05').expect(200)).body as SlotsBody).slots).toEqual([]);
    });

    it('takes full slots off the list and counts the seats left', async () => {
      await ask({ phone: '3331000001', slotStart: '2026-11-30T15:00' }).expect(201);
      await ask({ phone: '3331000002', slotStart: '2026-11-30T16:00' }).expect(201);
      const body = (await slots('2026-11-30').expect(200)).body as SlotsBody;
      expect(body.slots.map((s) => s.window)).not.toContain('15:00-15:30');
      expect(body.slots.find((s) => s.window === '16:00-16:30')?.remaining).toBe(1);
    });

    it('refuses a wrong day, an unknown campaign and a missing campaignId, naming the field', async () => {
      expect(message((await slots('2026-11-29').expect(400)).body)).toMatch(/^date: .*past/);
      expect(message((await slots('2026-02-30').expect(400)).body)).toMatch(/^date/);
      expect(message((await slots('2026-12-30').expect(400)).body)).toMatch(
        /^date: .*up to 2026-12-06/,
      );
      expect(message((await slots(undefined, ivr, 999999).expect(404)).body)).toMatch(
        /^campaignId/,
      );
      const none = await http().get('/api/v1/callback-slots').set(as(ivr)).expect(400);
      expect(message(none.body)).toMatch(/^campaignId/);
    });
  });

  describe('requests', () => {
    it('books the first slot with room, says the window, and becomes a public callback with the context', async () => {
      const res = await ask({
        phone: '+39 333 123 4567',
        name: 'Maria Rossi',
        reason: 'Bolletta troppo alta',
        context: { queueWaitSeconds: 240, ivr: 'fatture > reclami' },
        language: 'en',
      }).expect(201);
      const booked = res.body as Booked;
      expect(booked).toMatchObject({
        slotStart: '2026-11-30T10:30:00.000Z',
        slotEnd: '2026-11-30T11:00:00.000Z',
        date: '2026-11-30',
        window: '11:30-12:00',
        moved: false,
      });
      expect(booked.message).toBe(
        'We will call you back on Monday 30 November between 11:30 and 12:00.',
      );
      const it = await ask({ phone: '3331234568', slotStart: '2026-11-30T12:00' }).expect(201);
      expect((it.body as Booked).message).toBe(
        'Ti richiameremo lunedì 30 novembre tra le 12:00 e le 12:30.',
      );

      const saved = await requests().findOneByOrFail({ id: booked.id });
      expect(saved).toMatchObject({ phone: '+393331234567', state: 'booked', source: 'api' });
      const contact = await db.getRepository(Contact).findOneByOrFail({ id: saved.contactId });
      expect(contact).toMatchObject({ firstName: 'Maria', lastName: 'Rossi', state: 'callback' });
      const callback = await db.getRepository(Callback).findOneByOrFail({ id: saved.callbackId! });
      expect(callback).toMatchObject({ visibility: 'public', state: 'scheduled', ownerId: null });
      expect(callback.dueAt.toISOString()).toBe('2026-11-30T10:30:00.000Z');

      // In the window the operator is handed the callback with what the caller said.
      clock.set(at(35));
      const work = await http()
        .post('/api/v1/work/next')
        .set(as(operator.token))
        .send({ campaignId: campaign.id })
        .expect(200);
      const item = work.body as {
        contact: { id: number; phone: string };
        callback: { id: number; notes: string; reason: string };
      };
      expect(item.contact.phone).toBe('+393331234567');
      expect(item.callback.reason).toBe('Bolletta troppo alta');
      expect(item.callback.notes).toContain('11:30-12:00');
      expect(item.callback.notes).toContain('queueWaitSeconds: 240');
      expect(item.callback.notes).toContain('ivr: fatture > reclami');
      await http()
        .post(`/api/v1/work/${item.contact.id}/outcome`)
        .set(as(operator.token))
        .send({ statusId: sale.id })
        .expect(201);
      expect(await requests().findOneByOrFail({ id: booked.id })).toMatchObject({
        state: 'served',
        attempts: 1,
      });
    });

    it('answers 409 with the next free slots when the chosen slot is full', async () => {
      await ask({ phone: '3331000001', slotStart: '2026-11-30T15:00:00+01:00' }).expect(201);
      const full = await ask({ phone: '3331000002', slotStart: '2026-11-30T14:00:00Z' }).expect(
        409,
      );
      expect(message(full.body)).toMatch(/^slotStart: the slot 2026-11-30 15:00-15:30 is full/);
      const next = (full.body as { nextSlots: Array<{ window: string }> }).nextSlots;
      expect(next.map((s) => s.window)).toEqual([
        '11:30-12:00',
        '12:00-12:30',
        '12:30-13:00',
        '13:00-13:30',
        '13:30-14:00',
      ]);
      // A slot without staff is full from the start.
      await ask({ phone: '3331000003', slotStart: '2026-11-30T14:00' }).expect(409);
    });

    it('keeps one open request per number: asking again moves it and frees its seat', async () => {
      const first = (
        await ask({ phone: '3331000001', slotStart: '2026-11-30T15:00', reason: 'a' }).expect(201)
      ).body as Booked;
      const second = (
        await ask({ phone: '333 100 0001', slotStart: '2026-11-30T16:00', reason: 'b' }).expect(201)
      ).body as Booked;
      expect(second).toMatchObject({ id: first.id, moved: true, window: '16:00-16:30' });
      expect(await requests().count()).toBe(1);
      const callbacks = await db.getRepository(Callback).find();
      expect(callbacks.filter((c) => c.state === 'scheduled')).toHaveLength(1);
      expect(callbacks[0]!.dueAt.toISOString()).toBe('2026-11-30T15:00:00.000Z');
      // 15:00 has its seat back.
      await ask({ phone: '3331000002', slotStart: '2026-11-30T15:00' }).expect(201);
    });

    it('a known customer is called back on their contact, replacing an operator’s callback', async () => {
      const known = await createContact(app, campaign.id, {
        phone: '+393331000009',
        state: 'final',
        attempts: 4,
      });
      const promised = await createCallback(app, campaign.id, {
        contactId: known.id,
        ownerId: operator.id,
        visibility: 'private',
        dueAt: at(24 * 60),
      });
      await ask({ phone: '3331000009' }).expect(201);
      expect((await db.getRepository(Callback).findOneByOrFail({ id: promised.id })).state).toBe(
        'cancelled',
      );
      expect(await db.getRepository(Contact).findOneByOrFail({ id: known.id })).toMatchObject({
        state: 'callback',
        attempts: 0,
      });
      expect(await db.getRepository(Contact).count()).toBe(1);
    });

    it('refuses bad input with a 4xx naming the field, and never books it', async () => {
      const cases: Array<[object, number, RegExp]> = [
        [{ phone: '12' }, 400, /^phone: .*not a valid phone number/],
        [{ phone: '+39 899 123456' }, 400, /^phone: .*premium-rate/],
        [{ phone: '+39 848 123456' }, 400, /^phone: .*shared-cost/],
        [{ phone: 42 }, 400, /phone must be/],
        [{ phone: '3331000001', slotStart: '2026-11-30T08:00' }, 400, /^slotStart: .*past/],
        [
          { phone: '3331000001', slotStart: '2026-11-30T19:00' },
          400,
          /^slotStart: .*outside the opening hours Mon-Fri 09:00-18:00/,
        ],
        [
          { phone: '3331000001', slotStart: '2026-11-30T12:10' },
          400,
          /^slotStart: .*not the start of a slot/,
        ],
        [
          { phone: '3331000001', slotStart: '2026-11-30T11:00' },
          400,
          /^slotStart: .*within 15 minutes/,
        ],
        [{ phone: '3331000001', slotStart: 'tomorrow' }, 400, /^slotStart must be an ISO-8601/],
        [
          { phone: '3331000001', slotStart: '2026-12-30T10:00' },
          400,
          /^slotStart: .*up to 2026-12-06/,
        ],
        [{ phone: '3331000001', context: ['a'] }, 400, /context must be a JSON object/],
        [
          { phone: '3331000001', context: { said: 'x'.repeat(5000) } },
          400,
          /^context is \d+ characters/,
        ],
        [{ phone: '3331000001', reason: 'x'.repeat(201) }, 400, /reason must be at most 200/],
        [
          { phone: '3331000001', campaignId: 999999 },
          404,
          /^campaignId: campaign 999999 not found/,
        ],
        [{ phone: '3331000001', campaignId: 'x' }, 400, /campaignId must be/],
        [{ phone: '3331000001', extra: 1 }, 400, /extra/],
      ];
      for (const [body, status, pattern] of cases) {
        const res = await ask(body);
        expect({ body, status: res.status }).toEqual({ body, status });
        expect(message(res.body)).toMatch(pattern);
      }
      await addToDoNotCall(app, '+393331000001');
      expect(message((await ask({ phone: '3331000001' }).expect(409)).body)).toMatch(
        /^phone: .*do-not-call/,
      );
      expect(await requests().count()).toBe(0);
    });

    it('is for integrations and coordinators: an operator gets 403, an integration nothing else', async () => {
      expect(
        message((await ask({ phone: '3331000001' }, operator.token).expect(403)).body),
      ).toMatch(/needs integration/);
      await http().get('/api/v1/callbacks').set(as(ivr)).expect(403);
      await http().get('/api/v1/me').set(as(ivr)).expect(403);
      await http().post('/api/v1/work/next').set(as(ivr)).send({}).expect(403);
      await slots(undefined, operator.token).expect(200);
      await http()
        .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
        .set(as(ivr))
        .send({})
        .expect(403);
      await http().post('/api/v1/callback-requests').send({}).expect(401);
    });

    it('retries a caller who does not answer by the status’s rule, then closes it as not reached', async () => {
      const booked = (await ask({ phone: '3331000001' }).expect(201)).body as Booked;
      let now = 35;
      for (let attempt = 1; attempt <= 3; attempt++) {
        clock.set(at(now));
        const work = await http()
          .post('/api/v1/work/next')
          .set(as(operator.token))
          .send({ campaignId: campaign.id })
          .expect(200);
        const contactId = (work.body as { contact: { id: number } }).contact.id;
        await http()
          .post(`/api/v1/work/${contactId}/outcome`)
          .set(as(operator.token))
          .send({ statusId: noAnswer.id })
          .expect(201);
        const saved = await requests().findOneByOrFail({ id: booked.id });
        expect(saved).toMatchObject({
          attempts: attempt,
          state: attempt < 3 ? 'retrying' : 'not_reached',
        });
        expect(saved.firstAttemptAt?.toISOString()).toBe(at(35).toISOString());
        // Not again before the retry's 10 minutes.
        if (attempt < 3)
          await http()
            .post('/api/v1/work/next')
            .set(as(operator.token))
            .send({ campaignId: campaign.id })
            .expect(204);
        now += 10;
      }
      const closed = await http()
        .get('/api/v1/callback-requests')
        .query({ state: 'not_reached' })
        .set(as(admin))
        .expect(200);
      expect((closed.body as Array<{ id: number }>).map((r) => r.id)).toEqual([booked.id]);
    });

    it('flags to coordinators the requests not served by the end of their window, still first in line', async () => {
      const late = (await ask({ phone: '3331000001' }).expect(201)).body as Booked;
      const later = (await ask({ phone: '3331000002', slotStart: '2026-11-30T13:00' }).expect(201))
        .body as Booked;
      const service = app.get(CallbackRequestsService);
      clock.set(at(59));
      expect(await service.flagLate()).toBe(0);
      clock.set(at(60));
      expect(await service.flagLate()).toBe(1);
      expect(await service.flagLate()).toBe(0);
      const flagged = await http()
        .get('/api/v1/callback-requests')
        .query({ late: 'true' })
        .set(as(admin))
        .expect(200);
      expect(flagged.body).toEqual([
        expect.objectContaining({ id: late.id, late: true, state: 'booked' }),
      ]);
      // Its public callback comes before the later one's.
      clock.set(at(185));
      const work = await http()
        .post('/api/v1/work/next')
        .set(as(operator.token))
        .send({ campaignId: campaign.id })
        .expect(200);
      expect((work.body as { contact: { phone: string } }).contact.phone).toBe('+393331000001');
      expect(later.window).toBe('13:00-13:30');
    });
  });

  (isMysqlRun() ? describe : describe.skip)('on MySQL under concurrency', () => {
    it('100 callers at once for a slot of capacity 5: exactly 5 are accepted, the others get 409', async () => {
      await http()
        .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
        .set(as(admin))
        .send({ capacities: [{ day: 1, hour: 16, capacity: 5 }] })
        .expect(200);
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          ask({ phone: `333200${String(i).padStart(4, '0')}`, slotStart: '2026-11-30T16:00' }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 409)).toHaveLength(95);
      expect(await requests().countBy({ slotStart: new Date('2026-11-30T15:00:00Z') })).toBe(5);
      const body = (await slots('2026-11-30').expect(200)).body as SlotsBody;
      expect(body.slots.map((s) => s.window)).not.toContain('16:00-16:30');
    });

    it('the same new number asked 20 times at once gets one contact and one open request', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ask({ phone: '3337000000', slotStart: i % 2 ? '2026-11-30T16:00' : '2026-11-30T16:30' }),
        ),
      );
      expect(answers.map((a) => a.status).every((s) => s === 201)).toBe(true);
      expect(new Set(answers.map((a) => (a.body as Booked).id)).size).toBe(1);
      expect(await requests().count()).toBe(1);
      expect(await db.getRepository(Contact).count()).toBe(1);
      const active = await db.getRepository(Callback).findBy({ state: 'scheduled' });
      expect(active).toHaveLength(1);
    });
  });
});
