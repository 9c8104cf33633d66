import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { RetentionService } from '../../src/privacy/retention.service';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Retention per campaign: what nobody has worked for its months is anonymised by a job. */
describe('Privacy: retention per campaign', () => {
  let app: NestExpressApplication;
  let admin: string;
  let campaignId: number;
  let other: number;
  let contacts: Record<'old' | 'recent' | 'neverCalled' | 'waitingCallback' | 'inCall', Contact>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const db = () => app.get(DataSource);
  const rule = (id: number, months: unknown) =>
    http().put(`/api/v1/privacy/retention/${id}`).set(as(admin)).send({ months });

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    // Three years on: contacts imported today were never called since.
    app.get(Clock).set(new Date('2030-01-01T08:00:00Z'));
    const adminUser = await createUser(app, { role: 'admin' });
    admin = await tokenFor(app, adminUser);
    const operator = await createUser(app, { role: 'operator' });
    const status = await createStatus(app, { type: 'N' });
    campaignId = (await createCampaign(app, { code: 'OLD' }, { statusIds: [status.id] })).id;
    other = (await createCampaign(app, { code: 'KEEP' })).id;
    const worked = { state: 'done' as const, lastStatusId: status.id, attempts: 1 };
    contacts = {
      old: await createContact(app, campaignId, {
        ...worked,
        lastName: 'Vecchio',
        lastOutcomeAt: new Date('2026-01-10T10:00:00Z'),
      }),
      recent: await createContact(app, campaignId, {
        ...worked,
        lastName: 'Recente',
        lastOutcomeAt: new Date('2029-06-01T10:00:00Z'),
      }),
      neverCalled: await createContact(app, campaignId, { lastName: 'Mai' }),
      waitingCallback: await createContact(app, campaignId, {
        ...worked,
        state: 'callback',
        lastOutcomeAt: new Date('2026-01-10T10:00:00Z'),
      }),
      inCall: await createContact(app, campaignId, {
        ...worked,
        lastOutcomeAt: new Date('2026-01-10T10:00:00Z'),
      }),
    };
    await db()
      .getRepository(ContactLease)
      .insert({
        contactId: contacts.inCall.id,
        userId: operator.id,
        campaignId,
        callbackId: null,
        previousState: 'done',
        startedAt: new Date('2030-01-01T07:59:00Z'),
        expiresAt: new Date('2030-01-01T08:09:00Z'),
      });
    await db()
      .getRepository(Interaction)
      .insert({
        contactId: contacts.old.id,
        campaignId,
        operatorId: operator.id,
        statusId: status.id,
        statusType: 'N',
        notes: 'il signor Vecchio non vuole cambiare',
        answers: { '1': 'Vecchio' },
        startedAt: new Date('2026-01-10T09:58:00Z'),
        durationSeconds: 120,
      });
    // Another campaign, old too, without a rule: kept.
    await createContact(app, other, { lastOutcomeAt: new Date('2020-01-01T00:00:00Z') });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('previews what the next run anonymises, per campaign', async () => {
    const set = await rule(campaignId, 24).expect(200);
    expect(set.body).toEqual({
      campaign: { id: campaignId, code: 'OLD', name: expect.any(String) },
      months: 24,
      due: 2,
    });
    const all = await http().get('/api/v1/privacy/retention').set(as(admin)).expect(200);
    // By code: KEEP (no rule, nothing due though its contact is older), then OLD.
    expect(
      all.body.map((v: { campaign: { code: string }; months: number | null; due: number }) => [
        v.campaign.code,
        v.months,
        v.due,
      ]),
    ).toEqual([
      ['KEEP', null, 0],
      ['OLD', 24, 2],
    ]);
  });

  it('anonymises the contacts not worked for the months, once, and leaves the others', async () => {
    await rule(campaignId, 24).expect(200);
    expect(await app.get(RetentionService).run()).toBe(2);
    const after = await db()
      .getRepository(Contact)
      .find({ order: { id: 'ASC' } });
    const byId = new Map(after.map((c) => [c.id, c]));
    for (const gone of [contacts.old, contacts.neverCalled]) {
      expect(byId.get(gone.id)).toMatchObject({
        firstName: '',
        phone: `erased-${gone.id}`,
        state: 'final',
        ineligibleReason: 'erased',
      });
    }
    for (const kept of [contacts.recent, contacts.waitingCallback, contacts.inCall]) {
      expect(byId.get(kept.id)).toMatchObject({ phone: kept.phone, lastName: kept.lastName });
    }
    const call = await db()
      .getRepository(Interaction)
      .findOneByOrFail({ contactId: contacts.old.id });
    expect(call).toMatchObject({ notes: null, answers: null, durationSeconds: 120 });
    // They did not ask to be left alone: their numbers are not on the do-not-call list.
    expect(await db().getRepository(DoNotCallNumber).count()).toBe(0);
    const audit = await db().query(
      "SELECT detail FROM audit_log WHERE action = 'privacy.retention_run'",
    );
    expect(audit.map((a: { detail: string }) => JSON.parse(a.detail) as unknown)).toEqual([
      { months: 24, contacts: 2 },
    ]);
    expect(await app.get(RetentionService).run()).toBe(0);
    const preview = await http().get('/api/v1/privacy/retention').set(as(admin)).expect(200);
    expect(preview.body.find((v: { months: number }) => v.months === 24).due).toBe(0);
  });

  it('two runs at once (two instances): each contact anonymised once', async () => {
    await rule(campaignId, 24).expect(200);
    const runs = await Promise.all([
      app.get(RetentionService).run(),
      app.get(RetentionService).run(),
    ]);
    expect(runs[0] + runs[1]).toBe(2);
  });

  it('a rule removed with null: nothing is due; the change is in the audit trail', async () => {
    await rule(campaignId, 24).expect(200);
    const removed = await rule(campaignId, null).expect(200);
    expect(removed.body).toMatchObject({ months: null, due: 0 });
    // Left out says the same as null.
    await rule(campaignId, undefined).expect(200);
    expect(await app.get(RetentionService).run()).toBe(0);
    const audit = await db().query(
      "SELECT detail FROM audit_log WHERE action = 'privacy.retention_set' ORDER BY id",
    );
    expect(audit.map((a: { detail: string }) => JSON.parse(a.detail) as unknown)).toEqual([
      { before: null, after: 24 },
      { before: 24, after: null },
    ]);
  });

  it.each([[0], [121], [1.5], ['24'], [true]])(
    'refuses months %j with a 400 naming months, keeping the rule',
    async (months) => {
      await rule(campaignId, 12).expect(200);
      const res = await rule(campaignId, months).expect(400);
      expect([].concat(res.body.message).join(' | ')).toMatch(/^months must be a whole number/);
      const all = await http().get('/api/v1/privacy/retention').set(as(admin)).expect(200);
      expect(
        all.body.find((v: { campaign: { id: number } }) => v.campaign.id === campaignId).months,
      ).toBe(12);
    },
  );

  it('404 for an unknown campaign; admins only', async () => {
    await rule(999_999, 12).expect(404);
    for (const role of ['coordinator', 'backoffice', 'operator'] as const) {
      const token = await tokenFor(app, await createUser(app, { role }));
      await http().get('/api/v1/privacy/retention').set(as(token)).expect(403);
      await http()
        .put(`/api/v1/privacy/retention/${campaignId}`)
        .set(as(token))
        .send({ months: 12 })
        .expect(403);
    }
  });
});
