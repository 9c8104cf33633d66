import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Contact } from '../../src/contacts/contact.entity';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { FollowUpSender } from '../../src/follow-ups/follow-up-sender.service';
import { createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Recording consent and proactive consent steps (no SMTP_URL)', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(() => resetDatabase(app));
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('a "no" to recording tells the operator to continue by e-mail, is recorded, and the e-mail waits while mail is not configured', async () => {
    const admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator' });
    const token = await tokenFor(app, op);
    const status = await createStatus(app, {
      code: 'MAIL',
      label: 'Prosegue per e-mail',
      type: 'N',
    });
    const bad = await http()
      .post('/api/v1/campaigns')
      .set(as(admin))
      .send({
        code: 'REC0',
        name: 'x',
        statusIds: [status.id],
        steps: [
          { kind: 'script', title: 'S', body: 'Ciao', consentPurpose: 'recording' },
          { kind: 'outcome', title: 'Esito' },
        ],
      });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/steps\.0\.consentPurpose/);
    const created = await http()
      .post('/api/v1/campaigns')
      .set(as(admin))
      .send({
        code: 'REC',
        name: 'Registrazione',
        // Open at any hour of any day, holidays too: the test runs whenever CI does.
        callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
        holidays: null,
        statusIds: [status.id],
        operatorIds: [op.id],
        steps: [
          { kind: 'consent', title: 'Registrazione', consentPurpose: 'recording', required: true },
          { kind: 'consent', title: 'Contatti futuri', consentPurpose: 'contact' },
          { kind: 'outcome', title: 'Esito' },
        ],
      })
      .expect(201);
    const campaign = created.body as {
      id: number;
      steps: Array<{ id: number; consentPurpose: string | null }>;
    };
    expect(campaign.steps.map((s) => s.consentPurpose)).toEqual(['recording', 'contact', null]);
    await http()
      .post('/api/v1/follow-up-templates')
      .set(as(admin))
      .send({
        statusId: status.id,
        language: 'it',
        subject: 'Come concordato',
        body: 'Gentile {{contact.firstName}}, come concordato proseguiamo per e-mail.',
      })
      .expect(201);
    const c = await createContact(app, campaign.id, { email: 'lia@example.com', phone: mobile(7) });

    await http()
      .post('/api/v1/work/next')
      .set(as(token))
      .send({ campaignId: campaign.id })
      .expect(200);
    const page = await http().get('/work').set(as(token)).expect(200);
    expect(page.text).toContain('data-consent-purpose="recording"');
    expect(page.text).toContain('data-recording-notice');
    const [recording, contactConsent] = campaign.steps;
    const res = await http()
      .post(`/api/v1/work/${c.id}/outcome`)
      .set(as(token))
      .send({
        statusId: status.id,
        answers: { [recording!.id]: 'no', [contactConsent!.id]: 'yes' },
      })
      .expect(201);
    expect(res.body).toMatchObject({
      continueByEmail: true,
      followUp: { state: 'queued', to: 'lia@example.com' },
    });
    expect(
      await app.get(DataSource).getRepository(Contact).findOneByOrFail({ id: c.id }),
    ).toMatchObject({
      recordingConsent: false,
      consent: true,
      preferredChannel: 'email',
    });
    const history = await http().get(`/api/v1/contacts/${c.id}`).set(as(admin)).expect(200);
    expect(JSON.stringify(history.body.interactions)).toContain('"no"');

    // Without SMTP_URL nothing is sent and nothing is lost: the outbox says so.
    expect(await app.get(FollowUpSender).sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(
      await app.get(DataSource).getRepository(FollowUpEmail).findBy({ state: 'queued' }),
    ).toHaveLength(1);
    const outbox = await http().get('/api/v1/follow-ups').set(as(admin)).expect(200);
    expect(outbox.body).toMatchObject({ mailConfigured: false, counts: { queued: 1 } });
    const pageOutbox = await http().get('/follow-ups').set(as(admin)).expect(200);
    expect(pageOutbox.text).toContain('data-mail-not-configured');
  });
});
