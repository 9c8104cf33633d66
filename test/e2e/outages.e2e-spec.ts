import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

const ALL_DAY = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
const MESSAGE = {
  whatHappened: 'un guasto alla centrale di Milano nord',
  expectedRestore: 'oggi entro le 18:00',
  whatToDo: 'riavviare il modem, poi chiamare il 800 123 456',
};

describe('Outage notification campaigns', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let coordinator: string;
  let coordinator2: string;
  let operator: { id: number; token: string };
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const createOutage = (body: object, token = coordinator) =>
    http()
      .post('/api/v1/outages')
      .set(as(token))
      .send({ name: 'Guasto Milano nord', ...MESSAGE, callingHours: ALL_DAY, ...body });
  const progress = async (id: number) =>
    (await http().get(`/api/v1/outages/${id}/progress`).set(as(coordinator)).expect(200))
      .body as Record<string, number | string | null>;
  const status = (code: string) => db.getRepository(OutcomeStatus).findOneByOrFail({ code });
  const next = (id: number) =>
    http().post('/api/v1/work/next').set(as(operator.token)).send({ campaignId: id });
  const confirm = (contactId: number, body: object) =>
    http().post(`/api/v1/work/${contactId}/outcome`).set(as(operator.token)).send(body);
  const contactsOf = (campaignId: number) =>
    db.getRepository(Contact).find({ where: { campaignId }, order: { id: 'ASC' } });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(new Date('2026-06-10T08:00:00Z'));
    await resetDatabase(app);
    coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    coordinator2 = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    const op = await createUser(app, { role: 'operator', languages: ['it'] });
    operator = { id: op.id, token: await tokenFor(app, op) };
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('refuses bad input naming the field, and leaves nothing behind', async () => {
    const message = async (body: object) => {
      const res = await createOutage(body);
      expect(res.status).toBe(400);
      return JSON.stringify(res.body.message);
    };
    expect(await message({ whatHappened: '  ', numbers: mobile(1) })).toMatch(/whatHappened/);
    expect(await message({})).toMatch(/numbers/);
    expect(await message({ numbers: mobile(1), csv: 'phone\n3331234567' })).toMatch(/csv/);
    expect(await message({ numbers: mobile(1), whatToDo: 'chiamare {{#if}}' })).toMatch(/whatToDo/);
    expect(await message({ numbers: mobile(1), timezone: 'Mars/Base' })).toMatch(/timezone/);
    expect(await message({ numbers: mobile(1), language: 'fr' })).toMatch(/language/);
    expect(await message({ numbers: mobile(1), eligibility: { maxConcurrent: 0 } })).toMatch(
      /maxConcurrent/,
    );
    // a CSV without a phone column is refused whole, and its campaign goes with it
    expect(await message({ csv: 'firstName,lastName\nAnna,Neri' })).toMatch(/phone/);
    expect(await db.getRepository(Campaign).count()).toBe(0);
    await createOutage({ numbers: mobile(1) }, operator.token).expect(403);
    await http().get('/api/v1/outages/999/progress').set(as(coordinator)).expect(404);
    await http().get('/api/v1/outages/abc/progress').set(as(coordinator)).expect(400);
  });

  it('creates the campaign from pasted numbers in one step, with its script and rules', async () => {
    const pasted = [mobile(1), '333 000 0002', 'not a number', '', mobile(1), '+39 333 0000003'];
    const res = await createOutage({ numbers: pasted.join('\n') }).expect(201);
    const body = res.body as {
      id: number;
      code: string;
      import: { imported: number; skippedDuplicates: number; errors: object[] };
      progress: Record<string, number>;
    };
    expect(body.code).toMatch(/^OUT-20260610-0800-[0-9A-F]{4}$/);
    expect(body.import).toMatchObject({ imported: 3, skippedDuplicates: 1, errorCount: 1 });
    // the line of the paste, not of a file the coordinator never saw
    expect(body.import.errors).toEqual([
      { line: 3, field: 'phone', message: expect.stringContaining('not a number') },
    ]);
    expect(body.progress).toMatchObject({ total: 3, left: 3, notified: 0, state: 'open' });

    const campaign = await db.getRepository(Campaign).findOneByOrFail({ id: body.id });
    expect(campaign.eligibility).toMatchObject({ respectPreferredChannel: true });
    const steps = await db
      .getRepository(CampaignStep)
      .find({ where: { campaignId: body.id }, order: { position: 'ASC' } });
    expect(steps.map((s) => s.kind)).toEqual(['script', 'outcome']);
    expect(steps[0]!.body).toContain(MESSAGE.whatHappened);
    expect(steps[0]!.body).toContain(MESSAGE.expectedRestore);
    expect(steps[0]!.body).toContain(MESSAGE.whatToDo);
    const contacts = await contactsOf(body.id);
    expect(contacts.map((c) => [c.phone, c.firstName, c.callReason, c.tags])).toEqual([
      [mobile(1), '', 'outage', ['call_next:outage']],
      [mobile(2), '', 'outage', ['call_next:outage']],
      [mobile(3), '', 'outage', ['call_next:outage']],
    ]);

    // the operator's page shows the outage script rendered for the contact
    const leased = await next(body.id).expect(200);
    const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
    expect(JSON.stringify(current.body)).toContain('Cosa è successo: un guasto alla centrale');
    expect(leased.body.contact.id).toBe(contacts[0]!.id);
  });

  it('e-mails the customers who cannot be called, in the transaction that decides it', async () => {
    const csv = [
      'phone,firstName,lastName,email,preferredChannel,consent',
      `${mobile(11)},Anna,Neri,anna@example.it,email,`,
      `${mobile(12)},Bruno,Blu,,email,`,
      `${mobile(13)},Carla,Rossi,carla@example.it,,yes`,
      `${mobile(14)},Dario,Verdi,dario@example,,`,
      `${mobile(15)},Elena,Gialli,,fax,maybe`,
    ].join('\n');
    const res = await createOutage({ csv }).expect(201);
    const id = res.body.id as number;
    expect(res.body.import).toMatchObject({ imported: 3, errorCount: 2 });
    expect(res.body.import.errors).toEqual([
      { line: 5, field: 'email', message: expect.stringContaining('dario@example') },
      { line: 6, field: 'preferredChannel', message: expect.stringMatching(/fax.*consent/s) },
    ]);
    expect(res.body.progress).toMatchObject({
      total: 3,
      emailedInstead: 1,
      unreachable: 1,
      left: 1,
    });
    const mails = await db.getRepository(FollowUpEmail).find({ where: { campaignId: id } });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ toAddress: 'anna@example.it', state: 'queued' });
    expect(mails[0]!.subject).toBe('Avviso di disservizio: Guasto Milano nord');
    expect(mails[0]!.body).toContain('Gentile Anna Neri');
    expect(mails[0]!.body).toContain(MESSAGE.whatToDo);
    const [anna, bruno] = await contactsOf(id);
    expect(anna).toMatchObject({
      state: 'final',
      ineligibleReason: 'channel',
      tags: ['done:outage'],
    });
    expect(bruno).toMatchObject({ state: 'final', ineligibleReason: 'channel' });

    // A contact added later who prefers e-mail is caught at dispatch, e-mailed there.
    const late = await http()
      .post(`/api/v1/campaigns/${id}/contacts`)
      .set(as(coordinator))
      .send({
        firstName: 'Fabio',
        lastName: 'Neri',
        phone: mobile(16),
        email: 'f@example.it',
        preferredChannel: 'email',
      })
      .expect(201);
    const first = await next(id).expect(200);
    expect(first.body.contact.phone).toBe(mobile(13));
    const notified = await status('OUTAGE_NOTIFIED');
    await confirm(first.body.contact.id, { statusId: notified.id }).expect(201);
    await next(id).expect(204);
    expect(await db.getRepository(FollowUpEmail).countBy({ contactId: late.body.id })).toBe(1);
    expect(await progress(id)).toMatchObject({
      total: 4,
      notified: 1,
      emailedInstead: 2,
      unreachable: 1,
      left: 0,
    });
  });

  it('counts outcomes live, confirms an outcome once, closes with a report', async () => {
    const res = await createOutage({
      numbers: [mobile(21), mobile(22), mobile(23)].join('\n'),
      operatorIds: [operator.id],
    }).expect(201);
    const id = res.body.id as number;
    const [notified, notReached, callback] = await Promise.all(
      ['OUTAGE_NOTIFIED', 'OUTAGE_NOT_REACHED', 'OUTAGE_CALLBACK'].map(status),
    );

    let lease = await next(id).expect(200);
    // the same outcome confirmed twice at once (a double click): one interaction only
    const twice = await Promise.all([
      confirm(lease.body.contact.id, { statusId: notified!.id }),
      confirm(lease.body.contact.id, { statusId: notified!.id }),
    ]);
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await progress(id)).toMatchObject({ notified: 1, left: 2 });
    expect(
      (await db.getRepository(Contact).findOneByOrFail({ id: lease.body.contact.id })).tags,
    ).toEqual(['done:outage']);

    lease = await next(id).expect(200);
    await confirm(lease.body.contact.id, { statusId: notReached!.id }).expect(201);
    // not reached goes back to the queue: its tag says it is still to be called
    expect(
      (await db.getRepository(Contact).findOneByOrFail({ id: lease.body.contact.id })).tags,
    ).toEqual(['call_next:outage']);
    lease = await next(id).expect(200);
    await confirm(lease.body.contact.id, {
      statusId: callback!.id,
      callback: { at: '2026-06-10T15:00:00Z' },
    }).expect(201);
    expect(await progress(id)).toMatchObject({
      total: 3,
      notified: 1,
      notReached: 1,
      retrying: 1,
      callbacksRequested: 1,
      left: 0,
    });

    await http().get(`/api/v1/outages/${id}/report`).set(as(coordinator)).expect(409);
    const closes = await Promise.all([
      http().post(`/api/v1/outages/${id}/close`).set(as(coordinator)),
      http().post(`/api/v1/outages/${id}/close`).set(as(coordinator2)),
    ]);
    expect(closes.map((r) => r.status)).toEqual([200, 200]);
    expect((await db.getRepository(Campaign).findOneByOrFail({ id })).state).toBe('paused');
    await http()
      .post(`/api/v1/outages/${id}/contacts`)
      .set(as(coordinator))
      .send({ numbers: mobile(29) })
      .expect(409);

    const report = await http()
      .get(`/api/v1/outages/${id}/report`)
      .set(as(coordinator))
      .expect(200);
    expect(report.body).toMatchObject({
      state: 'closed',
      notified: 1,
      notReached: 1,
      callbacksRequested: 1,
      message: MESSAGE,
      emails: { queued: 0, sent: 0, failed: 0 },
    });
    const byCode = Object.fromEntries(
      (report.body.byStatus as Array<{ code: string; contacts: number; calls: number }>).map(
        (s) => [s.code, [s.contacts, s.calls]],
      ),
    );
    expect(byCode).toEqual({
      OUTAGE_NOTIFIED: [1, 1],
      OUTAGE_NOT_REACHED: [1, 1],
      OUTAGE_CALLBACK: [1, 1],
    });
    const csv = await http()
      .get(`/api/v1/outages/${id}/report?format=csv`)
      .set(as(coordinator))
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const rows: string[][] = parse(csv.text, { bom: true });
    expect(rows[0]).toEqual(['kind', 'key', 'label', 'type', 'contacts', 'calls']);
    expect(rows).toContainEqual(['summary', 'notified', '', '', '1', '']);
    expect(rows).toContainEqual([
      'outcome',
      'OUTAGE_CALLBACK',
      'Richiamata richiesta',
      'R',
      '1',
      '1',
    ]);
    await http().get(`/api/v1/outages/${id}/report?format=xml`).set(as(coordinator)).expect(400);
  });

  it('two coordinators adding lists to one outage at once: each customer once, one e-mail each', async () => {
    const res = await createOutage({ numbers: mobile(40) }).expect(201);
    const id = res.body.id as number;
    const rows = (from: number, to: number) =>
      [
        'phone,email,preferredChannel',
        ...Array.from({ length: to - from + 1 }, (_, i) =>
          i % 2 === 0
            ? `${mobile(from + i)},c${from + i}@example.it,email`
            : `${mobile(from + i)},,`,
        ),
      ].join('\n');
    // 41-70 and 51-80 overlap on 51-70
    const [a, b] = await Promise.all([
      http()
        .post(`/api/v1/outages/${id}/contacts`)
        .set(as(coordinator))
        .send({ csv: rows(41, 70) }),
      http()
        .post(`/api/v1/outages/${id}/contacts`)
        .set(as(coordinator2))
        .send({ csv: rows(51, 80) }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.import.imported + b.body.import.imported).toBe(40);
    const contacts = await contactsOf(id);
    expect(contacts).toHaveLength(41);
    const mails = await db.getRepository(FollowUpEmail).find({ where: { campaignId: id } });
    const emailed = contacts.filter((c) => c.preferredChannel === 'email');
    expect(mails.map((m) => m.contactId).sort()).toEqual(emailed.map((c) => c.id).sort());
    expect(await progress(id)).toMatchObject({
      total: 41,
      emailedInstead: emailed.length,
      left: 41 - emailed.length,
    });
  });
});
