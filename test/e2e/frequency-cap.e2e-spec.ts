import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import type { FrequencyCapSettings } from '../../src/frequency-cap/frequency-cap.settings';
import { PhoneCallTally } from '../../src/frequency-cap/phone-call-tally.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import {
  createCallbackStatuses,
  createCampaign,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const PHONE = mobile(4_300_001);
const ROUTE = '/api/v1/settings/frequency-cap';
const PAGE = '/settings/frequency-cap';

interface Desk {
  id: number;
  token: string;
}

describe('Frequency cap across campaigns', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: Desk;
  let operator: Desk;
  let statuses: Record<'callback' | 'notInterested' | 'noAnswer', OutcomeStatus>;
  const http = () => request(app.getHttpServer());
  const as = (desk: Desk) => ({ Authorization: `Bearer ${desk.token}` });
  const minutes = (n: number) => clock.set(new Date(MONDAY.getTime() + n * 60_000));
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const tally = () => db.getRepository(PhoneCallTally).find({ order: { day: 'ASC' } });

  async function desk(role: 'operator' | 'coordinator' | 'admin' | 'backoffice' | 'integration') {
    const user = await createUser(app, { role });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  const setCap = (body: object, who = admin) => http().put(ROUTE).set(as(who)).send(body);
  /** A campaign of the operator with a contact of PHONE in it. */
  async function campaignWithPhone(
    purpose: 'marketing' | 'service' = 'marketing',
    ...operators: Desk[]
  ): Promise<{ campaign: Campaign; contactId: number }> {
    const campaign = await createCampaign(
      app,
      { purpose },
      {
        statusIds: Object.values(statuses).map((s) => s.id),
        operatorIds: (operators.length ? operators : [operator]).map((o) => o.id),
      },
    );
    const { id } = await createContact(app, campaign.id, { phone: PHONE });
    return { campaign, contactId: id };
  }
  const next = (campaignId: number, who = operator) =>
    http().post('/api/v1/work/next').set(as(who)).send({ campaignId });
  /** next, expecting the contact, then an outcome on it. */
  async function call(campaignId: number, contactId: number, body: object = {}, who = operator) {
    const res = await next(campaignId, who).expect(200);
    expect(res.body.contact.id).toBe(contactId);
    await http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(who))
      .send({ statusId: statuses.notInterested.id, ...body })
      .expect(201);
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    admin = await desk('admin');
    operator = await desk('operator');
    statuses = {
      ...(await createCallbackStatuses(app)),
      noAnswer: await createStatus(app, {
        code: 'NR',
        type: 'N',
        retryAfterMinutes: 10,
        maxAttempts: 5,
        customerReached: false,
      }),
    };
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('settings', () => {
    it('admins change them (audited); coordinators read them; other roles get 403', async () => {
      const coordinator = await desk('coordinator');
      expect((await http().get(ROUTE).set(as(admin)).expect(200)).body).toEqual({
        maxCallsPerDay: null,
        minMinutesBetweenCampaigns: null,
        applyToService: false,
      });
      const set = await setCap({ maxCallsPerDay: 3, minMinutesBetweenCampaigns: 120 }).expect(200);
      expect(set.body).toEqual({
        maxCallsPerDay: 3,
        minMinutesBetweenCampaigns: 120,
        applyToService: false,
      });
      // A field left out keeps its value; null turns that limit off.
      await setCap({ minMinutesBetweenCampaigns: null, applyToService: true }).expect(200);
      expect((await http().get(ROUTE).set(as(coordinator)).expect(200)).body).toEqual({
        maxCallsPerDay: 3,
        minMinutesBetweenCampaigns: null,
        applyToService: true,
      });
      const lines = await db
        .getRepository(AuditEntry)
        .find({ where: { action: 'settings.frequency_cap' }, order: { id: 'ASC' } });
      expect(lines.map((l) => [l.userId, l.detail])).toEqual([
        [admin.id, 'maxCallsPerDay: null -> 3; minMinutesBetweenCampaigns: null -> 120'],
        [admin.id, 'minMinutesBetweenCampaigns: 120 -> null; applyToService: false -> true'],
      ]);

      await setCap({ maxCallsPerDay: 1 }, coordinator).expect(403);
      for (const role of ['operator', 'backoffice', 'integration'] as const) {
        const other = await desk(role);
        await http().get(ROUTE).set(as(other)).expect(403);
        await setCap({ maxCallsPerDay: 1 }, other).expect(403);
      }
      await http().get(ROUTE).expect(401);
      expect((await http().get(ROUTE).set(as(admin)).expect(200)).body.maxCallsPerDay).toBe(3);
    });

    it.each([
      [{ maxCallsPerDay: -1 }, 'maxCallsPerDay'],
      [{ maxCallsPerDay: 0 }, 'maxCallsPerDay'],
      [{ maxCallsPerDay: 2.5 }, 'maxCallsPerDay'],
      [{ maxCallsPerDay: '3' }, 'maxCallsPerDay'],
      [{ maxCallsPerDay: 51 }, 'maxCallsPerDay'],
      [{ minMinutesBetweenCampaigns: -30 }, 'minMinutesBetweenCampaigns'],
      [{ minMinutesBetweenCampaigns: 1.5 }, 'minMinutesBetweenCampaigns'],
      [{ minMinutesBetweenCampaigns: 1441 }, 'minMinutesBetweenCampaigns'],
      [{ applyToService: 'yes' }, 'applyToService'],
      [{ applyToService: null }, 'applyToService'],
      [{ maxCalls: 3 }, 'maxCalls'],
    ])('refuses %j with a 400 naming %s, changing nothing', async (body, field) => {
      await setCap({ maxCallsPerDay: 4 }).expect(200);
      const res = await setCap(body).expect(400);
      const messages = ([] as string[]).concat(res.body.message as string | string[]);
      expect(messages.some((m) => m.includes(field))).toBe(true);
      expect((await http().get(ROUTE).set(as(admin)).expect(200)).body).toEqual({
        maxCallsPerDay: 4,
        minMinutesBetweenCampaigns: null,
        applyToService: false,
      });
    });
  });

  describe('settings page', () => {
    type Agent = Awaited<ReturnType<typeof signedInAgent>>;
    const signedIn = async (role: 'admin' | 'coordinator', uiLanguage: 'it' | 'en' = 'it') =>
      signedInAgent(app, await createUser(app, { role, uiLanguage }));
    /** Posts the form like a browser, with the page's CSRF token. */
    async function post(agent: Agent, fields: Array<[string, string]>, status: number) {
      const html = (await agent.get(PAGE).expect(200)).text;
      return agent
        .post(PAGE)
        .set('Host', 'crm.example')
        .set('Referer', `http://crm.example${PAGE}`)
        .type('form')
        .send(new URLSearchParams([['_csrf', csrfFrom(html)], ...fields]).toString())
        .expect(status);
    }
    const stored = async () =>
      (await http().get(ROUTE).set(as(admin)).expect(200)).body as FrequencyCapSettings;
    const errorBeside = (html: string, field: string) =>
      new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1];

    it('admins save the three fields and see them back; empty turns a limit off', async () => {
      const agent = await signedIn('admin');
      const home = (await agent.get('/').expect(200)).text;
      expect(home).toContain(`href="${PAGE}"`);
      const page = (await agent.get(PAGE).expect(200)).text;
      expect(page).toContain('Limite di chiamate tra le campagne');
      expect(page).toContain('le richiamate concordate con il cliente');
      expect(page).toMatch(/id="maxCallsPerDay"[^>]*value=""/);

      const saved = await post(
        agent,
        [
          ['maxCallsPerDay', ' 3 '],
          ['minMinutesBetweenCampaigns', '120'],
          ['applyToService', 'on'],
        ],
        303,
      );
      expect(saved.headers.location).toBe(PAGE);
      expect(await stored()).toEqual({
        maxCallsPerDay: 3,
        minMinutesBetweenCampaigns: 120,
        applyToService: true,
      });
      const after = (await agent.get(PAGE).expect(200)).text;
      expect(after).toContain('Limite di chiamate salvato.');
      expect(after).toMatch(/id="maxCallsPerDay"[^>]*value="3"/);
      expect(after).toMatch(/id="minMinutesBetweenCampaigns"[^>]*value="120"/);
      expect(after).toMatch(/id="applyToService"[^>]*checked/);
      const audit = await db.getRepository(AuditEntry).findOneByOrFail({
        action: 'settings.frequency_cap',
      });
      expect(audit.detail).toContain('maxCallsPerDay: null -> 3');

      await post(agent, [['maxCallsPerDay', '3']], 303);
      expect(await stored()).toEqual({
        maxCallsPerDay: 3,
        minMinutesBetweenCampaigns: null,
        applyToService: false,
      });
    });

    it('refuses a bad value with a 400 beside its field, in Italian and English, saving nothing', async () => {
      await setCap({ maxCallsPerDay: 4 }).expect(200);
      const before = await stored();
      const italian = await signedIn('admin');
      const english = await signedIn('admin', 'en');
      const cases: Array<[Agent, string, string, string]> = [
        [italian, 'maxCallsPerDay', '0', 'Un numero intero da 1 a 50'],
        [italian, 'maxCallsPerDay', 'tre', 'Un numero intero da 1 a 50'],
        [english, 'maxCallsPerDay', '51', 'A whole number from 1 to 50'],
        [italian, 'minMinutesBetweenCampaigns', '2.5', 'Un numero intero di minuti da 1 a 1440'],
        [english, 'minMinutesBetweenCampaigns', '-30', 'A whole number of minutes from 1 to 1440'],
        [english, 'minMinutesBetweenCampaigns', '1441', 'A whole number of minutes from 1 to 1440'],
      ];
      for (const [agent, field, typed, words] of cases) {
        const res = await post(
          agent,
          [
            [field, typed],
            ['applyToService', 'on'],
          ],
          400,
        );
        expect([field, typed, errorBeside(res.text, field)]).toEqual([
          field,
          typed,
          expect.stringContaining(words),
        ]);
        expect(res.text).toMatch(
          new RegExp(`id="${field}"[^>]*value="${typed}"[^>]*aria-invalid="true"`),
        );
        expect(res.text).toMatch(/id="applyToService"[^>]*checked/);
      }
      expect(await stored()).toEqual(before);
    });

    it('coordinators read it and cannot change it; other roles may not open it', async () => {
      await setCap({ minMinutesBetweenCampaigns: 90 }).expect(200);
      const coordinator = await signedIn('coordinator');
      const html = (await coordinator.get(PAGE).expect(200)).text;
      expect(html).toMatch(/id="minMinutesBetweenCampaigns"[^>]*value="90"[^>]*disabled/);
      expect(/id="frequency-cap-form"[\s\S]*?<\/form>/.exec(html)?.[0]).not.toContain('<button');
      await post(coordinator, [['maxCallsPerDay', '1']], 303); // back, refused by role
      expect((await stored()).maxCallsPerDay).toBeNull();
      for (const role of ['operator', 'backoffice'] as const) {
        const other = await signedInAgent(app, await createUser(app, { role }));
        expect((await other.get('/').expect(200)).text).not.toContain(`href="${PAGE}"`);
        await other.get(PAGE).expect(403);
      }
    });
  });

  it('off, dispatch writes no tally', async () => {
    const a = await campaignWithPhone();
    await call(a.campaign.id, a.contactId);
    expect(await tally()).toEqual([]);
  });

  it('a person is called at most N times a day across campaigns; the capped contact waits for the next day', async () => {
    await setCap({ maxCallsPerDay: 2 }).expect(200);
    const a = await campaignWithPhone();
    const b = await campaignWithPhone();
    const c = await campaignWithPhone();
    const other = await createContact(app, c.campaign.id, { phone: mobile(4_300_002) });
    await call(a.campaign.id, a.contactId);
    minutes(5);
    await call(b.campaign.id, b.contactId);
    expect(await tally()).toEqual([
      expect.objectContaining({ phone: PHONE, day: '2026-11-30', calls: 2 }),
    ]);
    // C's queue goes past the capped number to the next one, and then has nothing.
    minutes(10);
    await call(c.campaign.id, other.id);
    minutes(15);
    await next(c.campaign.id).expect(204);
    expect(await contact(c.contactId)).toMatchObject({ state: 'new', attempts: 0 });
    // The next day (Rome's) it is called.
    clock.set(new Date('2026-11-30T23:30:00Z'));
    await call(c.campaign.id, c.contactId);
    const ofPhone = (await tally()).filter((t) => t.phone === PHONE);
    expect(ofPhone.map((t) => [t.day, t.calls])).toEqual([
      ['2026-11-30', 2],
      ['2026-12-01', 1],
    ]);
  });

  it('two campaigns do not call a person within M minutes; the same campaign may (its own retry rule)', async () => {
    await setCap({ minMinutesBetweenCampaigns: 60 }).expect(200);
    const a = await campaignWithPhone();
    const b = await campaignWithPhone();
    await call(a.campaign.id, a.contactId, { statusId: statuses.noAnswer.id });
    minutes(30);
    await next(b.campaign.id).expect(204);
    expect(await contact(b.contactId)).toMatchObject({ state: 'new' });
    // A's retry, 10 minutes on, is A's own business.
    await call(a.campaign.id, a.contactId);
    // B waits M minutes from A's last call (at 30), then calls.
    minutes(89);
    await next(b.campaign.id).expect(204);
    minutes(91);
    await call(b.campaign.id, b.contactId);
    expect(await tally()).toEqual([
      expect.objectContaining({ calls: 3, lastCampaignId: b.campaign.id }),
    ]);
  });

  it('service campaigns are not capped unless an admin says so; their calls count', async () => {
    await setCap({ maxCallsPerDay: 1 }).expect(200);
    const a = await campaignWithPhone();
    const outage = await campaignWithPhone('service');
    const outage2 = await campaignWithPhone('service');
    await call(a.campaign.id, a.contactId);
    minutes(1);
    await call(outage.campaign.id, outage.contactId);
    expect((await tally())[0]).toMatchObject({ calls: 2 });
    await setCap({ applyToService: true }).expect(200);
    minutes(2);
    await next(outage2.campaign.id).expect(204);
    await setCap({ applyToService: false }).expect(200);
    await call(outage2.campaign.id, outage2.contactId);
  });

  it('a callback the customer agreed is called even when the person is capped, and counts', async () => {
    await setCap({ maxCallsPerDay: 1 }).expect(200);
    const a = await campaignWithPhone();
    await call(a.campaign.id, a.contactId, {
      statusId: statuses.callback.id,
      callback: { at: new Date(MONDAY.getTime() + 30 * 60_000).toISOString() },
    });
    minutes(31);
    const res = await next(a.campaign.id).expect(200);
    expect(res.body.contact.id).toBe(a.contactId);
    expect(res.body.callback).toBeTruthy();
    expect((await tally())[0]).toMatchObject({ calls: 2 });
  });

  it('two operators of two campaigns asking at once: the person is called once', async () => {
    await setCap({ maxCallsPerDay: 1 }).expect(200);
    const anna = await desk('operator');
    const bruno = await desk('operator');
    const sides = [
      await campaignWithPhone('marketing', anna),
      await campaignWithPhone('marketing', bruno),
    ];
    for (let round = 0; round < 3; round++) {
      if (round > 0) {
        await resetTallyAndQueue(sides.map((s) => s.contactId));
      }
      const [ra, rb] = await Promise.all([
        next(sides[0]!.campaign.id, anna),
        next(sides[1]!.campaign.id, bruno),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([200, 204]);
      expect(await tally()).toEqual([expect.objectContaining({ calls: 1 })]);
      const winner = ra.status === 200 ? anna : bruno;
      const held = (ra.status === 200 ? ra : rb).body.contact.id as number;
      await http().post(`/api/v1/work/${held}/discard`).set(as(winner)).expect(204);
    }
  });

  /** Back to the start of the race: no tally, both contacts new. */
  async function resetTallyAndQueue(contactIds: number[]): Promise<void> {
    await db.getRepository(PhoneCallTally).clear();
    for (const id of contactIds) await db.getRepository(Contact).update({ id }, { state: 'new' });
  }
});
