import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

const ALL_DAY = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };

describe('Outage campaign: not reached after the last attempt', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('e-mails the outage message once, in the outcome of the last attempt, counted as e-mailed', async () => {
    clock.set(new Date('2026-06-10T08:00:00Z'));
    await resetDatabase(app);
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    const op = await createUser(app, { role: 'operator', languages: ['it'] });
    const operator = await tokenFor(app, op);
    const created = await http()
      .post('/api/v1/outages')
      .set(as(coordinator))
      .send({
        name: 'Guasto Milano nord',
        whatHappened: 'un guasto alla centrale',
        expectedRestore: 'oggi entro le 18:00',
        whatToDo: 'riavviare il modem',
        callingHours: ALL_DAY,
        operatorIds: [op.id],
        csv: `phone,firstName,email\n${mobile(1)},Anna,anna@example.it`,
      })
      .expect(201);
    const id = created.body.id as number;
    const notReached = await db
      .getRepository(OutcomeStatus)
      .findOneByOrFail({ code: 'OUTAGE_NOT_REACHED' });
    const confirm = (contactId: number) =>
      http()
        .post(`/api/v1/work/${contactId}/outcome`)
        .set(as(operator))
        .send({ statusId: notReached.id });
    const lease = async () =>
      (
        await http()
          .post('/api/v1/work/next')
          .set(as(operator))
          .send({ campaignId: id })
          .expect(200)
      ).body.contact.id as number;

    // Two no-answers: back in the queue, nothing sent yet.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const answer = await confirm(await lease()).expect(201);
      expect(answer.body).toMatchObject({ contactState: 'retry' });
      expect(answer.body.outageEmail).toBeUndefined();
      clock.set(new Date(clock.now().getTime() + 31 * 60_000));
    }
    expect(await db.getRepository(FollowUpEmail).countBy({ campaignId: id })).toBe(0);

    // The third: the retry rule is spent. Two confirmations at once send one e-mail.
    const contactId = await lease();
    const both = await Promise.all([confirm(contactId), confirm(contactId)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const last = both.find((r) => r.status === 201)!;
    expect(last.body).toMatchObject({
      contactState: 'final',
      outageEmail: { to: 'anna@example.it' },
    });
    const mails = await db.getRepository(FollowUpEmail).findBy({ campaignId: id });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ contactId, state: 'queued', interactionId: null });
    expect(mails[0]!.body).toContain('riavviare il modem');
    const contact = await db.getRepository(Contact).findOneByOrFail({ id: contactId });
    expect(contact).toMatchObject({ state: 'final', attempts: 3, tags: ['done:outage'] });

    const progress = await http()
      .get(`/api/v1/outages/${id}/progress`)
      .set(as(coordinator))
      .expect(200);
    expect(progress.body).toMatchObject({ total: 1, emailedInstead: 1, notReached: 0, left: 0 });
    await http().post(`/api/v1/outages/${id}/close`).set(as(coordinator)).expect(200);
    const report = await http()
      .get(`/api/v1/outages/${id}/report`)
      .set(as(coordinator))
      .expect(200);
    expect(report.body).toMatchObject({ emailedInstead: 1, emails: { queued: 1 } });
    const calls = (report.body.byStatus as Array<{ code: string; calls: number }>).find(
      (s) => s.code === 'OUTAGE_NOT_REACHED',
    );
    expect(calls?.calls).toBe(3);
  });
});
