import { windowsOf } from '../../src/campaigns/calling-hours';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Appointment } from '../../src/appointments/appointment.entity';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { ContractLine } from '../../src/contracts/contract-line.entity';
import { Contract } from '../../src/contracts/contract.entity';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeCounter } from '../../src/monitor/outcome-counter.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { LeasesService } from '../../src/work/leases.service';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { addToDoNotCall, createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface WorkBody {
  contact: { id: number; firstName: string; phone: string; interactions: unknown[] };
  callback: { id: number; notes: string | null; reason: string | null } | null;
  steps: Array<{ kind: string; html: string | null }>;
  statuses: Array<{ code: string; quick: boolean }>;
  draft: Record<string, unknown> | null;
  phoneLink: string;
}

describe('Work API (next contact, lease, outcome, discard)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let statuses: Record<
    'noAnswer' | 'notInterested' | 'callback' | 'sale' | 'visit' | 'dnc',
    OutcomeStatus
  >;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function newOperator(languages: string[] = ['it']) {
    const user = await createUser(app, { role: 'operator', languages });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  const next = (token: string, body: object = { campaignId: campaign.id }) =>
    http().post('/api/v1/work/next').set(as(token)).send(body);
  const confirm = (token: string, contactId: number, body: object) =>
    http().post(`/api/v1/work/${contactId}/outcome`).set(as(token)).send(body);
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  /** Leases a contact to the operator and returns its id. */
  async function lease(token = operator.token, campaignId = campaign.id): Promise<number> {
    const res = await next(token, { campaignId }).expect(200);
    return (res.body as WorkBody).contact.id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(null);
    await resetDatabase(app);
    operator = await newOperator();
    statuses = {
      noAnswer: await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        type: 'N',
        quick: true,
        quickOrder: 1,
        retryAfterMinutes: 60,
        maxAttempts: 3,
      }),
      notInterested: await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' }),
      callback: await createStatus(app, {
        code: 'RC',
        label: 'Richiamare',
        type: 'R',
        callbackVisibility: 'private',
      }),
      sale: await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C', color: '#12b76a' }),
      visit: await createStatus(app, { code: 'AP', label: 'Appuntamento', type: 'T' }),
      dnc: await createStatus(app, {
        code: 'NC',
        label: 'Non chiamare',
        type: 'N',
        doNotCall: true,
      }),
    };
    campaign = await createCampaign(
      app,
      {},
      {
        statusIds: Object.values(statuses).map((s) => s.id),
        operatorIds: [operator.id],
      },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('POST /work/next', () => {
    it('leases a new contact with its card: script rendered and escaped, quick statuses first, tel: link', async () => {
      const c = await createContact(app, campaign.id, { firstName: '<b>Anna</b>' });
      const res = await next(operator.token).expect(200);
      const body = res.body as WorkBody;
      expect(body.contact.id).toBe(c.id);
      expect(body.phoneLink).toBe(`tel:${c.phone}`);
      expect(body.steps[0]).toMatchObject({
        kind: 'script',
        html: 'Buongiorno &lt;b&gt;Anna&lt;/b&gt;',
      });
      expect(body.statuses[0]).toMatchObject({ code: 'NR', quick: true });
      expect(body.contact.interactions).toEqual([]);
      expect((await contact(c.id)).state).toBe('in_progress');
      const stored = await db.getRepository(ContactLease).findOneByOrFail({ contactId: c.id });
      expect(stored.userId).toBe(operator.id);
      expect(stored.expiresAt.getTime() - stored.startedAt.getTime()).toBe(5 * 60_000);
    });

    it('with Prefer: return=minimal answers the lease only, for a page that renders the card itself', async () => {
      const c = await createContact(app, campaign.id);
      const res = await next(operator.token).set('Prefer', 'respond-async, return=minimal');
      expect(res.status).toBe(200);
      expect(res.headers['preference-applied']).toBe('return=minimal');
      const stored = await db.getRepository(ContactLease).findOneByOrFail({ contactId: c.id });
      expect(res.body).toEqual({
        contact: { id: c.id, campaignId: campaign.id },
        callback: null,
        lease: { startedAt: expect.any(String), expiresAt: expect.any(String) },
      });
      // As stored (MySQL keeps whole seconds).
      const { startedAt, expiresAt } = res.body.lease as { startedAt: string; expiresAt: string };
      expect(Math.abs(Date.parse(startedAt) - stored.startedAt.getTime())).toBeLessThan(1000);
      expect(Math.abs(Date.parse(expiresAt) - stored.expiresAt.getTime())).toBeLessThan(1000);
      // The card the page then renders is the contact just leased.
      const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
      expect((current.body as WorkBody).contact.id).toBe(c.id);
      // Any other preference, or none, gets the whole card.
      const whole = await next(operator.token).set('Prefer', 'return=representation').expect(200);
      expect(whole.headers['preference-applied']).toBeUndefined();
      expect((whole.body as WorkBody).contact.interactions).toEqual([]);
    });

    it('gives the contact already held instead of a second one (one contact per operator)', async () => {
      const first = await createContact(app, campaign.id);
      await createContact(app, campaign.id);
      const a = await lease();
      const b = await lease();
      expect([a, b]).toEqual([first.id, first.id]);
      expect(await db.getRepository(ContactLease).count()).toBe(1);
    });

    it('answers 204 when there is nothing to work', async () => {
      await next(operator.token).expect(204);
      await next(operator.token, {}).expect(204);
    });

    it('orders: own due private callbacks, due public callbacks, due retries, then new contacts', async () => {
      const other = await newOperator();
      const now = Date.now();
      const fresh = await createContact(app, campaign.id);
      const retry = await createContact(app, campaign.id, {
        state: 'retry',
        nextCallAt: new Date(now - 60_000),
      });
      await createContact(app, campaign.id, {
        state: 'retry',
        nextCallAt: new Date(now + 3_600_000),
      });
      const callbacks = db.getRepository(Callback);
      const publicCb = await createContact(app, campaign.id, { state: 'callback' });
      await callbacks.save({
        contactId: publicCb.id,
        campaignId: campaign.id,
        ownerId: other.id,
        visibility: 'public',
        state: 'due',
        dueAt: new Date(now - 30_000),
        notes: 'vuole sapere i prezzi',
        reason: 'Richiamare',
      });
      const mine = await createContact(app, campaign.id, { state: 'callback' });
      await callbacks.save({
        contactId: mine.id,
        campaignId: campaign.id,
        ownerId: operator.id,
        visibility: 'private',
        state: 'scheduled',
        dueAt: new Date(now - 10_000),
        notes: 'richiamare dopo le 18',
        reason: 'Richiamare',
      });
      // Another operator's private callback is never offered to this one.
      const theirs = await createContact(app, campaign.id, { state: 'callback' });
      await callbacks.save({
        contactId: theirs.id,
        campaignId: campaign.id,
        ownerId: other.id,
        visibility: 'private',
        state: 'due',
        dueAt: new Date(now - 90_000),
      });
      const order: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await next(operator.token).expect(200);
        const body = res.body as WorkBody;
        order.push(body.contact.id);
        if (body.contact.id === mine.id) {
          expect(body.callback).toMatchObject({
            notes: 'richiamare dopo le 18',
            reason: 'Richiamare',
          });
        }
        await http()
          .post(`/api/v1/work/${body.contact.id}/outcome`)
          .set(as(operator.token))
          .send({ statusId: statuses.notInterested.id })
          .expect(201);
      }
      expect(order).toEqual([mine.id, publicCb.id, retry.id, fresh.id]);
      await next(operator.token).expect(204);
      expect((await callbacks.findOneByOrFail({ contactId: mine.id })).state).toBe('done');
    });

    it('prefers contacts in a language the operator speaks, and still gives the others', async () => {
      const english = await newOperator(['en']);
      await db.query('DELETE FROM campaign_operators');
      await db.query('INSERT INTO campaign_operators (campaign_id, user_id) VALUES (?, ?)', [
        campaign.id,
        english.id,
      ]);
      const it1 = await createContact(app, campaign.id, { language: 'it' });
      const en1 = await createContact(app, campaign.id, { language: 'en' });
      const none = await createContact(app, campaign.id, { language: null });
      const order: number[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await lease(english.token);
        order.push(id);
        await confirm(english.token, id, { statusId: statuses.notInterested.id }).expect(201);
      }
      expect(order).toEqual([en1.id, none.id, it1.id]);
    });

    it('never dispatches a number on the do-not-call list, and closes it for good', async () => {
      const blocked = await createContact(app, campaign.id, { phone: mobile(42) });
      const ok = await createContact(app, campaign.id);
      await addToDoNotCall(app, mobile(42));
      expect(await lease()).toBe(ok.id);
      expect((await contact(blocked.id)).state).toBe('final');
    });

    it('refuses a campaign the operator is not assigned to (403), a paused one and one outside its hours (400 naming the window)', async () => {
      const foreign = await createCampaign(app);
      const res403 = await next(operator.token, { campaignId: foreign.id }).expect(403);
      expect(res403.body.message).toMatch(/^campaignId/);
      await db.getRepository(Campaign).update(campaign.id, { state: 'paused' });
      const paused = await next(operator.token).expect(400);
      expect(paused.body.message).toMatch(/^campaignId: .*paused/);
      await db.getRepository(Campaign).update(campaign.id, {
        state: 'active',
        callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }),
      });
      await createContact(app, campaign.id);
      clock.set(new Date('2026-11-28T10:00:00Z')); // a Saturday
      const closed = await next(operator.token).expect(400);
      expect(closed.body.message).toBe(
        `campaignId: campaign ${campaign.code} is outside its calling hours: Mon-Fri 09:00-20:00 (Europe/Rome); next open: Mon 30/11/2026, 09:00`,
      );
      // Without a campaign: nothing open now, nothing to work.
      await next(operator.token, {}).expect(204);
      clock.set(new Date('2026-11-30T10:00:00Z')); // Monday 11:00 in Rome
      await next(operator.token).expect(200);
    });

    it('is for operators only, and checks its body', async () => {
      const admin = await createUser(app, { role: 'admin' });
      await next(await tokenFor(app, admin)).expect(403);
      await http().post('/api/v1/work/next').send({}).expect(401);
      const bad = await next(operator.token, { campaignId: 'x' }).expect(400);
      expect(JSON.stringify(bad.body.message)).toContain('campaignId');
    });
  });

  describe('the lease', () => {
    it('keeps the draft across a reload and renews the lease; another operator gets 403', async () => {
      const c = await createContact(app, campaign.id);
      const id = await lease();
      const draft = { notes: 'cliente gentile', statusId: statuses.callback.id };
      await http()
        .put(`/api/v1/work/${id}/draft`)
        .set(as(operator.token))
        .send({ draft })
        .expect(200);
      const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
      expect((current.body as WorkBody).draft).toEqual(draft);
      expect(id).toBe(c.id);
      const other = await newOperator();
      await http().post(`/api/v1/work/${id}/heartbeat`).set(as(other.token)).expect(403);
      await http().put(`/api/v1/work/${id}/draft`).set(as(other.token)).send({ draft }).expect(403);
      const big = await http()
        .put(`/api/v1/work/${id}/draft`)
        .set(as(operator.token))
        .send({ draft: { notes: 'x'.repeat(40_000) } })
        .expect(400);
      expect(big.body.message).toMatch(/^draft/);
    });

    it('expires when the page stops renewing: the contact goes back, an audit line without content stays', async () => {
      const c = await createContact(app, campaign.id);
      const id = await lease();
      await http()
        .put(`/api/v1/work/${id}/draft`)
        .set(as(operator.token))
        .send({ draft: { notes: 'segreto' } })
        .expect(200);
      expect(await app.get(LeasesService).releaseExpired()).toBe(0);
      clock.advance(6 * 60_000);
      expect(await app.get(LeasesService).releaseExpired()).toBe(1);
      expect((await contact(c.id)).state).toBe('new');
      expect(await db.getRepository(ContactLease).count()).toBe(0);
      const audit = await db
        .getRepository(AuditEntry)
        .findBy({ entity: 'contact', entityId: c.id });
      expect(audit.map((a) => a.action)).toEqual(['lease.expired']);
      expect(JSON.stringify(audit)).not.toContain('segreto');
      // Its outcome can no longer be confirmed by the operator who lost it.
      await confirm(operator.token, id, { statusId: statuses.notInterested.id }).expect(403);
      clock.set(null);
      expect(await lease()).toBe(c.id);
    });

    it('a heartbeat after the lease expired is refused and gives the contact back at once', async () => {
      const c = await createContact(app, campaign.id);
      const id = await lease();
      clock.advance(6 * 60_000);
      const res = await http()
        .post(`/api/v1/work/${id}/heartbeat`)
        .set(as(operator.token))
        .expect(403);
      expect(res.body.message).toMatch(/expired/);
      expect((await contact(c.id)).state).toBe('new');
      expect(await db.getRepository(ContactLease).count()).toBe(0);
      const audit = await db
        .getRepository(AuditEntry)
        .findBy({ entity: 'contact', entityId: c.id });
      expect(audit.map((a) => a.action)).toEqual(['lease.expired']);
    });

    it('an operator taken off the campaign mid-call still sees the card and can stop it', async () => {
      const c = await createContact(app, campaign.id);
      const id = await lease();
      await db
        .getRepository(CampaignOperator)
        .delete({ campaignId: campaign.id, userId: operator.id });
      const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
      expect((current.body as WorkBody).contact.id).toBe(c.id);
      await http().post(`/api/v1/work/${id}/discard`).set(as(operator.token)).expect(204);
      expect((await contact(c.id)).state).toBe('new');
      // Without the lease the card is closed to them, and the campaign gives nothing more.
      await http().get(`/api/v1/contacts/${c.id}`).set(as(operator.token)).expect(403);
      await next(operator.token).expect(403);
    });

    it('STOP / CHIUDI saves nothing and gives the contact back as it was', async () => {
      const c = await createContact(app, campaign.id, {
        state: 'retry',
        nextCallAt: new Date(Date.now() - 1000),
      });
      const id = await lease();
      await http()
        .put(`/api/v1/work/${id}/draft`)
        .set(as(operator.token))
        .send({ draft: { notes: 'x' } })
        .expect(200);
      const other = await newOperator();
      await http().post(`/api/v1/work/${id}/discard`).set(as(other.token)).expect(403);
      await http().post(`/api/v1/work/${id}/discard`).set(as(operator.token)).expect(204);
      const after = await contact(c.id);
      expect(after).toMatchObject({ state: 'retry', attempts: 0, lastStatusId: null });
      expect(await db.getRepository(Interaction).count()).toBe(0);
      expect(await db.getRepository(ContactLease).count()).toBe(0);
      const audit = await db.getRepository(AuditEntry).findBy({ entityId: c.id });
      expect(audit.map((a) => a.action)).toEqual(['lease.discarded']);
      await http().post(`/api/v1/work/${id}/discard`).set(as(operator.token)).expect(403);
    });
  });

  describe('POST /work/:contactId/outcome', () => {
    it('N: writes the interaction, the contact state, attempts and the counters together', async () => {
      const c = await createContact(app, campaign.id);
      const id = await lease();
      const steps = await db.getRepository(CampaignStep).save([
        {
          campaignId: campaign.id,
          position: 3,
          kind: 'question',
          title: 'Fornitore attuale',
          body: null,
          choices: ['Enel', 'Altro'],
          required: true,
        },
        {
          campaignId: campaign.id,
          position: 4,
          kind: 'consent',
          title: 'Registrazione',
          body: null,
          choices: null,
          required: false,
        },
      ]);
      const [question, consent] = steps as [CampaignStep, CampaignStep];
      const res = await confirm(operator.token, id, {
        statusId: statuses.notInterested.id,
        notes: '  non interessato  ',
        answers: { [question.id]: 'Enel', [consent.id]: 'yes' },
      }).expect(201);
      expect(res.body).toMatchObject({
        interactionId: expect.any(Number),
        contactId: c.id,
        contactState: 'final',
        status: { code: 'NI', type: 'N' },
      });
      const interaction = await db
        .getRepository(Interaction)
        .findOneByOrFail({ id: res.body.interactionId });
      expect(interaction).toMatchObject({
        contactId: c.id,
        operatorId: operator.id,
        statusType: 'N',
        notes: 'non interessato',
        answers: { [question.id]: 'Enel', [consent.id]: 'yes' },
      });
      expect(await contact(c.id)).toMatchObject({
        state: 'final',
        attempts: 1,
        lastStatusId: statuses.notInterested.id,
      });
      const counters = await db.getRepository(OutcomeCounter).find();
      expect(counters).toEqual([
        expect.objectContaining({
          campaignId: campaign.id,
          operatorId: operator.id,
          statusType: 'N',
          count: 1,
        }),
      ]);
      expect(await db.getRepository(ContactLease).count()).toBe(0);
      // The contact page shows it in its history, with the status colour.
      const detail = await http()
        .get(`/api/v1/contacts/${c.id}`)
        .set(as(operator.token))
        .expect(200);
      expect(detail.body.interactions).toEqual([
        expect.objectContaining({
          status: expect.objectContaining({ code: 'NI', color: '#888888' }),
          notes: 'non interessato',
        }),
      ]);
    });

    it("counts the outcome on the campaign's day, not the UTC one", async () => {
      const evening = await createCampaign(
        app,
        { timezone: 'America/New_York' },
        { statusIds: [statuses.notInterested.id], operatorIds: [operator.id] },
      );
      await createContact(app, evening.id);
      // 19:30 on Monday 23 November in New York is already Tuesday in UTC.
      clock.set(new Date('2026-11-24T00:30:00Z'));
      const id = await lease(operator.token, evening.id);
      await confirm(operator.token, id, { statusId: statuses.notInterested.id }).expect(201);
      const counters = await db.getRepository(OutcomeCounter).findBy({ campaignId: evening.id });
      expect(counters).toEqual([expect.objectContaining({ day: '2026-11-23', count: 1 })]);
    });

    it('N with a retry rule re-queues inside the calling hours, up to the maximum attempts, then final', async () => {
      await db.getRepository(Campaign).update(campaign.id, {
        callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }),
      });
      const c = await createContact(app, campaign.id);
      clock.set(new Date('2026-11-27T18:30:00Z')); // Friday 19:30 in Rome
      let id = await lease();
      const first = await confirm(operator.token, id, { statusId: statuses.noAnswer.id }).expect(
        201,
      );
      // +60 min is 20:30, after hours: Monday 09:00 in Rome.
      expect(first.body).toMatchObject({
        contactState: 'retry',
        nextCallAt: '2026-11-30T08:00:00.000Z',
      });
      clock.set(new Date('2026-11-30T08:00:00Z'));
      id = await lease();
      expect(id).toBe(c.id);
      await confirm(operator.token, id, { statusId: statuses.noAnswer.id }).expect(201);
      clock.set(new Date('2026-11-30T09:00:00Z'));
      id = await lease();
      const third = await confirm(operator.token, id, { statusId: statuses.noAnswer.id }).expect(
        201,
      );
      expect(third.body.contactState).toBe('final');
      expect(await contact(c.id)).toMatchObject({ state: 'final', attempts: 3, nextCallAt: null });
      await next(operator.token).expect(204);
    });

    it('N do-not-call: the number goes on the list and the contact is never called again', async () => {
      const c = await createContact(app, campaign.id);
      const id = await lease();
      await confirm(operator.token, id, { statusId: statuses.dnc.id }).expect(201);
      expect(await db.getRepository(DoNotCallNumber).findOneBy({ phone: c.phone })).not.toBeNull();
      expect((await contact(c.id)).state).toBe('final');
    });

    it('R: a callback at the agreed time with the call context; refused without one, in the past, or outside the hours', async () => {
      await db.getRepository(Campaign).update(campaign.id, {
        callingHours: windowsOf({ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }),
      });
      clock.set(new Date('2026-11-30T10:00:00Z')); // Monday 11:00 in Rome
      const c = await createContact(app, campaign.id);
      const id = await lease();
      const missing = await confirm(operator.token, id, { statusId: statuses.callback.id }).expect(
        400,
      );
      expect(missing.body.message).toMatch(/^callback: /);
      const past = await confirm(operator.token, id, {
        statusId: statuses.callback.id,
        callback: { at: '2026-11-30T09:00:00Z' },
      }).expect(400);
      expect(past.body.message).toBe('callback.at must be in the future');
      const night = await confirm(operator.token, id, {
        statusId: statuses.callback.id,
        callback: { at: '2026-11-30T21:30:00+01:00' },
      }).expect(400);
      expect(night.body.message).toBe(
        'callback.at: 2026-11-30 21:30 is outside the calling hours Mon-Fri 09:00-20:00 (Europe/Rome); next open: Tue 01/12/2026, 09:00',
      );
      const bad = await confirm(operator.token, id, {
        statusId: statuses.callback.id,
        callback: { at: 'domani' },
      }).expect(400);
      expect(JSON.stringify(bad.body.message)).toContain('callback.at');
      expect(await db.getRepository(Interaction).count()).toBe(0);
      const ok = await confirm(operator.token, id, {
        statusId: statuses.callback.id,
        notes: 'vuole parlare con il marito',
        callback: { at: '2026-12-01T17:30:00+01:00' },
      }).expect(201);
      expect(ok.body).toMatchObject({
        contactState: 'callback',
        callback: { dueAt: '2026-12-01T16:30:00.000Z', visibility: 'private' },
      });
      const callback = await db
        .getRepository(Callback)
        .findOneByOrFail({ id: ok.body.callback.id });
      expect(callback).toMatchObject({
        contactId: c.id,
        ownerId: operator.id,
        state: 'scheduled',
        notes: 'vuole parlare con il marito',
        reason: 'Richiamare',
        interactionId: ok.body.interactionId,
      });
      expect((await contact(c.id)).state).toBe('callback');
    });

    it("C: a contract with lines, exact totals and the year's next protocol number", async () => {
      const fibra = await createProduct(app, {
        code: 'FIBRA',
        unitPrice: '29.90',
        vatRate: '22.00',
      });
      const modem = await createProduct(app, {
        code: 'MODEM',
        unitPrice: '0.10',
        vatRate: '22.00',
      });
      const inactive = await createProduct(app, { code: 'OLD', active: false });
      const elsewhere = await createProduct(app, { code: 'ALTRO' });
      await db.query(
        'INSERT INTO campaign_products (campaign_id, product_id) VALUES (?, ?), (?, ?), (?, ?)',
        [campaign.id, fibra.id, campaign.id, modem.id, campaign.id, inactive.id],
      );
      clock.set(new Date('2026-11-30T10:00:00Z'));
      const c = await createContact(app, campaign.id, { firstName: 'Maria', city: 'Forlì' });
      const id = await lease();
      const refusals: Array<[object, string]> = [
        [{}, 'cart'],
        [{ cart: [] }, 'cart'],
        [{ cart: [{ productId: 99999, quantity: 1 }] }, 'cart.0.productId'],
        [{ cart: [{ productId: inactive.id, quantity: 1 }] }, 'cart.0.productId'],
        [{ cart: [{ productId: elsewhere.id, quantity: 1 }] }, 'cart.0.productId'],
        [
          {
            cart: [
              { productId: fibra.id, quantity: 1 },
              { productId: fibra.id, quantity: 2 },
            ],
          },
          'cart.1.productId',
        ],
        [{ cart: [{ productId: fibra.id, quantity: 0 }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: fibra.id, quantity: 1.5 }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: fibra.id, quantity: 1000 }] }, 'cart.0.quantity'],
      ];
      for (const [body, field] of refusals) {
        const res = await confirm(operator.token, id, {
          statusId: statuses.sale.id,
          ...body,
        }).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(field);
      }
      expect(await db.getRepository(Contract).count()).toBe(0);
      const ok = await confirm(operator.token, id, {
        statusId: statuses.sale.id,
        cart: [
          { productId: fibra.id, quantity: 3 },
          { productId: modem.id, quantity: 1 },
        ],
      }).expect(201);
      // 3 x 29.90 = 89.70, VAT 19.734 -> 19.73; 0.10, VAT 0.022 -> 0.02
      expect(ok.body.contract).toEqual({
        id: expect.any(Number),
        protocolNumber: '2026/000001',
        totalNet: '89.80',
        totalVat: '19.75',
        total: '109.55',
      });
      const contract = await db
        .getRepository(Contract)
        .findOneByOrFail({ id: ok.body.contract.id });
      expect(contract).toMatchObject({ status: 'new', operatorId: operator.id, total: '109.55' });
      expect(contract.customer).toMatchObject({
        firstName: 'Maria',
        city: 'Forlì',
        phone: c.phone,
      });
      const lines = await db
        .getRepository(ContractLine)
        .find({ where: { contractId: contract.id }, order: { id: 'ASC' } });
      expect(lines.map((l) => [l.code, l.unitPrice, l.quantity, l.net, l.vat, l.total])).toEqual([
        ['FIBRA', '29.90', 3, '89.70', '19.73', '109.43'],
        ['MODEM', '0.10', 1, '0.10', '0.02', '0.12'],
      ]);
      // The next close draws the next number.
      await createContact(app, campaign.id);
      const second = await lease();
      const next2 = await confirm(operator.token, second, {
        statusId: statuses.sale.id,
        cart: [{ productId: modem.id, quantity: 1 }],
      }).expect(201);
      expect(next2.body.contract.protocolNumber).toBe('2026/000002');
    });

    it('T: books the agent inside working hours; overlaps by the campaign policy', async () => {
      const agent = await createAgent(app, { name: 'Luigi Verdi' });
      await db.query('INSERT INTO campaign_agents (campaign_id, agent_id) VALUES (?, ?)', [
        campaign.id,
        agent.id,
      ]);
      clock.set(new Date('2026-11-30T08:00:00Z')); // Monday 09:00 in Rome
      await createContact(app, campaign.id);
      await createContact(app, campaign.id);
      const first = await lease();
      const slot = '2026-12-01T10:00:00+01:00';
      const missing = await confirm(operator.token, first, { statusId: statuses.visit.id }).expect(
        400,
      );
      expect(missing.body.message).toMatch(/^appointment: /);
      const night = await confirm(operator.token, first, {
        statusId: statuses.visit.id,
        appointment: { agentId: agent.id, startsAt: '2026-12-01T20:00:00+01:00' },
      }).expect(400);
      expect(night.body.message).toMatch(
        /^appointment: Luigi Verdi does not work at 2026-12-01 20:00/,
      );
      const stranger = await createAgent(app);
      const notHere = await confirm(operator.token, first, {
        statusId: statuses.visit.id,
        appointment: { agentId: stranger.id, startsAt: slot },
      }).expect(400);
      expect(notHere.body.message).toMatch(/^appointment.agentId/);
      const ok = await confirm(operator.token, first, {
        statusId: statuses.visit.id,
        appointment: { agentId: agent.id, startsAt: slot, notes: 'citofono Rossi' },
      }).expect(201);
      expect(ok.body.appointment).toMatchObject({
        agentName: 'Luigi Verdi',
        startsAt: '2026-12-01T09:00:00.000Z',
        endsAt: '2026-12-01T10:00:00.000Z',
        overlaps: false,
      });
      const second = await lease();
      const offGrid = await confirm(operator.token, second, {
        statusId: statuses.visit.id,
        appointment: { agentId: agent.id, startsAt: '2026-12-01T10:30:00+01:00' },
      }).expect(400);
      expect(offGrid.body.message).toMatch(/^appointment.startsAt: 10:30 is not a slot start/);
      const taken = await confirm(operator.token, second, {
        statusId: statuses.visit.id,
        appointment: { agentId: agent.id, startsAt: slot },
      }).expect(409);
      expect(taken.body.message).toMatch(/^appointment: Luigi Verdi already has an appointment/);
      // The free slots nearest to 10:00 that day: 09:00 and 11:00, then 12:00.
      expect(taken.body.nearestFreeSlots).toEqual([
        { start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T09:00:00.000Z' },
        { start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T11:00:00.000Z' },
        { start: '2026-12-01T11:00:00.000Z', end: '2026-12-01T12:00:00.000Z' },
      ]);
      await db.getRepository(Campaign).update(campaign.id, { overlapPolicy: 'warn' });
      await confirm(operator.token, second, {
        statusId: statuses.visit.id,
        appointment: { agentId: agent.id, startsAt: slot },
      }).expect(409);
      const acknowledged = await confirm(operator.token, second, {
        statusId: statuses.visit.id,
        appointment: { agentId: agent.id, startsAt: slot, acknowledgeOverlap: true },
      }).expect(201);
      expect(acknowledged.body.appointment.overlaps).toBe(true);
      expect(await db.getRepository(Appointment).count()).toBe(2);
    });

    it('refuses a status of another campaign, unknown answers, a contact not leased (403) and a second confirm (409)', async () => {
      const foreign = await createStatus(app, { type: 'N' });
      await createContact(app, campaign.id);
      const id = await lease();
      const wrong = await confirm(operator.token, id, { statusId: foreign.id }).expect(400);
      expect(wrong.body.message).toMatch(/^statusId: /);
      await db
        .getRepository(OutcomeStatus)
        .update(statuses.notInterested.id, { archivedAt: new Date() });
      await confirm(operator.token, id, { statusId: statuses.notInterested.id }).expect(400);
      const answers = await confirm(operator.token, id, {
        statusId: statuses.noAnswer.id,
        answers: { 999: 'x' },
      }).expect(400);
      expect(answers.body.message).toMatch(/^answers\.999/);
      const missingStatus = await confirm(operator.token, id, {}).expect(400);
      expect(JSON.stringify(missingStatus.body.message)).toContain('statusId');
      const other = await newOperator();
      const notYours = await confirm(other.token, id, { statusId: statuses.noAnswer.id }).expect(
        403,
      );
      expect(notYours.body.message).toMatch(/^contactId: /);
      await confirm(operator.token, id, { statusId: statuses.noAnswer.id }).expect(201);
      const again = await confirm(operator.token, id, { statusId: statuses.noAnswer.id }).expect(
        409,
      );
      expect(again.body.message).toMatch(/already confirmed/);
      expect(await db.getRepository(Interaction).count()).toBe(1);
    });
  });

  describe('races', () => {
    it('operators asking at once each get a different contact', async () => {
      const operators = await Promise.all(Array.from({ length: 8 }, () => newOperator()));
      await db.query(
        `INSERT INTO campaign_operators (campaign_id, user_id) VALUES ${operators.map(() => '(?, ?)').join(', ')}`,
        operators.flatMap((o) => [campaign.id, o.id]),
      );
      for (let i = 0; i < 12; i++) await createContact(app, campaign.id);
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(operators.map((o) => next(o.token).expect(200)));
        const ids = answers.map((r) => (r.body as WorkBody).contact.id);
        expect(new Set(ids).size).toBe(operators.length);
        const leases = await db.getRepository(ContactLease).find();
        expect(new Set(leases.map((l) => l.contactId)).size).toBe(leases.length);
        await Promise.all(
          operators.map((o, i) =>
            http().post(`/api/v1/work/${ids[i]}/discard`).set(as(o.token)).expect(204),
          ),
        );
      }
    });

    it('two confirms of one contact at once (double click, two tabs) save one interaction', async () => {
      await createContact(app, campaign.id);
      for (let round = 0; round < 3; round++) {
        const id = await lease();
        const results = await Promise.all(
          [1, 2, 3].map(() => confirm(operator.token, id, { statusId: statuses.noAnswer.id })),
        );
        expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
        expect(await db.getRepository(Interaction).countBy({ contactId: id })).toBe(round + 1);
        await db.getRepository(Contact).update(id, { state: 'new' });
      }
    });
  });
});
