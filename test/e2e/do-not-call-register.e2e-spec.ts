import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource, In } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const T0 = new Date('2026-11-30T10:00:00Z');

/** The opposition register's import, and the campaigns' queues checked against the list. */
describe('Do-not-call: the opposition register', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: { id: number; username: string; password: string; token: string };
  let statusIds: number[];
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');
  const importFile = (file: string, registerDate?: string, token = admin.token) =>
    http()
      .post('/api/v1/do-not-call/register')
      .query(registerDate === undefined ? {} : { registerDate })
      .set(as(token))
      .set('Content-Type', 'text/plain')
      .send(file);
  const entry = (n: number) => db.getRepository(DoNotCallNumber).findOneBy({ phone: mobile(n) });
  const states = async (contacts: Contact[]) =>
    (
      await db
        .getRepository(Contact)
        .find({ where: { id: In(contacts.map((c) => c.id)) }, order: { id: 'ASC' } })
    ).map((c) => c.state);
  const operator = async () => {
    const user = await createUser(app, { role: 'operator' });
    return { id: user.id, token: await tokenFor(app, user) };
  };

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
    statusIds = [(await createStatus(app, { type: 'N' })).id];
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('imports the good lines and reports the bad ones by line; a header is skipped', async () => {
    const file = [
      'telefono', // 1: the header
      '333 000 0001',
      'abc', // 3
      '',
      '+39 333 000 0002',
      '12', // 6
      ',x', // 7: no number in the first column
      '3330000003,2026-11-15', // a CSV: the number is the first column
      '3330000001', // again: one entry
    ].join('\r\n');
    const answer = await importFile(file, '2026-11-15').expect(200);
    expect(answer.body).toEqual({
      registerDate: '2026-11-15',
      imported: 4,
      badCount: 3,
      badLines: [
        { line: 3, reason: '"abc" is not a valid phone number' },
        { line: 6, reason: '"12" is not a valid phone number' },
        { line: 7, reason: 'the number is missing (first column)' },
      ],
      removed: 0,
      removedByCampaign: [],
      failure: null,
    });
    const rows = await db.getRepository(DoNotCallNumber).find({ order: { phone: 'ASC' } });
    expect(rows.map((r) => [r.phone, r.source, r.scope, r.registerDate, r.expiresAt])).toEqual([
      [mobile(1), 'register', 'marketing', '2026-11-15', null],
      [mobile(2), 'register', 'marketing', '2026-11-15', null],
      [mobile(3), 'register', 'marketing', '2026-11-15', null],
    ]);
    // One audit line with the counts, never the numbers.
    const audit = await http()
      .get('/api/v1/audit?action=do_not_call.register_imported')
      .set(as(admin.token))
      .expect(200);
    expect(audit.body.lines).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ registerDate: '2026-11-15', imported: 4, badCount: 3 }),
      }),
    ]);
  });

  it('a new file updates the register date; a blocking entry of another source stays, an expired one becomes the register’s', async () => {
    await importFile(`${mobile(1)}\n${mobile(2)}\n`, '2026-11-01').expect(200);
    await http()
      .post('/api/v1/do-not-call')
      .set(as(admin.token))
      .send({ phone: mobile(3), scope: 'all', reason: 'al telefono' })
      .expect(201);
    await http()
      .post('/api/v1/do-not-call')
      .set(as(admin.token))
      .send({ phone: mobile(4), scope: 'all', expiresAt: '2026-12-01' })
      .expect(201);
    clock.set(new Date('2026-12-10T10:00:00Z')); // number 4's entry has expired
    await importFile([mobile(1), mobile(3), mobile(4), mobile(5)].join('\n'), '2026-12-10').expect(
      200,
    );
    const view = async (n: number) => {
      const row = await entry(n);
      return [row?.source, row?.scope, row?.registerDate, row?.expiresAt ?? null, row?.reason];
    };
    expect(await view(1)).toEqual(['register', 'marketing', '2026-12-10', null, null]);
    expect(await view(2)).toEqual(['register', 'marketing', '2026-11-01', null, null]);
    expect(await view(3)).toEqual(['customer', 'all', null, null, 'al telefono']);
    expect(await view(4)).toEqual(['register', 'marketing', '2026-12-10', null, null]);
    expect(await view(5)).toEqual(['register', 'marketing', '2026-12-10', null, null]);
  });

  it('takes matching contacts of marketing campaigns out of the queue, counted per campaign; a contact in a call finishes it', async () => {
    const desk = await operator();
    const first = await createCampaign(
      app,
      { name: 'Luce', purpose: 'marketing' },
      { statusIds, operatorIds: [desk.id] },
    );
    const second = await createCampaign(app, { name: 'Gas', purpose: 'marketing' }, { statusIds });
    const service = await createCampaign(
      app,
      { name: 'Guasti', purpose: 'service' },
      { statusIds },
    );
    const leased = await createContact(app, first.id, { phone: mobile(1) });
    const fresh = await createContact(app, first.id, { phone: mobile(2) });
    const retry = await createContact(app, first.id, {
      phone: mobile(3),
      state: 'retry',
      nextCallAt: new Date(T0.getTime() + 3_600_000),
    });
    const free = await createContact(app, first.id, { phone: mobile(50) });
    const gas = await createContact(app, second.id, { phone: mobile(2) });
    const promised = await createContact(app, second.id, {
      phone: mobile(3),
      state: 'callback',
      nextCallAt: new Date(T0.getTime() + 3_600_000),
    });
    const told = await createContact(app, service.id, { phone: mobile(2) });
    // The operator has the first contact on screen when the register arrives.
    const dealt = await http()
      .post('/api/v1/work/next')
      .set(as(desk.token))
      .send({ campaignId: first.id })
      .expect(200);
    expect(dealt.body.contact.id).toBe(leased.id);

    const answer = await importFile(
      [1, 2, 3].map((n) => mobile(n)).join('\n'),
      '2026-11-15',
    ).expect(200);
    expect(answer.body).toMatchObject({ imported: 3, removed: 3 });
    expect(answer.body.removedByCampaign).toEqual([
      { campaignId: first.id, name: 'Luce', removed: 2, inCall: 1, awaitingCallback: 0 },
      { campaignId: second.id, name: 'Gas', removed: 1, inCall: 0, awaitingCallback: 1 },
    ]);
    expect(await states([leased, fresh, retry, free])).toEqual([
      'in_progress',
      'final',
      'final',
      'new',
    ]);
    expect(await states([gas, promised, told])).toEqual(['final', 'callback', 'new']);

    // The call on screen ends (a discard); the contact is not offered again.
    await http().post(`/api/v1/work/${leased.id}/discard`).set(as(desk.token)).expect(204);
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(desk.token))
      .send({ campaignId: first.id })
      .expect(200);
    expect(next.body.contact.id).toBe(free.id);
    expect(await states([leased])).toEqual(['final']);

    // On demand: a number a customer then asks about reaches the service campaign too.
    await http()
      .post('/api/v1/do-not-call')
      .set(as(admin.token))
      .send({ phone: mobile(2), scope: 'all' })
      .expect(200);
    const again = await http().post('/api/v1/do-not-call/recheck').set(as(admin.token)).expect(200);
    expect(again.body).toEqual({
      removed: 1,
      removedByCampaign: [
        { campaignId: second.id, name: 'Gas', removed: 0, inCall: 0, awaitingCallback: 1 },
        { campaignId: service.id, name: 'Guasti', removed: 1, inCall: 0, awaitingCallback: 0 },
      ],
    });
    expect(await states([told])).toEqual(['final']);
    const audit = await http()
      .get('/api/v1/audit?action=do_not_call.rechecked')
      .set(as(admin.token))
      .expect(200);
    expect(audit.body.lines[0].detail).toMatchObject({ removed: 1 });
  });

  it('refuses a missing or bad register date naming it, and anyone but an admin', async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /^registerDate is required/],
      ['', /^registerDate is required/],
      ['15/11/2026', /^registerDate must be a date written YYYY-MM-DD/],
      ['2026-02-30', /^registerDate must be a date written YYYY-MM-DD/],
      ['2026-12-01', /^registerDate must not be in the future/],
    ];
    for (const [date, message] of cases) {
      const answer = await importFile(`${mobile(1)}\n`, date);
      expect([answer.status, said(answer.body)]).toEqual([400, expect.stringMatching(message)]);
    }
    const repeated = await http()
      .post('/api/v1/do-not-call/register?registerDate=2026-11-01&registerDate=2026-11-02')
      .set(as(admin.token))
      .set('Content-Type', 'text/plain')
      .send(`${mobile(1)}\n`);
    expect([repeated.status, said(repeated.body)]).toEqual([
      400,
      'registerDate must be given once',
    ]);
    const json = await http()
      .post('/api/v1/do-not-call/register?registerDate=2026-11-01')
      .set(as(admin.token))
      .send({ phone: mobile(1) });
    expect([json.status, said(json.body)]).toEqual([400, expect.stringMatching(/^body: /)]);
    for (const role of ['coordinator', 'operator', 'backoffice', 'integration'] as const) {
      const token = await tokenFor(app, await createUser(app, { role }));
      await importFile(`${mobile(1)}\n`, '2026-11-01', token).expect(403);
      await http().post('/api/v1/do-not-call/recheck').set(as(token)).expect(403);
    }
    await http().post('/api/v1/do-not-call/recheck').expect(401);
    expect(await db.getRepository(DoNotCallNumber).count()).toBe(0);
  });

  it('a file broken part-way keeps what came before its line and checks no campaign', async () => {
    const campaign = await createCampaign(app, { purpose: 'marketing' }, { statusIds });
    const contact = await createContact(app, campaign.id, { phone: mobile(1) });
    // A quote opened on line 3 and never closed: nothing from that line on can be read.
    const file = `${mobile(1)}\nabc\n"${mobile(2)}\n${mobile(3)}\n`;
    const answer = await importFile(file, '2026-11-15').expect(400);
    expect(said(answer.body)).toMatch(/line 3/);
    expect(answer.body).toMatchObject({ imported: 1, badCount: 1, failure: { line: 3 } });
    expect(await entry(1)).not.toBeNull();
    expect(await entry(2)).toBeNull();
    expect(await states([contact])).toEqual(['new']);
  });

  it('the admins’ page imports a file with its date and shows the counts once', async () => {
    const campaign = await createCampaign(
      app,
      { name: 'Fibra', purpose: 'marketing' },
      { statusIds },
    );
    await createContact(app, campaign.id, { phone: mobile(1) });
    const browser = await signedInAgent(app, admin);
    const page = await browser.get('/do-not-call/register').expect(200);
    const action = /action="(\/do-not-call\/register\?_csrf=[^"]+)"/.exec(page.text)![1]!;
    await browser
      .post(action)
      .field('registerDate', '2026-11-15')
      .attach('file', Buffer.from(`numero\n${mobile(1)}\nxyz\n`), 'rpo.txt')
      .expect(303)
      .expect('Location', '/do-not-call/register');
    const shown = await browser.get('/do-not-call/register').expect(200);
    expect(shown.text).toContain(
      'Registro del 2026-11-15: 1 numeri importati, 1 righe errate; 1 contatti sono usciti',
    );
    expect(shown.text).toMatch(/<td>Fibra<\/td><td class="num">1<\/td>/);
    expect(shown.text).toContain('&quot;xyz&quot; is not a valid phone number');
    expect((await browser.get('/do-not-call/register').expect(200)).text).not.toContain(
      'Registro del 2026-11-15',
    );
    // Without a date: said on the page, nothing imported.
    await browser
      .post(action)
      .attach('file', Buffer.from(`${mobile(2)}\n`), 'rpo.txt')
      .expect(303);
    const refused = await browser.get('/do-not-call/register').expect(200);
    expect(refused.text).toContain('data-refused="registerDate"');
    expect(await entry(2)).toBeNull();
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    await coordinator.get('/do-not-call/register').expect(403);
  });

  (isMysqlRun() ? it : it.skip)(
    'a re-check racing operators: no listed number is leased, no other contact is taken out',
    async () => {
      const desks = [await operator(), await operator(), await operator(), await operator()];
      const campaign = await createCampaign(
        app,
        { purpose: 'marketing' },
        { statusIds, operatorIds: desks.map((d) => d.id) },
      );
      const contacts: Contact[] = [];
      for (let n = 1; n <= 40; n++)
        contacts.push(await createContact(app, campaign.id, { phone: mobile(n) }));
      // Every other number goes on the list straight to the table, then both run at once.
      await db.getRepository(DoNotCallNumber).insert(
        contacts
          .filter((_, i) => i % 2 === 0)
          .map((c) => ({
            phone: c.phone,
            source: 'register' as const,
            scope: 'marketing' as const,
          })),
      );
      const [recheck, ...dealt] = await Promise.all([
        http().post('/api/v1/do-not-call/recheck').set(as(admin.token)),
        ...desks.map((d) =>
          http().post('/api/v1/work/next').set(as(d.token)).send({ campaignId: campaign.id }),
        ),
      ]);
      expect(recheck.status).toBe(200);
      expect(dealt.map((d) => d.status)).toEqual([200, 200, 200, 200]);
      const after = await db.getRepository(Contact).findBy({ campaignId: campaign.id });
      const listed = new Set(contacts.filter((_, i) => i % 2 === 0).map((c) => c.phone));
      for (const c of after) {
        expect([c.phone, c.state]).toEqual([
          c.phone,
          listed.has(c.phone) ? 'final' : expect.stringMatching(/^(new|in_progress)$/),
        ]);
      }
      expect(after.filter((c) => c.state === 'in_progress')).toHaveLength(4);
      // Dispatch and the check together took each listed contact out once.
      expect(recheck.body.removed).toBeLessThanOrEqual(20);
    },
  );
});
