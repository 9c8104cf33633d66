import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource, In } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { CallbacksService } from '../../src/callbacks/callbacks.service';
import type { CallbackItem } from '../../src/callbacks/dto/callback.view';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { User } from '../../src/users/user.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCallback, createWebSession } from '../factories/callback.factory';
import {
  createCallbackStatuses,
  createCampaign,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Desk {
  id: number;
  token: string;
}

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(MONDAY.getTime() + minutes * MINUTE);

describe('Callbacks: engine jobs and API', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let service: CallbacksService;
  let operator: Desk;
  let coordinator: Desk;
  let campaign: Campaign;
  let statuses: Record<'callback' | 'notInterested' | 'noAnswer', OutcomeStatus>;
  const http = (target = app) => request(target.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const callbacks = () => db.getRepository(Callback);
  const callback = (id: number) => callbacks().findOneByOrFail({ id });
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const audit = (action: string) =>
    db.getRepository(AuditEntry).find({ where: { action }, order: { id: 'ASC' } });

  async function desk(role: 'operator' | 'coordinator' | 'admin' | 'backoffice' = 'operator') {
    const user = await createUser(app, { role });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  async function assign(campaignId: number, ...desks: Desk[]) {
    await db.query(
      `INSERT INTO campaign_operators (campaign_id, user_id) VALUES ${desks.map(() => '(?, ?)').join(', ')}`,
      desks.flatMap((d) => [campaignId, d.id]),
    );
  }
  const list = (token: string, query: Record<string, string | number> = {}) =>
    http().get('/api/v1/callbacks').query(query).set(as(token));
  const ids = (body: CallbackItem[]) => body.map((item) => item.id);
  /** The message, or the first of several (the validation pipe sends one per field). */
  const message = (body: { message: string | string[] }) =>
    Array.isArray(body.message) ? (body.message[0] ?? '') : body.message;
  const next = (token: string, target = app) =>
    http(target).post('/api/v1/work/next').set(as(token)).send({ campaignId: campaign.id });
  const confirm = (token: string, contactId: number, body: object, target = app) =>
    http(target).post(`/api/v1/work/${contactId}/outcome`).set(as(token)).send(body);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
    service = app.get(CallbacksService);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    operator = await desk();
    coordinator = await desk('coordinator');
    statuses = {
      ...(await createCallbackStatuses(app)),
      noAnswer: await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        type: 'N',
        retryAfterMinutes: 30,
        maxAttempts: 3,
        customerReached: false,
      }),
    };
    campaign = await createCampaign(
      app,
      { privateCallbackGraceMinutes: 30 },
      { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [operator.id] },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('one active callback per contact (and so per number: a campaign holds a phone once)', () => {
    it('a new R replaces the callback being worked, carrying the answers; the one worked is done', async () => {
      const [question] = await db.getRepository(CampaignStep).save([
        {
          campaignId: campaign.id,
          position: 3,
          kind: 'question' as const,
          title: 'Fornitore',
          body: null,
          choices: null,
          required: false,
        },
      ]);
      const c = await createContact(app, campaign.id);
      await next(operator.token).expect(200);
      const first = await confirm(operator.token, c.id, {
        statusId: statuses.callback.id,
        callback: { at: at(60).toISOString() },
      }).expect(201);
      expect((await callback(first.body.callback.id)).answers).toBeNull();
      // Worked again through its callback, and put off once more.
      clock.set(at(61));
      await next(operator.token).expect(200);
      const second = await confirm(operator.token, c.id, {
        statusId: statuses.callback.id,
        answers: { [question!.id]: 'Enel' },
        callback: { at: at(180).toISOString() },
      }).expect(201);
      expect(second.body.callback.id).not.toBe(first.body.callback.id);
      expect(await callback(first.body.callback.id)).toMatchObject({ state: 'done' });
      expect(await callback(second.body.callback.id)).toMatchObject({
        state: 'scheduled',
        answers: { [question!.id]: 'Enel' },
        assignedAt: at(61),
      });
    });
  });

  describe('lifecycle through the jobs', () => {
    it('a callback on which the customer does not answer is missed, and the retry rule takes over', async () => {
      const c = await createContact(app, campaign.id);
      await next(operator.token).expect(200);
      const ok = await confirm(operator.token, c.id, {
        statusId: statuses.callback.id,
        callback: { at: at(60).toISOString() },
      }).expect(201);
      clock.set(at(60));
      expect(await service.markDue()).toBe(1);
      await next(operator.token).expect(200);
      const missed = await confirm(operator.token, c.id, {
        statusId: statuses.noAnswer.id,
      }).expect(201);
      expect(await callback(ok.body.callback.id)).toMatchObject({ state: 'missed' });
      expect(missed.body).toMatchObject({ contactState: 'retry' });
      expect(await contact(c.id)).toMatchObject({ state: 'retry', attempts: 2 });
    });

    it('scheduled → due → dispatched (in progress) → done', async () => {
      const c = await createContact(app, campaign.id);
      await next(operator.token).expect(200);
      const ok = await confirm(operator.token, c.id, {
        statusId: statuses.callback.id,
        notes: 'vuole il preventivo',
        callback: { at: at(60).toISOString() },
      }).expect(201);
      const id = ok.body.callback.id as number;
      expect(await service.markDue()).toBe(0);
      await next(operator.token).expect(204);
      clock.set(at(59));
      expect(await service.markDue()).toBe(0);
      expect((await callback(id)).state).toBe('scheduled');
      clock.set(at(60));
      expect(await service.markDue()).toBe(1);
      expect(await service.markDue()).toBe(0);
      expect((await callback(id)).state).toBe('due');
      const due = await list(operator.token, { due: 'true' }).expect(200);
      expect(due.body).toEqual([
        expect.objectContaining({ id, state: 'due', dueLocal: '2026-11-30 12:00' }),
      ]);
      const work = await next(operator.token).expect(200);
      expect(work.body.callback).toMatchObject({ id, notes: 'vuole il preventivo' });
      expect(await callback(id)).toMatchObject({ state: 'in_progress' });
      expect(await contact(c.id)).toMatchObject({ state: 'in_progress' });
      // Being called: no job touches it, and the due list no longer offers it.
      clock.set(at(60 + 24 * 60 * 30));
      expect(await service.markDue()).toBe(0);
      expect(await service.escalate()).toBe(0);
      expect(await service.expire()).toBe(0);
      expect((await list(operator.token, { due: 'true' }).expect(200)).body).toEqual([]);
      await confirm(operator.token, c.id, { statusId: statuses.notInterested.id }).expect(201);
      expect(await callback(id)).toMatchObject({ state: 'done' });
      expect((await list(operator.token).expect(200)).body).toEqual([]);
      expect(ids((await list(operator.token, { state: 'done' }).expect(200)).body)).toEqual([id]);
    });

    it('expires what waited CALLBACK_EXPIRE_DAYS past its time: the contact becomes final, one audit line each, once', async () => {
      const day = 24 * 60;
      const old = await createCallback(app, campaign.id, { state: 'due', dueAt: at(-15 * day) });
      const scheduled = await createCallback(app, campaign.id, { dueAt: at(-14 * day - 1) });
      const recent = await createCallback(app, campaign.id, { state: 'due', dueAt: at(-13 * day) });
      const worked = await createCallback(app, campaign.id, {
        state: 'due',
        dueAt: at(-20 * day),
      });
      await db.getRepository(Contact).update(worked.contactId, { state: 'in_progress' });
      expect(await service.expire()).toBe(2);
      expect(await service.expire()).toBe(0);
      for (const cb of [old, scheduled]) {
        expect(await callback(cb.id)).toMatchObject({ state: 'expired', closedAt: MONDAY });
        expect(await contact(cb.contactId)).toMatchObject({ state: 'final', nextCallAt: null });
      }
      expect(await callback(recent.id)).toMatchObject({ state: 'due' });
      // A contact someone is working is never touched; its callback waits for a later tick.
      expect(await callback(worked.id)).toMatchObject({ state: 'due' });
      expect(await contact(worked.contactId)).toMatchObject({ state: 'in_progress' });
      const lines = await audit('callback.expired');
      expect(lines.map((l) => l.entityId).sort()).toEqual([old.id, scheduled.id].sort());
      expect(lines[0]!.detail).toMatch(/never called; contact \d+ final/);
      await db.getRepository(Contact).update(worked.contactId, { state: 'callback' });
      expect(await service.expire()).toBe(1);
    });

    it('a coordinator’s cancel closes it and its contact: nothing offers it any more', async () => {
      const cb = await createCallback(app, campaign.id, { state: 'due', dueAt: at(-5) });
      await http()
        .post(`/api/v1/callbacks/${cb.id}/cancel`)
        .set(as(coordinator.token))
        .send({ reason: 'il cliente ha già firmato' })
        .expect(200);
      expect(await callback(cb.id)).toMatchObject({ state: 'cancelled', closedAt: MONDAY });
      expect(await contact(cb.contactId)).toMatchObject({ state: 'final' });
      // Nothing offers it any more.
      expect(await service.markDue()).toBe(0);
      await next(operator.token).expect(204);
    });
  });

  describe('escalation', () => {
    it('a private callback stays its present owner’s for the grace, then goes public, with the reason', async () => {
      await createWebSession(app, operator.id, at(24 * 60));
      const cb = await createCallback(app, campaign.id, {
        ownerId: operator.id,
        visibility: 'private',
        dueAt: at(0),
      });
      const early = await createCallback(app, campaign.id, {
        ownerId: operator.id,
        visibility: 'private',
        dueAt: at(20),
      });
      clock.set(at(29));
      expect(await service.escalate()).toBe(0);
      clock.set(at(31));
      expect(await service.escalate()).toBe(1);
      expect(await service.escalate()).toBe(0);
      expect(await callback(cb.id)).toMatchObject({
        visibility: 'public',
        escalatedAt: at(31),
        escalationReason: 'overdue by 31 min',
      });
      expect(await callback(early.id)).toMatchObject({ visibility: 'private' });
      const lines = await audit('callback.escalated');
      expect(lines).toEqual([
        expect.objectContaining({
          entity: 'callback',
          entityId: cb.id,
          userId: null,
          detail: `made public: overdue by 31 min (owner ${operator.id})`,
        }),
      ]);
      // Another operator of the campaign now gets it.
      const other = await desk();
      await assign(campaign.id, other);
      const res = await next(other.token).expect(200);
      expect(res.body.callback.id).toBe(cb.id);
    });

    it('goes public as soon as it is due when its owner is disabled or not signed in; a live lease counts as signed in', async () => {
      const absent = await desk();
      const disabled = await desk();
      const onCall = await desk();
      await assign(campaign.id, absent, disabled, onCall);
      await createWebSession(app, disabled.id, at(600));
      // A session that has expired is no sign of presence.
      await createWebSession(app, absent.id, at(-1));
      await db.getRepository(User).update(disabled.id, { active: false });
      // On a call (a lease until 11:05), without a browser session.
      await createContact(app, campaign.id);
      await next(onCall.token).expect(200);
      const owned = (ownerId: number, minutes: number) =>
        createCallback(app, campaign.id, { ownerId, visibility: 'private', dueAt: at(minutes) });
      const ofAbsent = await owned(absent.id, -1);
      const ofDisabled = await owned(disabled.id, -1);
      const notYet = await owned(absent.id, 3);
      const ofOnCall = await owned(onCall.id, -1);
      expect(await service.escalate()).toBe(2);
      expect(await callback(ofAbsent.id)).toMatchObject({
        visibility: 'public',
        escalationReason: 'owner not signed in',
      });
      expect(await callback(ofDisabled.id)).toMatchObject({
        visibility: 'public',
        escalationReason: 'owner disabled',
      });
      expect(await callback(notYet.id)).toMatchObject({ visibility: 'private' });
      expect(await callback(ofOnCall.id)).toMatchObject({ visibility: 'private' });
      const details = (await audit('callback.escalated')).map((l) => [l.entityId, l.detail]);
      expect(details).toEqual(
        expect.arrayContaining([
          [ofAbsent.id, `made public: owner not signed in (owner ${absent.id})`],
          [ofDisabled.id, `made public: owner disabled (owner ${disabled.id})`],
        ]),
      );
      expect(details).toHaveLength(2);
      clock.set(at(3));
      expect(await service.escalate()).toBe(1);
      expect(await callback(notYet.id)).toMatchObject({ escalationReason: 'owner not signed in' });
    });

    it('a coordinator making it private again gives the owner a whole grace from then', async () => {
      await createWebSession(app, operator.id, at(24 * 60));
      const cb = await createCallback(app, campaign.id, {
        ownerId: operator.id,
        visibility: 'private',
        state: 'due',
        dueAt: at(-40),
      });
      expect(await service.escalate()).toBe(1);
      await http()
        .post(`/api/v1/callbacks/${cb.id}/visibility`)
        .set(as(coordinator.token))
        .send({ visibility: 'private' })
        .expect(200);
      expect(await callback(cb.id)).toMatchObject({
        visibility: 'private',
        assignedAt: MONDAY,
        escalatedAt: null,
        escalationReason: null,
      });
      clock.set(at(29));
      expect(await service.escalate()).toBe(0);
      clock.set(at(30));
      expect(await service.escalate()).toBe(1);
      expect(await callback(cb.id)).toMatchObject({ escalationReason: 'overdue by 70 min' });
    });
  });

  describe('GET /callbacks', () => {
    let other: Desk;
    let elsewhere: Desk;
    let own: Record<'private' | 'public', Callback>;
    let theirs: Record<'private' | 'public', Callback>;
    let foreign: Callback;
    let foreignCampaign: Campaign;

    beforeEach(async () => {
      other = await desk();
      elsewhere = await desk();
      await assign(campaign.id, other);
      foreignCampaign = await createCampaign(
        app,
        { timezone: 'America/New_York' },
        { operatorIds: [elsewhere.id] },
      );
      const make = (ownerId: number, visibility: 'private' | 'public', minutes: number) =>
        createCallback(app, campaign.id, { ownerId, visibility, dueAt: at(minutes) });
      own = {
        private: await make(operator.id, 'private', 10),
        public: await make(operator.id, 'public', 20),
      };
      theirs = {
        private: await make(other.id, 'private', 30),
        public: await make(other.id, 'public', 40),
      };
      foreign = await createCallback(app, foreignCampaign.id, {
        ownerId: elsewhere.id,
        visibility: 'public',
        dueAt: at(50),
      });
    });

    it('never lists another operator’s private callbacks: mine, public of their campaigns, not all', async () => {
      expect(ids((await list(operator.token).expect(200)).body)).toEqual([
        own.private.id,
        own.public.id,
      ]);
      expect(ids((await list(operator.token, { scope: 'mine' }).expect(200)).body)).toEqual([
        own.private.id,
        own.public.id,
      ]);
      expect(ids((await list(operator.token, { scope: 'public' }).expect(200)).body)).toEqual([
        own.public.id,
        theirs.public.id,
      ]);
      expect(ids((await list(other.token, { scope: 'mine' }).expect(200)).body)).toEqual([
        theirs.private.id,
        theirs.public.id,
      ]);
      expect(ids((await list(elsewhere.token, { scope: 'public' }).expect(200)).body)).toEqual([
        foreign.id,
      ]);
      const all = await list(operator.token, { scope: 'all' }).expect(403);
      expect(all.body.message).toMatch(/^scope: /);
      const notAssigned = await list(operator.token, {
        scope: 'public',
        campaignId: foreignCampaign.id,
      }).expect(403);
      expect(notAssigned.body.message).toMatch(/^campaignId: /);
      // Coordinators see everything; they own none.
      expect(ids((await list(coordinator.token).expect(200)).body)).toEqual([
        own.private.id,
        own.public.id,
        theirs.private.id,
        theirs.public.id,
        foreign.id,
      ]);
      expect(ids((await list(coordinator.token, { scope: 'public' }).expect(200)).body)).toEqual([
        own.public.id,
        theirs.public.id,
        foreign.id,
      ]);
      expect((await list(coordinator.token, { scope: 'mine' }).expect(200)).body).toEqual([]);
      const admin = await desk('admin');
      expect(
        ids((await list(admin.token, { campaignId: foreignCampaign.id }).expect(200)).body),
      ).toEqual([foreign.id]);
      const backoffice = await desk('backoffice');
      await list(backoffice.token).expect(403);
      await http().get('/api/v1/callbacks').expect(401);
    });

    it('answers each item with contact, campaign, local due time, owner and lateness', async () => {
      await callbacks().update(foreign.id, { notes: 'dopo le 18', state: 'due', dueAt: at(-90) });
      const res = await list(coordinator.token, { campaignId: foreignCampaign.id }).expect(200);
      const c = await contact(foreign.contactId);
      const owner = await db.getRepository(User).findOneByOrFail({ id: elsewhere.id });
      expect(res.body).toEqual([
        {
          id: foreign.id,
          contactId: c.id,
          contact: { id: c.id, name: `${c.firstName} ${c.lastName}`, phone: c.phone },
          campaign: {
            id: foreignCampaign.id,
            code: foreignCampaign.code,
            name: foreignCampaign.name,
            timezone: 'America/New_York',
          },
          dueAt: '2026-11-30T08:30:00.000Z',
          dueLocal: '2026-11-30 03:30',
          visibility: 'public',
          state: 'due',
          owner: { id: elsewhere.id, name: owner.displayName },
          notes: 'dopo le 18',
          reason: 'Richiamare',
          overdueMinutes: 90,
          escalatedAt: null,
          escalationReason: null,
        },
      ]);
    });

    it('filters by due, overdue (past the grace), state and campaign, and pages with after/limit', async () => {
      clock.set(at(45)); // own ones 35 and 25 min late, theirs 15 and 5, foreign not due
      const due = await list(coordinator.token, { due: 'true' }).expect(200);
      expect(ids(due.body)).toEqual([
        own.private.id,
        own.public.id,
        theirs.private.id,
        theirs.public.id,
      ]);
      expect(due.body.map((i: CallbackItem) => i.overdueMinutes)).toEqual([35, 25, 15, 5]);
      const overdue = await list(coordinator.token, { overdue: 'true' }).expect(200);
      expect(ids(overdue.body)).toEqual([own.private.id]);
      expect(ids(await service.overdue())).toEqual([own.private.id]);
      await db.getRepository(Campaign).update(campaign.id, { privateCallbackGraceMinutes: 10 });
      expect(ids((await list(coordinator.token, { overdue: 'true' }).expect(200)).body)).toEqual([
        own.private.id,
        own.public.id,
        theirs.private.id,
      ]);
      await callbacks().update(own.public.id, { state: 'done' });
      expect(ids((await list(coordinator.token, { state: 'done' }).expect(200)).body)).toEqual([
        own.public.id,
      ]);
      expect(
        ids((await list(coordinator.token, { campaignId: campaign.id }).expect(200)).body),
      ).toEqual([own.private.id, theirs.private.id, theirs.public.id]);
      const first = await list(coordinator.token, { limit: 2 }).expect(200);
      expect(ids(first.body)).toEqual([own.private.id, theirs.private.id]);
      const second = await list(coordinator.token, { limit: 2, after: theirs.private.id }).expect(
        200,
      );
      expect(ids(second.body)).toEqual([theirs.public.id, foreign.id]);
    });

    it('refuses bad query values with a 400 naming the field', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ scope: 'everything' }, 'scope'],
        [{ due: 'maybe' }, 'due'],
        [{ overdue: 'yes please' }, 'overdue'],
        [{ state: 'lost' }, 'state'],
        [{ campaignId: 'abc' }, 'campaignId'],
        [{ campaignId: '0' }, 'campaignId'],
        [{ limit: '0' }, 'limit'],
        [{ limit: '1000' }, 'limit'],
        [{ after: 'x' }, 'after'],
        [{ after: '999999' }, 'after'],
      ];
      for (const [query, field] of cases) {
        const res = await list(coordinator.token, query).expect(400);
        expect(res.body.message).toMatch(new RegExp(`^${field}`));
      }
      const twice = await http()
        .get('/api/v1/callbacks?scope=mine&scope=public')
        .set(as(operator.token))
        .expect(400);
      expect(twice.body.message).toBe('scope must be given once');
    });
  });

  describe('coordinator actions', () => {
    let cb: Callback;
    let colleague: Desk;
    const post = (path: string, body: object, token = coordinator.token) =>
      http().post(`/api/v1/callbacks/${path}`).set(as(token)).send(body);

    beforeEach(async () => {
      colleague = await desk();
      await assign(campaign.id, colleague);
      cb = await createCallback(app, campaign.id, {
        ownerId: operator.id,
        visibility: 'private',
        state: 'due',
        dueAt: at(-5),
      });
    });

    it('reassigns to an active operator of the campaign, with an audit line', async () => {
      const stranger = await desk();
      const retired = await desk();
      await assign(campaign.id, retired);
      await db.getRepository(User).update(retired.id, { active: false });
      const refusals: Array<[object, RegExp]> = [
        [{}, /^ownerId is required/],
        [{ ownerId: 'x' }, /^ownerId/],
        [{ ownerId: 0 }, /^ownerId/],
        [{ ownerId: stranger.id }, /^ownerId: user \d+ is not an active operator/],
        [{ ownerId: coordinator.id }, /^ownerId: /],
        [{ ownerId: retired.id }, /^ownerId: /],
        [{ ownerId: 999999 }, /^ownerId: /],
        [{ ownerId: colleague.id, extra: 1 }, /extra/],
      ];
      for (const [body, expected] of refusals) {
        const res = await post(`${cb.id}/reassign`, body).expect(400);
        expect(message(res.body)).toMatch(expected);
      }
      await post(`${cb.id}/reassign`, { ownerId: colleague.id }, operator.token).expect(403);
      const ok = await post(`${cb.id}/reassign`, { ownerId: colleague.id }).expect(200);
      expect(ok.body).toMatchObject({
        id: cb.id,
        visibility: 'private',
        owner: { id: colleague.id },
      });
      expect(await callback(cb.id)).toMatchObject({ ownerId: colleague.id, assignedAt: MONDAY });
      expect(await audit('callback.reassigned')).toEqual([
        expect.objectContaining({
          userId: coordinator.id,
          entityId: cb.id,
          detail: `owner ${operator.id} to ${colleague.id}`,
        }),
      ]);
      // The colleague's, and no longer the operator's.
      expect(ids((await list(colleague.token).expect(200)).body)).toEqual([cb.id]);
      expect((await list(operator.token).expect(200)).body).toEqual([]);
    });

    it('sets the visibility, refusing a bad value and a private one without owner', async () => {
      const bad = await post(`${cb.id}/visibility`, { visibility: 'secret' }).expect(400);
      expect(message(bad.body)).toBe('visibility must be one of: private, public');
      const none = await post(`${cb.id}/visibility`, {}).expect(400);
      expect(message(none.body)).toBe('visibility is required');
      const ok = await post(`${cb.id}/visibility`, { visibility: 'public' }).expect(200);
      expect(ok.body).toMatchObject({ visibility: 'public' });
      expect(await audit('callback.visibility')).toEqual([
        expect.objectContaining({ entityId: cb.id, detail: 'private to public' }),
      ]);
      const orphan = await createCallback(app, campaign.id, { ownerId: null });
      const refused = await post(`${orphan.id}/visibility`, { visibility: 'private' }).expect(400);
      expect(refused.body.message).toMatch(/^visibility: .*reassign it first/);
    });

    it('cancels only with a reason; 404 unknown, 409 being called or closed, 400 bad id', async () => {
      const missing = await post(`${cb.id}/cancel`, {}).expect(400);
      expect(message(missing.body)).toBe('reason is required');
      const blank = await post(`${cb.id}/cancel`, { reason: '   ' }).expect(400);
      expect(message(blank.body)).toMatch(/^reason: /);
      const long = await post(`${cb.id}/cancel`, { reason: 'x'.repeat(201) }).expect(400);
      expect(message(long.body)).toMatch(/^reason /);
      const bodies = {
        cancel: { reason: 'x' },
        reassign: { ownerId: colleague.id },
        visibility: { visibility: 'public' },
      };
      for (const [action, body] of Object.entries(bodies)) {
        const unknown = await post(`999999/${action}`, body).expect(404);
        expect(message(unknown.body)).toBe('callback 999999 not found');
        const badId = await post(`abc/${action}`, body).expect(400);
        expect(message(badId.body)).toMatch(/^id /);
      }
      // Being called right now: 409 for every action.
      await next(operator.token).expect(200);
      expect(await callback(cb.id)).toMatchObject({ state: 'in_progress' });
      const busy = await post(`${cb.id}/cancel`, { reason: 'doppione' }).expect(409);
      expect(busy.body.message).toMatch(/being called/);
      await post(`${cb.id}/reassign`, { ownerId: colleague.id }).expect(409);
      await post(`${cb.id}/visibility`, { visibility: 'public' }).expect(409);
      await http().post(`/api/v1/work/${cb.contactId}/discard`).set(as(operator.token)).expect(204);
      const ok = await post(`${cb.id}/cancel`, { reason: '  doppione  ' }).expect(200);
      expect(ok.body).toMatchObject({ state: 'cancelled' });
      expect(await audit('callback.cancelled')).toEqual([
        expect.objectContaining({ userId: coordinator.id, entityId: cb.id, detail: 'doppione' }),
      ]);
      const closed = await post(`${cb.id}/cancel`, { reason: 'ancora' }).expect(409);
      expect(closed.body.message).toMatch(/is cancelled/);
    });
  });

  describe('GET /callbacks/notices', () => {
    it('gives the caller their private callbacks due within CALLBACK_NOTICE_MINUTES or already due', async () => {
      const other = await desk();
      await assign(campaign.id, other);
      const mine = (minutes: number, extra: Partial<Callback> = {}) =>
        createCallback(app, campaign.id, {
          ownerId: operator.id,
          visibility: 'private',
          dueAt: at(minutes),
          ...extra,
        });
      const late = await mine(-5, { state: 'due' });
      const soon = await mine(3);
      const later = await mine(10);
      await mine(1, { visibility: 'public' });
      await mine(-10, { state: 'done' });
      await createCallback(app, campaign.id, {
        ownerId: other.id,
        visibility: 'private',
        dueAt: at(1),
      });
      const notices = () =>
        http().get('/api/v1/callbacks/notices').set(as(operator.token)).expect(200);
      const first = await notices();
      expect(ids(first.body)).toEqual([late.id, soon.id]);
      expect(first.body[0]).toMatchObject({ overdueMinutes: 5, visibility: 'private' });
      clock.set(at(6));
      expect(ids((await notices()).body)).toEqual([late.id, soon.id, later.id]);
      await http().get('/api/v1/callbacks/notices').set(as(coordinator.token)).expect(403);
    });
  });

  (isMysqlRun() ? describe : describe.skip)('several instances on one MySQL database', () => {
    let second: NestExpressApplication;
    let third: NestExpressApplication;
    const instances = () => [app, second, third];
    const setClocks = (when: Date) => instances().forEach((a) => a.get(Clock).set(when));

    beforeAll(async () => {
      second = await createTestApp();
      third = await createTestApp();
    });
    afterAll(async () => {
      await second.close();
      await third.close();
    });

    /** `count` contacts waiting for a callback each, written in a few statements. */
    async function waitingCallbacks(
      count: number,
      fields: { ownerId: number | null; visibility: string; state: string; dueAt: Date },
    ): Promise<number[]> {
      for (let from = 0; from < count; from += 1000) {
        const rows = Array.from({ length: Math.min(1000, count - from) }, (_, i) => from + i);
        await db.query(
          `INSERT INTO contacts (campaign_id, first_name, last_name, phone, state) VALUES ${rows.map(() => "(?, 'Nome', 'Cognome', ?, 'callback')").join(', ')}`,
          rows.flatMap((n) => [campaign.id, `+39320${String(n).padStart(7, '0')}`]),
        );
      }
      await db.query(
        `INSERT INTO callbacks (contact_id, campaign_id, owner_id, visibility, state, due_at, reason)
         SELECT id, campaign_id, ?, ?, ?, ?, 'Richiamare' FROM contacts WHERE campaign_id = ? AND state = 'callback'`,
        [fields.ownerId, fields.visibility, fields.state, fields.dueAt, campaign.id],
      );
      const made = await callbacks().find({ select: { id: true }, order: { id: 'ASC' } });
      return made.map((c) => c.id);
    }

    it('three instances running the jobs at once change each of 3,000 callbacks once', async () => {
      const absent = await desk();
      await assign(campaign.id, absent);
      const made = await waitingCallbacks(3000, {
        ownerId: absent.id,
        visibility: 'private',
        state: 'scheduled',
        dueAt: at(-1),
      });
      expect(made).toHaveLength(3000);
      setClocks(MONDAY);
      const run = async (job: 'markDue' | 'escalate' | 'expire') => {
        const counts = await Promise.all(instances().map((a) => a.get(CallbacksService)[job]()));
        // The instances did share the rows, so the race was a real one.
        expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
        return counts;
      };
      const again = (job: 'markDue' | 'escalate' | 'expire') =>
        Promise.all(instances().map((a) => a.get(CallbacksService)[job]()));

      const marked = await run('markDue');
      expect(marked.reduce((a, b) => a + b, 0)).toBe(3000);
      expect(await callbacks().countBy({ state: 'due' })).toBe(3000);
      expect((await again('markDue')).reduce((a, b) => a + b, 0)).toBe(0);

      const escalated = await run('escalate');
      expect(escalated.reduce((a, b) => a + b, 0)).toBe(3000);
      const lines = await audit('callback.escalated');
      expect(lines).toHaveLength(3000);
      expect(new Set(lines.map((l) => l.entityId)).size).toBe(3000);
      expect(await callbacks().countBy({ visibility: 'public' })).toBe(3000);
      expect((await again('escalate')).reduce((a, b) => a + b, 0)).toBe(0);

      setClocks(at(15 * 24 * 60));
      const expired = await run('expire');
      expect(expired.reduce((a, b) => a + b, 0)).toBe(3000);
      const expiredLines = await audit('callback.expired');
      expect(new Set(expiredLines.map((l) => l.entityId)).size).toBe(3000);
      expect(expiredLines).toHaveLength(3000);
      expect(await db.getRepository(Contact).countBy({ state: 'final' })).toBe(3000);
      expect((await again('expire')).reduce((a, b) => a + b, 0)).toBe(0);
      setClocks(MONDAY);
    }, 180_000);

    it('1,200 due callbacks dispatched to 24 operators on two instances at once: each to one operator, once', async () => {
      const desks = await Promise.all(Array.from({ length: 24 }, () => desk()));
      await assign(campaign.id, ...desks);
      const made = await waitingCallbacks(1200, {
        ownerId: null,
        visibility: 'public',
        state: 'due',
        dueAt: at(-30),
      });
      // Half of them not yet marked due: the jobs run on every instance while operators work.
      await callbacks().update(
        { id: In(made.filter((_, i) => i % 2 === 0)) },
        { state: 'scheduled' },
      );
      setClocks(MONDAY);
      const taken: Array<{ operatorId: number; callbackId: number; contactId: number }> = [];
      let jobsRunning = true;
      const jobs = (async () => {
        while (jobsRunning) {
          await Promise.all([
            app.get(CallbacksService).markDue(),
            second.get(CallbacksService).markDue(),
            third.get(CallbacksService).escalate(),
          ]);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const waiting = () => callbacks().countBy({ state: In(['scheduled', 'due']) });
      await Promise.all(
        desks.map(async (d, i) => {
          const target = i % 2 === 0 ? app : second;
          for (;;) {
            const res = await next(d.token, target);
            if (res.status === 204) {
              // Rows a job or another desk holds this instant are skipped, not lost: ask again.
              if ((await waiting()) === 0) return;
              await new Promise((resolve) => setTimeout(resolve, 10));
              continue;
            }
            expect(res.status).toBe(200);
            taken.push({
              operatorId: d.id,
              callbackId: res.body.callback.id,
              contactId: res.body.contact.id,
            });
            await confirm(
              d.token,
              res.body.contact.id,
              { statusId: statuses.notInterested.id },
              target,
            ).expect(201);
          }
        }),
      );
      jobsRunning = false;
      await jobs;
      expect(taken).toHaveLength(1200);
      expect(new Set(taken.map((t) => t.callbackId)).size).toBe(1200);
      expect(new Set(taken.map((t) => t.contactId)).size).toBe(1200);
      expect(new Set(taken.map((t) => t.operatorId)).size).toBeGreaterThan(1);
      expect(await callbacks().countBy({ state: 'done' })).toBe(1200);
      expect(await db.getRepository(Interaction).count()).toBe(1200);
      expect(await db.getRepository(ContactLease).count()).toBe(0);
    }, 300_000);
  });
});
