import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const T0 = new Date('2026-11-30T10:00:00Z');
const DAY = 86_400_000;

/** Do-not-call entries with a source, a scope (all, marketing) and an expiry. */
describe('Do-not-call scope, source and expiry', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: { id: number; username: string; password: string; token: string };
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');
  const list = (body: object, token = admin.token) =>
    http().post('/api/v1/do-not-call').set(as(token)).send(body);
  const operator = async () => {
    const user = await createUser(app, { role: 'operator' });
    return { id: user.id, token: await tokenFor(app, user) };
  };
  const stateOf = async (id: number) =>
    (await db.getRepository(Contact).findOneByOrFail({ id })).state;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(T0);
    await resetDatabase(app);
    const user = await createUser(app, { role: 'admin' });
    admin = { ...user, token: await tokenFor(app, user) };
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('dispatch skips a number blocked for the campaign: scope all everywhere, marketing only in marketing campaigns, not once expired', async () => {
    const statusIds = [(await createStatus(app, { type: 'N' })).id];
    const [seller, helper] = [await operator(), await operator()];
    const marketing = await createCampaign(
      app,
      { purpose: 'marketing' },
      { statusIds, operatorIds: [seller.id] },
    );
    const service = await createCampaign(
      app,
      { purpose: 'service' },
      { statusIds, operatorIds: [helper.id] },
    );
    await list({ phone: mobile(1), scope: 'all' }).expect(201);
    await list({ phone: mobile(2), source: 'register', registerDate: '2026-11-15' }).expect(201);
    await list({ phone: mobile(3), scope: 'marketing', expiresAt: '2026-12-05' }).expect(201);
    await list({ phone: mobile(4), expiresAt: '2026-12-01T09:00:00Z' }).expect(201);
    // A day and a half later: the entry of number 4 has expired, number 3's has not.
    clock.set(new Date(T0.getTime() + 1.5 * DAY));
    // In id order, the blocked ones first: dispatch looks at each and offers the free one.
    const m = [];
    for (const n of [1, 2, 3, 4])
      m.push(await createContact(app, marketing.id, { phone: mobile(n) }));
    const s1 = await createContact(app, service.id, { phone: mobile(1) });
    const s2 = await createContact(app, service.id, { phone: mobile(2) });

    const dealt = await http()
      .post('/api/v1/work/next')
      .set(as(seller.token))
      .send({ campaignId: marketing.id })
      .expect(200);
    expect(dealt.body.contact.id).toBe(m[3]!.id);
    expect([await stateOf(m[0]!.id), await stateOf(m[1]!.id), await stateOf(m[2]!.id)]).toEqual([
      'final',
      'final',
      'final',
    ]);
    const served = await http()
      .post('/api/v1/work/next')
      .set(as(helper.token))
      .send({ campaignId: service.id })
      .expect(200);
    // The register's marketing opt-out does not stop a service call; scope all does.
    expect(served.body.contact.id).toBe(s2.id);
    expect(await stateOf(s1.id)).toBe('final');

    // Adding a contact obeys the same rule: number 3 until its day is over, then freely.
    const add = (campaignId: number, n: number) =>
      http()
        .post(`/api/v1/campaigns/${campaignId}/contacts`)
        .set(as(admin.token))
        .send({ firstName: 'Anna', lastName: 'Neri', phone: mobile(n) });
    const other = await createCampaign(app, { purpose: 'marketing' }, { statusIds });
    expect(said((await add(other.id, 3).expect(409)).body)).toMatch(/do-not-call/);
    await add(service.id, 3).expect(201);
    clock.set(new Date('2026-12-05T23:00:00Z')); // 6 December, 00:00 in Rome
    await add(other.id, 3).expect(201);
    // An expired entry stays on the list, shown as expired, blocking nothing.
    const shown = await http()
      .get(`/api/v1/do-not-call?q=${encodeURIComponent(mobile(3))}`)
      .set(as(admin.token))
      .expect(200);
    expect(shown.body).toEqual([
      expect.objectContaining({
        phone: mobile(3),
        source: 'customer',
        scope: 'marketing',
        expiresAt: '2026-12-05T23:00:00.000Z',
        expired: true,
      }),
    ]);
  });

  it('shows and accepts source, register date, scope and expiry; a number already listed changes only to block more', async () => {
    const first = await list({ phone: mobile(1), source: 'register', registerDate: '2026-11-15' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      source: 'register',
      registerDate: '2026-11-15',
      scope: 'marketing',
      expiresAt: null,
      expired: false,
    });
    // Narrower or shorter: as it was (200).
    const same = await list({ phone: mobile(1), scope: 'marketing', expiresAt: '2027-01-01' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ source: 'register', scope: 'marketing', expiresAt: null });
    // The customer then asks not to be called at all: the wider entry replaces it.
    const wider = await list({ phone: mobile(1), scope: 'all', reason: 'al telefono' });
    expect(wider.status).toBe(200);
    expect(wider.body).toMatchObject({
      source: 'customer',
      scope: 'all',
      registerDate: null,
      reason: 'al telefono',
    });
    const admins = await list({ phone: mobile(2), source: 'admin', expiresAt: '2026-12-31' });
    expect(admins.body).toMatchObject({
      source: 'admin',
      scope: 'all',
      expiresAt: '2026-12-31T23:00:00.000Z',
    });
    // The audit trail has each change, before -> after.
    const audit = await http()
      .get('/api/v1/audit?action=do_not_call')
      .set(as(admin.token))
      .expect(200);
    const lines = (audit.body as { lines: Array<{ action: string; detail: object }> }).lines;
    expect(lines.map((l) => l.action)).toEqual([
      'do_not_call.created',
      'do_not_call.updated',
      'do_not_call.created',
    ]);
    expect(lines[1]!.detail).toMatchObject({
      phone: mobile(1),
      scope: ['marketing', 'all'],
      source: ['register', 'customer'],
    });
    await http()
      .delete(`/api/v1/do-not-call/${encodeURIComponent(mobile(2))}`)
      .set(as(admin.token))
      .expect(204);
    const after = await http()
      .get('/api/v1/audit?action=do_not_call.deleted')
      .set(as(admin.token))
      .expect(200);
    expect(JSON.stringify(after.body)).toContain(mobile(2));
  });

  it('refuses bad scope, source, expiry and register date with 400 naming the field', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ scope: 'sometimes' }, /^scope must be one of: all, marketing$/],
      [{ scope: null }, /^scope is required/],
      [{ source: 'erasure' }, /^source must be one of: customer, register, admin$/],
      [{ expiresAt: 'tomorrow' }, /^expiresAt must be a day/],
      [{ expiresAt: '2026-02-30' }, /^expiresAt must be a day/],
      [{ expiresAt: null }, /^expiresAt is required/],
      [{ expiresAt: '2026-11-29' }, /^expiresAt must be in the future/],
      [{ source: 'register' }, /^registerDate is required with source register/],
      [{ registerDate: '2026-11-01' }, /^registerDate is only for source register/],
      [{ source: 'register', registerDate: '15/11/2026' }, /^registerDate must be a date/],
      [{ source: 'register', registerDate: '2026-11-31' }, /^registerDate must be a date/],
      [
        { source: 'register', registerDate: '2026-12-25' },
        /^registerDate must not be in the future/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await list({ phone: mobile(1), ...body });
      expect([answer.status, said(answer.body)]).toEqual([400, expect.stringMatching(message)]);
    }
    expect(await db.getRepository(DoNotCallNumber).count()).toBe(0);
  });

  it('coordinators see and change the list with its new fields; operators, backoffice and integrations do not', async () => {
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    await list({ phone: mobile(1), scope: 'marketing' }, coordinator).expect(201);
    const seen = await http().get('/api/v1/do-not-call').set(as(coordinator)).expect(200);
    expect(seen.body[0]).toMatchObject({
      phone: mobile(1),
      scope: 'marketing',
      source: 'customer',
    });
    for (const role of ['operator', 'backoffice', 'integration'] as const) {
      const token = await tokenFor(app, await createUser(app, { role }));
      await http().get('/api/v1/do-not-call').set(as(token)).expect(403);
      await list({ phone: mobile(2) }, token).expect(403);
    }
    expect(await db.getRepository(DoNotCallNumber).count()).toBe(1);
  });

  it('the list page shows source, scope and expiry and adds with them; a bad expiry goes back beside its field', async () => {
    await list({ phone: mobile(7), source: 'register', registerDate: '2026-11-15' }).expect(201);
    const browser = await signedInAgent(app, admin);
    let page = await browser.get('/do-not-call').expect(200);
    expect(page.text).toContain('data-source="register">Registro delle Opposizioni');
    expect(page.text).toContain('(2026-11-15)');
    expect(page.text).toContain('Solo marketing');
    expect(page.text).toContain('href="/do-not-call/register"');
    await browser
      .post('/do-not-call')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        phone: '333 123 4567',
        reason: '',
        scope: 'marketing',
        source: 'customer',
        expiresAt: '2026-12-31',
      })
      .expect(303)
      .expect('Location', '/do-not-call');
    const saved = await db
      .getRepository(DoNotCallNumber)
      .findOneByOrFail({ phone: '+393331234567' });
    expect([saved.scope, saved.source, saved.expiresAt?.toISOString()]).toEqual([
      'marketing',
      'customer',
      '2026-12-31T23:00:00.000Z',
    ]);
    page = await browser.get('/do-not-call').expect(200);
    const refused = await browser
      .post('/do-not-call')
      .type('form')
      .set('Referer', 'http://127.0.0.1/do-not-call')
      .send({ _csrf: csrfFrom(page.text), phone: mobile(9), scope: 'all', expiresAt: '2020-01-01' })
      .expect(303);
    page = await browser.get(refused.headers.location as string).expect(200);
    expect(page.text).toContain('id="expiresAt-error"');
    expect(await db.getRepository(DoNotCallNumber).countBy({ phone: mobile(9) })).toBe(0);
    // A coordinator's page has no register import.
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const theirs = await coordinator.get('/do-not-call').expect(200);
    expect(theirs.text).not.toContain('href="/do-not-call/register"');
  });
});
