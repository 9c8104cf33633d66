import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { FollowUpSender } from '../../src/follow-ups/follow-up-sender.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import type { AppInstance } from '../support/app-worker';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a port of its own; `stop` and `start` make an outage. */
class Mailbox {
  readonly messages: Received[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address.startsWith('rejected@')) {
          const error = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  subjects(): string[] {
    return this.messages.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '');
  }
}

describe('Follow-up e-mails: templates, outbox in the outcome, SMTP sender', () => {
  const mailbox = new Mailbox();
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let sender: FollowUpSender;
  let admin: string;
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let statuses: Record<'hungUp' | 'noAnswer' | 'notReady', OutcomeStatus>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const NOW = new Date('2026-03-10T10:00:00Z');
  let removeSqliteData: () => void;
  let resetDatabase: (app: NestExpressApplication) => Promise<void>;

  beforeAll(async () => {
    await mailbox.start();
    // The app reads its configuration when AppModule loads: the server's port first.
    process.env.SMTP_URL = `smtp://127.0.0.1:${mailbox.port}`;
    process.env.MAIL_FROM = 'Servizio Clienti <assistenza@esito.example>';
    process.env.MAIL_MAX_ATTEMPTS = '3';
    const support = await import('../support/test-app');
    removeSqliteData = support.removeSqliteData;
    resetDatabase = support.resetDatabase;
    app = await support.createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
    sender = app.get(FollowUpSender);
  });
  beforeEach(async () => {
    clock.set(NOW);
    mailbox.messages.length = 0;
    await resetDatabase(app);
    const adminUser = await createUser(app, { role: 'admin' });
    admin = await tokenFor(app, adminUser);
    const op = await createUser(app, { role: 'operator', displayName: 'Giulia Verdi' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    statuses = {
      hungUp: await createStatus(app, { code: 'HUP', label: 'Ha riattaccato', type: 'N' }),
      noAnswer: await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        type: 'N',
        retryAfterMinutes: 60,
        maxAttempts: 3,
      }),
      notReady: await createStatus(app, {
        code: 'RC',
        label: 'Non pronto',
        type: 'R',
        callbackVisibility: 'private',
      }),
    };
    campaign = await createCampaign(
      app,
      {},
      { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [operator.id] },
    );
  });
  afterAll(async () => {
    await app.close();
    await mailbox.stop();
    removeSqliteData();
  });

  const template = (body: object) =>
    http().post('/api/v1/follow-up-templates').set(as(admin)).send(body);

  /** Leases the next contact to the operator and confirms the outcome. */
  async function work(statusId: number, extra: object = {}) {
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    const contactId = (next.body as { contact: { id: number } }).contact.id;
    const res = await http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(operator.token))
      .send({ statusId, ...extra });
    return { contactId, res };
  }
  const outbox = () => db.getRepository(FollowUpEmail).find({ order: { id: 'ASC' } });

  async function examples() {
    await template({
      statusId: statuses.hungUp.id,
      language: 'it',
      subject: 'Ci scusi, {{contact.firstName}}',
      body: 'Gentile {{contact.firstName}} {{contact.lastName}},\nci scusiamo per la chiamata interrotta.\n{{operator.name}}',
    }).expect(201);
    await template({
      statusId: statuses.noAnswer.id,
      reason: 'voicemail',
      language: 'it',
      subject: 'Abbiamo provato a chiamarla',
      body: 'Gentile {{contact.firstName}}, abbiamo ascoltato il suo messaggio e abbiamo provato a richiamarla.',
    }).expect(201);
    await template({
      statusId: statuses.noAnswer.id,
      reason: 'voicemail',
      language: 'en',
      subject: 'We tried to reach you',
      body: 'Dear {{contact.firstName}}, we got your voicemail and tried to call you back.',
    }).expect(201);
    await template({
      statusId: statuses.notReady.id,
      reason: 'exchange-offer',
      language: 'it',
      subject: 'La sua offerta di permuta',
      body: "{{contact.firstName}}, quando sarà pronto trova qui l'offerta{{#if contact.fields.offerta}} {{contact.fields.offerta}}{{/if}}.",
    }).expect(201);
  }

  it('refuses templates that do not compile or use unknown placeholders, naming the field and line', async () => {
    const base = { statusId: statuses.hungUp.id, language: 'it', subject: 'Ciao' };
    let res = await template({ ...base, body: 'Riga uno\nRiga {{#if contact.firstName}} due' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body: Parse error on line 2/);
    res = await template({ ...base, body: 'Gentile\n\n{{contact.nome}}' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body: line 3: \{\{contact\.nome\}\} is not a placeholder/);
    res = await template({ ...base, subject: 'Ciao {{{contact.firstName}}}', body: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^subject: line 1:/);
    res = await template({ ...base, statusId: 999999, body: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^statusId/);
    res = await template({ ...base, language: 'de', body: 'x' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/language/);
    res = await template({ ...base, reason: 'Voice Mail!', body: 'x' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/reason/);
    // Nothing half-saved.
    expect((await http().get('/api/v1/follow-up-templates').set(as(admin))).body).toEqual([]);

    await template({ ...base, body: 'Gentile {{contact.firstName}}' }).expect(201);
    res = await template({ ...base, body: 'doppio' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^reason:/);

    const preview = await http()
      .post('/api/v1/follow-up-templates/preview')
      .set(as(admin))
      .send({
        subject: 'Per {{contact.firstName}}',
        body: '{{operator.name}} per {{contact.lastName}}',
      })
      .expect(200);
    expect(preview.body).toMatchObject({
      subject: 'Per Mario',
      text: 'Giulia Bianchi per Rossi',
    });
    const bad = await http()
      .post('/api/v1/follow-up-templates/preview')
      .set(as(admin))
      .send({ subject: 'x', body: '{{#if contact.firstName}}' })
      .expect(400);
    expect(bad.body.message).toMatch(/^body: Parse error on line 1/);
    await http()
      .post('/api/v1/follow-up-templates')
      .set(as(operator.token))
      .send({ ...base, body: 'x' })
      .expect(403);
  });

  it('queues the template chosen by status, reason and language with the outcome, and sends it through SMTP', async () => {
    await examples();
    // Each contact is created when its turn comes, so dispatch order does not matter.
    const hungUp = await createContact(app, campaign.id, {
      firstName: 'Anna',
      lastName: 'Neri',
      email: 'anna@example.com',
    });
    let done = await work(statuses.hungUp.id);
    expect(done.contactId).toBe(hungUp.id);
    expect(done.res.status).toBe(201);
    expect(done.res.body.followUp).toMatchObject({ state: 'queued', to: 'anna@example.com' });

    const voicemail = await createContact(app, campaign.id, {
      firstName: 'John',
      email: 'john@example.com',
      language: 'en',
      callReason: 'voicemail',
    });
    // An outcome refused halfway queues nothing: the e-mail is in the outcome's transaction.
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(next.body.contact.id).toBe(voicemail.id);
    const refused = await http()
      .post(`/api/v1/work/${voicemail.id}/outcome`)
      .set(as(operator.token))
      .send({ statusId: statuses.noAnswer.id, answers: { 999: 'x' } });
    expect(refused.status).toBe(400);
    expect(await outbox()).toHaveLength(1);
    await http()
      .post(`/api/v1/work/${voicemail.id}/outcome`)
      .set(as(operator.token))
      .send({ statusId: statuses.noAnswer.id })
      .expect(201);

    const notReady = await createContact(app, campaign.id, {
      firstName: 'Marco',
      email: 'marco@example.com',
      callReason: 'exchange-offer',
      fields: { offerta: 'X-200' },
    });
    done = await work(statuses.notReady.id, {
      callback: { at: '2026-03-11T09:00:00Z' },
    });
    expect(done.contactId).toBe(notReady.id);
    expect(done.res.status).toBe(201);
    const noEmail = await createContact(app, campaign.id, { email: null });
    done = await work(statuses.hungUp.id);
    expect(done.contactId).toBe(noEmail.id);
    expect(done.res.body.followUp).toMatchObject({ state: 'no_email', id: null });

    const queued = await outbox();
    expect(queued.map((e) => [e.toAddress, e.subject, e.state])).toEqual([
      ['anna@example.com', 'Ci scusi, Anna', 'queued'],
      ['john@example.com', 'We tried to reach you', 'queued'],
      ['marco@example.com', 'La sua offerta di permuta', 'queued'],
    ]);
    expect(queued[0]!.body).toBe(
      'Gentile Anna Neri,\nci scusiamo per la chiamata interrotta.\nGiulia Verdi',
    );
    expect(queued[2]!.body).toBe("Marco, quando sarà pronto trova qui l'offerta X-200.");

    expect(await sender.sendDue()).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(mailbox.messages).toHaveLength(3);
    expect(mailbox.messages.map((m) => m.to)).toEqual([
      ['anna@example.com'],
      ['john@example.com'],
      ['marco@example.com'],
    ]);
    expect(mailbox.messages[0]!.from).toBe('assistenza@esito.example');
    expect(mailbox.messages[0]!.raw).toContain('ci scusiamo per la chiamata interrotta');
    expect(mailbox.subjects()).toContain('We tried to reach you');
    const sent = await outbox();
    expect(sent.every((e) => e.state === 'sent' && e.sentAt !== null && e.attempts === 1)).toBe(
      true,
    );
    // Sent once: the next run has nothing to do.
    expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(mailbox.messages).toHaveLength(3);

    const list = await http().get('/api/v1/follow-ups').set(as(admin)).expect(200);
    expect(list.body).toMatchObject({ mailConfigured: true, counts: { sent: 3, queued: 0 } });
    const page = await http().get('/follow-ups').set(as(admin)).expect(200);
    expect(page.text).not.toContain('data-mail-not-configured');
  });

  it('a template added, changed or removed counts from the very next outcome (the instance’s copy follows the configuration stamp)', async () => {
    const outcome = async (firstName: string) => {
      await createContact(app, campaign.id, { firstName, email: `${firstName}@example.com` });
      const done = await work(statuses.hungUp.id);
      expect(done.res.status).toBe(201);
      // The copy is learnt again beside the request: let it land before the next one.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (done.res.body as { followUp?: { to: string } }).followUp ?? null;
    };
    // No template: nothing, twice (the second answered from the copy).
    expect(await outcome('uno')).toBeNull();
    expect(await outcome('due')).toBeNull();
    const created = await template({
      statusId: statuses.hungUp.id,
      language: 'it',
      subject: 'Prima versione',
      body: 'Gentile {{contact.firstName}}',
    }).expect(201);
    expect(await outcome('tre')).toMatchObject({ to: 'tre@example.com' });
    await http()
      .patch(`/api/v1/follow-up-templates/${created.body.id}`)
      .set(as(admin))
      .send({ subject: 'Seconda versione' })
      .expect(200);
    expect(await outcome('quattro')).toMatchObject({ to: 'quattro@example.com' });
    await http()
      .delete(`/api/v1/follow-up-templates/${created.body.id}`)
      .set(as(admin))
      .expect(204);
    expect(await outcome('cinque')).toBeNull();
    expect((await outbox()).map((e) => [e.toAddress, e.subject])).toEqual([
      ['tre@example.com', 'Prima versione'],
      ['quattro@example.com', 'Seconda versione'],
    ]);
  });

  it('keeps e-mails through an SMTP outage, retries with back-off and sends once the server is back', async () => {
    await examples();
    await createContact(app, campaign.id, { firstName: 'Anna', email: 'anna@example.com' });
    await mailbox.stop();
    await work(statuses.hungUp.id);

    expect(await sender.sendDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [email] = await outbox();
    expect(email).toMatchObject({ state: 'queued', attempts: 1, claimedBy: null });
    expect(email!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(email!.nextAttemptAt.getTime()).toBe(NOW.getTime() + 60_000);
    // Not due yet: nothing is tried.
    expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(60_000);
    expect(await sender.sendDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    [email] = await outbox();
    expect(email!.attempts).toBe(2);
    // The second back-off is twice the first.
    expect(email!.nextAttemptAt.getTime()).toBe(NOW.getTime() + 60_000 + 120_000);

    await mailbox.start();
    clock.advance(120_000);
    expect(await sender.sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    [email] = await outbox();
    expect(email).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
    expect(mailbox.messages).toHaveLength(1);
  });

  it('gives up on refused and invalid addresses and after the last attempt, saying why; a failed one can be retried', async () => {
    await examples();
    await createContact(app, campaign.id, { email: 'rejected@example.com' });
    await createContact(app, campaign.id, { email: 'not an address' });
    await work(statuses.hungUp.id);
    await work(statuses.hungUp.id);
    expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 2 });
    const [refused, invalid] = await outbox();
    expect(refused).toMatchObject({ state: 'failed', attempts: 1 });
    expect(refused!.lastError).toMatch(/550/);
    expect(invalid).toMatchObject({ state: 'failed' });
    expect(invalid!.lastError).toMatch(/^to: "not an address" is not a valid e-mail address/);
    expect(mailbox.messages).toHaveLength(0);

    // MAIL_MAX_ATTEMPTS is 3 here: the third failed attempt is the last.
    await mailbox.stop();
    await createContact(app, campaign.id, { email: 'late@example.com' });
    await work(statuses.hungUp.id);
    for (let run = 0; run < 3; run++) {
      await sender.sendDue();
      clock.advance(60 * 60_000);
    }
    const late = (await outbox())[2]!;
    expect(late).toMatchObject({ state: 'failed', attempts: 3 });
    await mailbox.start();

    const retried = await http()
      .post(`/api/v1/follow-ups/${late.id}/retry`)
      .set(as(admin))
      .expect(200);
    expect(retried.body).toMatchObject({ state: 'queued', attempts: 0 });
    await http().post(`/api/v1/follow-ups/${late.id}/retry`).set(as(admin)).expect(409);
    expect(await sender.sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(mailbox.messages.map((m) => m.to)).toEqual([['late@example.com']]);
  });

  it('sends each e-mail exactly once with two instances sending at once, and takes over a dead claim', async () => {
    const { startAppWorker } = await import('../support/app-worker');
    const other: AppInstance = await startAppWorker();
    try {
      await other.setClock(NOW);
      const rows = Array.from({ length: 40 }, (_, i) => i);
      const contacts = [];
      for (const i of rows) {
        contacts.push(await createContact(app, campaign.id, { email: `c${i}@example.com` }));
      }
      await db.getRepository(FollowUpEmail).insert(
        contacts.map((c, i) => ({
          contactId: c.id,
          campaignId: campaign.id,
          interactionId: null,
          templateId: null,
          statusId: statuses.hungUp.id,
          toAddress: `c${i}@example.com`,
          subject: `Messaggio ${i}`,
          body: 'Testo',
          state: 'queued' as const,
          attempts: 0,
          nextAttemptAt: NOW,
          // A sender that died mid-send left this one claimed until a minute ago.
          ...(i === 0
            ? {
                state: 'sending' as const,
                attempts: 1,
                claimedBy: 'dead',
                claimUntil: new Date(NOW.getTime() - 60_000),
              }
            : {}),
        })),
      );
      const [mine, theirs] = await Promise.all([sender.sendDue(), other.sendFollowUps()]);
      expect(mine.sent + theirs.sent).toBe(40);
      expect(mine.failed + theirs.failed + mine.retried + theirs.retried).toBe(0);
      expect(mailbox.messages).toHaveLength(40);
      expect(new Set(mailbox.subjects()).size).toBe(40);
      const all = await outbox();
      expect(all.filter((e) => e.state === 'sent')).toHaveLength(40);
      expect(all[0]!.attempts).toBe(2);
      expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    } finally {
      await other.close();
    }
  });
});
