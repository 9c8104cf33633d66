import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Proactive call eligibility at dispatch', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let done: OutcomeStatus;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const next = () =>
    http().post('/api/v1/work/next').set(as(operator.token)).send({ campaignId: campaign.id });
  const contact = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const rules = {
    requireConsent: true,
    matchLanguage: true,
    allowedReasons: ['voicemail', 'access-help'],
    maxConcurrent: 2,
    respectPreferredChannel: true,
  };

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(null);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator', languages: ['it'] });
    operator = { id: op.id, token: await tokenFor(app, op) };
    done = await createStatus(app, { code: 'OK', label: 'Avvisato', type: 'N' });
    campaign = await createCampaign(app, {}, { statusIds: [done.id], operatorIds: [operator.id] });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('refuses bad rules and bad contact preferences naming the field', async () => {
    const put = (body: object) =>
      http().put(`/api/v1/campaigns/${campaign.id}/eligibility`).set(as(admin)).send(body);
    let res = await put({ maxConcurrent: 0 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/maxConcurrent/);
    res = await put({ allowedReasons: ['ok', 'Bad Reason!'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/allowedReasons/);
    res = await put({ requireConsent: 'yes' });
    expect(res.status).toBe(400);
    await put(rules).expect(200);
    expect(
      (await http().get(`/api/v1/campaigns/${campaign.id}/eligibility`).set(as(admin))).body,
    ).toEqual(rules);
    await http()
      .put(`/api/v1/campaigns/${campaign.id}/eligibility`)
      .set(as(operator.token))
      .send(rules)
      .expect(403);

    const created = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts`)
      .set(as(admin))
      .send({ firstName: 'A', lastName: 'B', phone: mobile(1), preferredChannel: 'fax' });
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body.message)).toMatch(/preferredChannel/);
    const c = await createContact(app, campaign.id);
    const patch = await http()
      .patch(`/api/v1/contacts/${c.id}/preferences`)
      .set(as(admin))
      .send({ consent: 'maybe' });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.body.message)).toMatch(/consent/);
  });

  it('dispatches only contacts that pass every rule, records and counts the refusals, shows the checklist', async () => {
    await http()
      .put(`/api/v1/campaigns/${campaign.id}/eligibility`)
      .set(as(admin))
      .send(rules)
      .expect(200);
    const add = (body: object) =>
      http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set(as(admin))
        .send({ firstName: 'X', lastName: 'Y', ...body })
        .expect(201)
        .then((r) => r.body as { id: number });
    const noConsent = await add({ phone: mobile(11), callReason: 'voicemail', language: 'it' });
    const wrongReason = await add({
      phone: mobile(12),
      consent: true,
      callReason: 'other',
      language: 'it',
    });
    const prefersChat = await add({
      phone: mobile(13),
      consent: true,
      callReason: 'voicemail',
      preferredChannel: 'chat',
      language: 'it',
    });
    const german = await add({
      phone: mobile(14),
      consent: true,
      callReason: 'voicemail',
      language: 'de',
    });
    const ok = await add({
      phone: mobile(15),
      consent: true,
      callReason: 'access-help',
      language: 'it',
    });

    const res = await next().expect(200);
    expect(res.body.contact.id).toBe(ok.id);
    expect(res.body.eligibility).toEqual([
      { rule: 'consent', ok: true, detail: 'true' },
      { rule: 'language', ok: true, detail: 'it' },
      { rule: 'reason', ok: true, detail: 'access-help' },
      { rule: 'concurrency', ok: true, detail: '1/2' },
      { rule: 'channel', ok: true, detail: 'phone' },
    ]);
    const page = await http().get('/work').set(as(operator.token)).expect(200);
    expect(page.text).toContain('id="work-eligibility"');
    expect(page.text.match(/data-ok="true"/g)).toHaveLength(5);

    expect(await contact(noConsent.id)).toMatchObject({
      state: 'final',
      ineligibleReason: 'consent',
    });
    expect(await contact(wrongReason.id)).toMatchObject({
      state: 'final',
      ineligibleReason: 'reason',
    });
    expect(await contact(prefersChat.id)).toMatchObject({
      state: 'final',
      ineligibleReason: 'channel',
    });
    // Not a contact for this operator (they do not speak German), but one for another.
    expect(await contact(german.id)).toMatchObject({ state: 'new', ineligibleReason: null });

    await http()
      .post(`/api/v1/work/${ok.id}/outcome`)
      .set(as(operator.token))
      .send({ statusId: done.id })
      .expect(201);
    await next().expect(204);

    // The operator has two chats open: at the limit of 2, nothing is dispatched (409 named).
    await http()
      .put(`/api/v1/operators/${operator.id}/chats`)
      .set(as(operator.token))
      .send({ activeChats: 2 })
      .expect(200);
    const busy = await next().expect(409);
    expect(busy.body.message).toMatch(/^campaignId: you have 0 contact\(s\) and 2 chat\(s\) open/);
    await http()
      .put(`/api/v1/operators/${operator.id}/chats`)
      .set(as(operator.token))
      .send({ activeChats: 0 })
      .expect(200);

    // Consent given later by the integration: the contact is back in the queue.
    const fixed = await http()
      .patch(`/api/v1/contacts/${noConsent.id}/preferences`)
      .set(as(admin))
      .send({ consent: true })
      .expect(200);
    expect(fixed.body).toMatchObject({ consent: true, state: 'new', ineligibleReason: null });
    expect((await next().expect(200)).body.contact.id).toBe(noConsent.id);

    const counts = await http()
      .get(`/api/v1/campaigns/${campaign.id}/eligibility/refusals`)
      .set(as(admin))
      .expect(200);
    expect(counts.body).toMatchObject({
      refusals: { consent: 1, reason: 1, channel: 1, concurrency: 1, language: 0 },
      ineligibleContacts: { reason: 1, channel: 1 },
    });

    // A retry in a language the operator does not speak is passed over and counted.
    await db
      .getRepository(Contact)
      .update({ id: german.id }, { state: 'retry', nextCallAt: new Date(0) });
    await http()
      .post(`/api/v1/work/${noConsent.id}/outcome`)
      .set(as(operator.token))
      .send({ statusId: done.id })
      .expect(201);
    await next().expect(204);
    const after = await http()
      .get(`/api/v1/campaigns/${campaign.id}/eligibility/refusals`)
      .set(as(admin))
      .expect(200);
    expect(after.body.refusals.language).toBe(1);
    expect(await contact(german.id)).toMatchObject({ state: 'retry' });
  });

  it('leaves a campaign without rules as it was: no checklist, everyone dispatched', async () => {
    const c = await createContact(app, campaign.id, { preferredChannel: 'email', consent: false });
    const res = await next().expect(200);
    expect(res.body.contact.id).toBe(c.id);
    expect(res.body.eligibility).toBeNull();
  });
});
