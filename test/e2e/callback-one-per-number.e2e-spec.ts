import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import type { CallbackItem } from '../../src/callbacks/dto/callback.view';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCallback } from '../factories/callback.factory';
import { createCallbackStatuses, createCampaign } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(MONDAY.getTime() + minutes * 60_000).toISOString();
const PHONE = mobile(4_200_001);

interface Desk {
  id: number;
  token: string;
}

describe('One active callback per phone number across campaigns', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let statuses: Record<'callback' | 'notInterested', OutcomeStatus>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const callback = (id: number) => db.getRepository(Callback).findOneByOrFail({ id });
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const active = () =>
    db.getRepository(Callback).find({ where: { activePhone: PHONE }, order: { id: 'ASC' } });
  const replaced = () =>
    db
      .getRepository(AuditEntry)
      .find({ where: { action: 'callback.replaced' }, order: { id: 'ASC' } });

  async function desk(role: 'operator' | 'coordinator' | 'integration' | 'admin' = 'operator') {
    const user = await createUser(app, { role });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  /** A campaign with one operator of its own and a contact with PHONE. */
  async function campaignWithPhone(): Promise<{ campaign: Campaign; op: Desk; contactId: number }> {
    const op = await desk();
    const campaign = await createCampaign(
      app,
      {},
      { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [op.id] },
    );
    const { id } = await createContact(app, campaign.id, { phone: PHONE });
    return { campaign, op, contactId: id };
  }
  const next = (op: Desk, campaignId: number) =>
    http().post('/api/v1/work/next').set(as(op.token)).send({ campaignId }).expect(200);
  const agree = (op: Desk, contactId: number, when: string, visibility = 'private') =>
    http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(op.token))
      .send({ statusId: statuses.callback.id, callback: { at: when, visibility } });
  const mine = async (op: Desk) =>
    (
      (await http().get('/api/v1/callbacks').query({ scope: 'mine' }).set(as(op.token)).expect(200))
        .body as CallbackItem[]
    ).map((c) => c.id);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    app.get(Clock).set(MONDAY);
    await resetDatabase(app);
    statuses = await createCallbackStatuses(app);
  });
  afterAll(async () => {
    app.get(Clock).set(null);
    await app.close();
    removeSqliteData();
  });

  it('a newer callback in another campaign cancels the older one, saying so in its history; its operator sees it gone', async () => {
    const a = await campaignWithPhone();
    const b = await campaignWithPhone();
    await next(a.op, a.campaign.id);
    const older = (await agree(a.op, a.contactId, at(120)).expect(201)).body.callback.id as number;
    expect(await mine(a.op)).toEqual([older]);
    expect(await callback(older)).toMatchObject({ state: 'scheduled', activePhone: PHONE });

    await next(b.op, b.campaign.id);
    const newer = (await agree(b.op, b.contactId, at(240), 'public').expect(201)).body.callback
      .id as number;

    expect(await active()).toEqual([expect.objectContaining({ id: newer, state: 'scheduled' })]);
    const gone = await callback(older);
    expect(gone).toMatchObject({ state: 'cancelled', activePhone: null, closedAt: MONDAY });
    expect(gone.notes).toContain(`nella campagna ${b.campaign.name} (${b.campaign.code})`);
    expect(await replaced()).toEqual([
      expect.objectContaining({
        userId: b.op.id,
        entity: 'callback',
        entityId: older,
        detail: `cancelled (was scheduled): a newer callback for the same number in campaign ${b.campaign.code} (contact ${b.contactId}) replaces it`,
      }),
    ]);
    // Its operator's list no longer has it; the contact waiting for it leaves the queue.
    expect(await mine(a.op)).toEqual([]);
    expect(await contact(a.contactId)).toMatchObject({ state: 'final', nextCallAt: null });
    expect(await contact(b.contactId)).toMatchObject({ state: 'callback' });
    // The same contact agreeing again replaces its own callback, with no line of this kind.
    app.get(Clock).set(new Date(at(241)));
    await next(b.op, b.campaign.id);
    const again = (await agree(b.op, b.contactId, at(300)).expect(201)).body.callback.id as number;
    expect((await active()).map((c) => c.id)).toEqual([again]);
    expect(await callback(newer)).toMatchObject({ state: 'done', activePhone: null });
    expect(await replaced()).toHaveLength(1);
  });

  it("an inbound request for the number replaces another campaign's callback; the callback being called when replaced is not brought back", async () => {
    const a = await campaignWithPhone();
    const b = await campaignWithPhone();
    const admin = await desk('admin');
    const ivr = await desk('integration');
    await http()
      .put(`/api/v1/campaigns/${b.campaign.id}/callback-offer`)
      .set(as(admin.token))
      .send({ slotMinutes: 30, leadMinutes: 15, defaultCapacity: 2, capacities: [] })
      .expect(200);
    // A's callback is due and being called by A's operator.
    await next(a.op, a.campaign.id);
    const older = (await agree(a.op, a.contactId, at(30)).expect(201)).body.callback.id as number;
    app.get(Clock).set(new Date(at(31)));
    const held = await next(a.op, a.campaign.id);
    expect(held.body.contact.id).toBe(a.contactId);
    expect(await callback(older)).toMatchObject({ state: 'in_progress' });

    // Meanwhile the customer asks B's web site to be called back.
    const asked = await http()
      .post('/api/v1/callback-requests')
      .set(as(ivr.token))
      .send({ campaignId: b.campaign.id, phone: '333 420 0001' })
      .expect(201);
    const [newer] = await active();
    expect(newer).toMatchObject({ campaignId: b.campaign.id, contactId: b.contactId });
    expect(await callback(older)).toMatchObject({ state: 'cancelled', activePhone: null });
    expect(await replaced()).toEqual([
      expect.objectContaining({ userId: ivr.id, entityId: older }),
    ]);
    expect((await replaced())[0]!.detail).toContain('(was in_progress)');
    expect(asked.body.id).toBeDefined();

    // A's operator puts the phone down without an outcome: the contact has nothing to wait for.
    await http().post(`/api/v1/work/${a.contactId}/discard`).set(as(a.op.token)).expect(204);
    expect(await callback(older)).toMatchObject({ state: 'cancelled' });
    expect(await contact(a.contactId)).toMatchObject({ state: 'final' });
    expect((await active()).map((c) => c.id)).toEqual([newer!.id]);
  });

  it('an outcome confirmed on a callback replaced during the call leaves it cancelled', async () => {
    const a = await campaignWithPhone();
    const b = await campaignWithPhone();
    await next(a.op, a.campaign.id);
    const older = (await agree(a.op, a.contactId, at(30)).expect(201)).body.callback.id as number;
    app.get(Clock).set(new Date(at(31)));
    await next(a.op, a.campaign.id);
    await next(b.op, b.campaign.id);
    await agree(b.op, b.contactId, at(240)).expect(201);
    await http()
      .post(`/api/v1/work/${a.contactId}/outcome`)
      .set(as(a.op.token))
      .send({ statusId: statuses.notInterested.id })
      .expect(201);
    expect(await callback(older)).toMatchObject({ state: 'cancelled', activePhone: null });
    expect(await contact(a.contactId)).toMatchObject({ state: 'final' });
    expect(await active()).toHaveLength(1);
  });

  it('campaigns scheduling callbacks for one number at the same moment leave exactly one active', async () => {
    const sides = [];
    for (let i = 0; i < 4; i++) sides.push(await campaignWithPhone());
    for (const side of sides) await next(side.op, side.campaign.id);
    const answers = await Promise.all(
      sides.map((side, i) => agree(side.op, side.contactId, at(60 + i))),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const ids = answers.map((r) => r.body.callback.id as number);
    const live = await active();
    expect(live).toHaveLength(1);
    expect(ids).toContain(live[0]!.id);
    const all = await db.getRepository(Callback).find({ order: { id: 'ASC' } });
    expect(all.filter((c) => c.state === 'scheduled').map((c) => c.id)).toEqual([live[0]!.id]);
    expect(all.filter((c) => c.state === 'cancelled')).toHaveLength(3);
    // Each cancelled one has its line, and every contact but the winner's left the queue.
    expect((await replaced()).map((l) => l.entityId).sort()).toEqual(
      all
        .filter((c) => c.state === 'cancelled')
        .map((c) => c.id)
        .sort(),
    );
    const contacts = await db.getRepository(Contact).find({ where: { phone: PHONE } });
    expect(contacts.filter((c) => c.state === 'callback').map((c) => c.id)).toEqual([
      live[0]!.contactId,
    ]);
  });
  describe("a number corrected in a call: the contact's waiting callback follows it", () => {
    const ELSEWHERE = mobile(4_200_002);
    /** A campaign of Anna and Bruno; contacts made by `waitingOn` wait for Anna's private callback. */
    async function campaignOfTwo() {
      const anna = await desk();
      const bruno = await desk();
      const campaign = await createCampaign(
        app,
        {},
        { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [anna.id, bruno.id] },
      );
      return { anna, bruno, campaign };
    }
    async function waitingOn(campaignId: number, phone: string, ownerId: number | null = null) {
      const { id } = await createContact(app, campaignId, { phone, state: 'callback' });
      const visibility = ownerId === null ? 'public' : 'private';
      const cb = await createCallback(app, campaignId, {
        contactId: id,
        ownerId,
        visibility,
        dueAt: new Date(at(120)),
      });
      return { contactId: id, callbackId: cb.id };
    }
    /** Bruno takes the contact (the customer called), to correct its number in the call. */
    const take = (bruno: Desk, contactId: number) =>
      http()
        .post('/api/v1/work/take')
        .set(as(bruno.token))
        .send({ contactId, reason: 'inbound' })
        .expect(200);
    const confirmWith = (bruno: Desk, contactId: number, phone: string) =>
      http()
        .post(`/api/v1/work/${contactId}/outcome`)
        .set(as(bruno.token))
        .send({
          statusId: statuses.notInterested.id,
          contact: { phones: [{ number: phone, label: 'cellulare' }] },
        });
    async function correct(bruno: Desk, contactId: number, phone: string) {
      await take(bruno, contactId);
      await confirmWith(bruno, contactId, phone).expect(201);
    }

    it("another operator's private callback takes the new number; the old one is free", async () => {
      const { anna, bruno, campaign } = await campaignOfTwo();
      const x = await waitingOn(campaign.id, PHONE, anna.id);
      await correct(bruno, x.contactId, ELSEWHERE);
      expect(await contact(x.contactId)).toMatchObject({ phone: ELSEWHERE });
      expect(await callback(x.callbackId)).toMatchObject({
        state: 'scheduled',
        ownerId: anna.id,
        activePhone: ELSEWHERE,
      });
      // A callback agreed for the old number elsewhere leaves Anna's alone.
      const b = await campaignWithPhone();
      await next(b.op, b.campaign.id);
      await agree(b.op, b.contactId, at(240)).expect(201);
      expect(await callback(x.callbackId)).toMatchObject({ state: 'scheduled' });
      expect(await replaced()).toEqual([]);
    });

    it('to a number with a callback in another campaign: the newer stays, the older is cancelled saying why', async () => {
      const { anna, bruno, campaign } = await campaignOfTwo();
      const other = await createCampaign(app, {}, { statusIds: [statuses.callback.id] });
      const oldest = await waitingOn(campaign.id, mobile(4_200_003), anna.id);
      const older = await waitingOn(other.id, ELSEWHERE);
      const newer = await waitingOn(campaign.id, PHONE, anna.id);
      const newest = await waitingOn(other.id, mobile(4_200_004));

      // Anna's newer callback takes ELSEWHERE: the other campaign's older one is replaced.
      await correct(bruno, newer.contactId, ELSEWHERE);
      expect(await callback(newer.callbackId)).toMatchObject({
        state: 'scheduled',
        activePhone: ELSEWHERE,
      });
      const replacedOne = await callback(older.callbackId);
      expect(replacedOne).toMatchObject({ state: 'cancelled', activePhone: null });
      expect(replacedOne.notes).toContain(`nella campagna ${campaign.name} (${campaign.code})`);
      expect(await contact(older.contactId)).toMatchObject({ state: 'final' });

      // Anna's oldest one, corrected to the number of the newest: it is the one cancelled.
      await correct(bruno, oldest.contactId, mobile(4_200_004));
      const cancelled = await callback(oldest.callbackId);
      expect(cancelled).toMatchObject({ state: 'cancelled', activePhone: null });
      expect(cancelled.notes).toContain('il numero del contatto è stato corretto');
      expect(await callback(newest.callbackId)).toMatchObject({
        state: 'scheduled',
        activePhone: mobile(4_200_004),
      });
      expect((await replaced()).map((l) => [l.userId, l.entityId])).toEqual([
        [bruno.id, older.callbackId],
        [bruno.id, oldest.callbackId],
      ]);
    });
    it('corrected while another campaign agrees a callback for that number: one stays active', async () => {
      const { anna, bruno, campaign } = await campaignOfTwo();
      const x = await waitingOn(campaign.id, PHONE, anna.id);
      const op = await desk();
      const other = await createCampaign(
        app,
        {},
        { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [op.id] },
      );
      const { id: otherContactId } = await createContact(app, other.id, { phone: ELSEWHERE });
      await take(bruno, x.contactId);
      await next(op, other.id);
      const [corrected, agreed] = await Promise.all([
        confirmWith(bruno, x.contactId, ELSEWHERE),
        agree(op, otherContactId, at(240)),
      ]);
      expect([corrected.status, agreed.status]).toEqual([201, 201]);
      // Whichever commits first, Anna's is the older: the other campaign's stays.
      const live = await db.getRepository(Callback).find({ where: { activePhone: ELSEWHERE } });
      expect(live.map((c) => c.id)).toEqual([agreed.body.callback.id as number]);
      expect(await callback(x.callbackId)).toMatchObject({ state: 'cancelled', activePhone: null });
    });
  });
});
