import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCallback } from '../factories/callback.factory';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Desk {
  id: number;
  token: string;
}

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY_11 = new Date('2026-11-30T10:00:00Z');

/** Inbound and manual calls: search a contact, take it like `next` (invariant 14). */
describe('Work: search and take', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let anna: Desk;
  let bruno: Desk;
  let carla: Desk;
  let campaign: Campaign;
  let other: Campaign;
  let statusId: number;
  const http = () => request(app.getHttpServer());
  const as = (desk: Desk) => ({ Authorization: `Bearer ${desk.token}` });
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');
  const search = (desk: Desk, q: string) =>
    http().get('/api/v1/work/search').query({ q }).set(as(desk));
  const take = (desk: Desk, contactId: number, reason = 'inbound') =>
    http().post('/api/v1/work/take').set(as(desk)).send({ contactId, reason });
  const desk = async (): Promise<Desk> => {
    const user = await createUser(app, { role: 'operator' });
    return { id: user.id, token: await tokenFor(app, user) };
  };

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY_11);
    await resetDatabase(app);
    [anna, bruno, carla] = [await desk(), await desk(), await desk()];
    statusId = (await createStatus(app, { code: 'NI', type: 'N' })).id;
    campaign = await createCampaign(
      app,
      { callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' } },
      { statusIds: [statusId], operatorIds: [anna.id, bruno.id] },
    );
    other = await createCampaign(app, {}, { statusIds: [statusId], operatorIds: [carla.id] });
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('GET /work/search', () => {
    it('finds by name or phone digits in the operator’s campaigns only, at most 20', async () => {
      const maria = await createContact(app, campaign.id, {
        firstName: 'Maria',
        lastName: 'Rossi',
        phone: '+393331112233',
        email: 'maria@example.com',
      });
      await createContact(app, other.id, { firstName: 'Maria', lastName: 'Rossini' });
      const byName = await search(anna, 'ross').expect(200);
      expect(byName.body).toEqual([
        {
          id: maria.id,
          name: 'Maria Rossi',
          phone: '+393331112233',
          campaignId: campaign.id,
          state: 'new',
        },
      ]);
      const byPhone = await search(anna, '333 111 2233').expect(200);
      expect((byPhone.body as Array<{ id: number }>).map((r) => r.id)).toEqual([maria.id]);
      // Carla works the other campaign: Maria Rossi of this one does not exist for her.
      const hers = await search(carla, 'ross').expect(200);
      expect((hers.body as Array<{ name: string }>).map((r) => r.name)).toEqual(['Maria Rossini']);

      for (let i = 0; i < 25; i++) {
        await createContact(app, campaign.id, { firstName: 'Lucia', lastName: `Bianchi${i}` });
      }
      expect((await search(anna, 'bianchi').expect(200)).body).toHaveLength(20);
    });

    it('needs 3 characters and is for operators', async () => {
      for (const q of ['', 'ab', 'x'.repeat(101)]) {
        const res = await search(anna, q).expect(400);
        expect(said(res.body)).toMatch(/^q must be/);
      }
      const coordinator = await createUser(app, { role: 'coordinator' });
      await http()
        .get('/api/v1/work/search?q=rossi')
        .set({ Authorization: `Bearer ${await tokenFor(app, coordinator)}` })
        .expect(403);
    });
  });

  describe('POST /work/take', () => {
    it('leases the contact like next, with the card, and the outcome ends it', async () => {
      const maria = await createContact(app, campaign.id, { firstName: 'Maria', state: 'final' });
      const res = await take(anna, maria.id, 'inbound').expect(200);
      expect(res.body.contact).toMatchObject({ id: maria.id, firstName: 'Maria' });
      expect(res.body.statuses.map((s: { id: number }) => s.id)).toEqual([statusId]);
      const lease = await db.getRepository(ContactLease).findOneByOrFail({ contactId: maria.id });
      expect(lease).toMatchObject({ userId: anna.id, previousState: 'final' });
      expect((await db.getRepository(Contact).findOneByOrFail({ id: maria.id })).state).toBe(
        'in_progress',
      );
      // Taken twice by the same operator: the same contact, not an error.
      await take(anna, maria.id).expect(200);
      await http()
        .post(`/api/v1/work/${maria.id}/outcome`)
        .set(as(anna))
        .send({ statusId })
        .expect(201);
      expect(await db.getRepository(ContactLease).count()).toBe(0);
    });

    it('a discard gives the contact back as it was', async () => {
      const maria = await createContact(app, campaign.id, { state: 'retry' });
      await take(anna, maria.id).expect(200);
      await http().post(`/api/v1/work/${maria.id}/discard`).set(as(anna)).expect(204);
      expect((await db.getRepository(Contact).findOneByOrFail({ id: maria.id })).state).toBe(
        'retry',
      );
    });

    it('carries a callback waiting on the contact that the operator may work', async () => {
      const callback = await createCallback(app, campaign.id, {
        visibility: 'public',
        dueAt: new Date(MONDAY_11.getTime() + 3600_000),
      });
      const res = await take(anna, callback.contactId).expect(200);
      expect(res.body.callback).toMatchObject({ id: callback.id });
      const lease = await db.getRepository(ContactLease).findOneByOrFail({ userId: anna.id });
      expect(lease.callbackId).toBe(callback.id);
    });

    it('refuses another campaign (403), someone else’s contact (409), a second contact (409)', async () => {
      const maria = await createContact(app, campaign.id);
      const luca = await createContact(app, campaign.id);
      const foreign = await createContact(app, other.id);
      const res403 = await take(anna, foreign.id).expect(403);
      expect(said(res403.body)).toMatch(/^contactId: /);
      await take(anna, 999_999).expect(404);
      await take(anna, maria.id).expect(200);
      const taken = await take(bruno, maria.id).expect(409);
      expect(said(taken.body)).toBe(
        `contactId: contact ${maria.id} is being worked by another operator`,
      );
      expect(JSON.stringify(taken.body)).not.toMatch(/anna|Test User/i);
      const second = await take(anna, luca.id).expect(409);
      expect(said(second.body)).toMatch(/^contactId: you already have contact/);
    });

    it('manual obeys do-not-call and calling hours; inbound does not', async () => {
      const blocked = await createContact(app, campaign.id);
      await addToDoNotCall(app, blocked.phone);
      const dnc = await take(anna, blocked.id, 'manual').expect(409);
      expect(said(dnc.body)).toMatch(/^contactId: .* is on the do-not-call list/);
      await take(anna, blocked.id, 'inbound').expect(200);
      await http().post(`/api/v1/work/${blocked.id}/discard`).set(as(anna)).expect(204);

      clock.set(new Date('2026-11-30T21:30:00Z')); // 22:30 in Rome
      const evening = await createContact(app, campaign.id);
      const closed = await take(anna, evening.id, 'manual').expect(400);
      expect(said(closed.body)).toMatch(/^contactId: .*outside its calling hours: /);
      await take(anna, evening.id, 'inbound').expect(200);
    });

    it('next skips the contact the operator has just given back, once', async () => {
      const maria = await createContact(app, campaign.id);
      const next = (body: object) =>
        http()
          .post('/api/v1/work/next')
          .set(as(anna))
          .send({ campaignId: campaign.id, ...body });
      expect((await next({}).expect(200)).body.contact.id).toBe(maria.id);
      await http().post(`/api/v1/work/${maria.id}/discard`).set(as(anna)).expect(204);
      await next({ skipContactId: maria.id }).expect(204);
      const luca = await createContact(app, campaign.id);
      expect((await next({ skipContactId: maria.id }).expect(200)).body.contact.id).toBe(luca.id);
      await http().post(`/api/v1/work/${luca.id}/discard`).set(as(anna)).expect(204);
      expect((await next({}).expect(200)).body.contact.id).toBe(maria.id);
    });

    it('refuses bad input naming the field', async () => {
      for (const [body, field] of [
        [{ reason: 'inbound' }, 'contactId'],
        [{ contactId: 'x', reason: 'inbound' }, 'contactId'],
        [{ contactId: 1 }, 'reason'],
        [{ contactId: 1, reason: 'outbound' }, 'reason'],
      ] as const) {
        const res = await http().post('/api/v1/work/take').set(as(anna)).send(body).expect(400);
        expect(said(res.body)).toContain(field);
      }
    });

    (isMysqlRun() ? it : it.skip)(
      'take racing next and another take: one winner, the contact never held twice',
      async () => {
        const maria = await createContact(app, campaign.id);
        const desks = [anna, bruno, await desk(), await desk()];
        await db.query(
          'INSERT INTO campaign_operators (campaign_id, user_id) VALUES (?, ?), (?, ?)',
          [campaign.id, desks[2]!.id, campaign.id, desks[3]!.id],
        );
        for (let round = 0; round < 5; round++) {
          const answers = await Promise.all([
            take(desks[0]!, maria.id),
            take(desks[1]!, maria.id, 'manual'),
            take(desks[2]!, maria.id),
            http().post('/api/v1/work/next').set(as(desks[3]!)).send({ campaignId: campaign.id }),
          ]);
          const winners = answers.filter(
            (r) =>
              r.status === 200 && (r.body as { contact?: { id: number } }).contact?.id === maria.id,
          );
          expect(winners).toHaveLength(1);
          for (const r of answers) expect([200, 204, 409]).toContain(r.status);
          expect(await db.getRepository(ContactLease).countBy({ contactId: maria.id })).toBe(1);
          const holder = await db
            .getRepository(ContactLease)
            .findOneByOrFail({ contactId: maria.id });
          const token = desks.find((d) => d.id === holder.userId)!;
          await http().post(`/api/v1/work/${maria.id}/discard`).set(as(token)).expect(204);
        }
      },
    );
  });
});
