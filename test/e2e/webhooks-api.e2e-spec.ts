import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint.entity';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';

/**
 * Registering webhooks with the product as shipped (WEBHOOKS_ALLOW_PRIVATE off): the URL
 * must be http(s) and reach only public addresses, the events known, the secret long, the
 * caller an admin. Deliveries are tested in webhooks-delivery.e2e-spec.ts.
 */
describe('Webhooks API: registration, bad input, roles', () => {
  let app: NestExpressApplication;
  let admin: string;
  let removeSqliteData: () => void;
  let resetDatabase: (app: NestExpressApplication) => Promise<void>;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  // A public address written in the URL: accepted without a DNS server.
  const PUBLIC_URL = 'https://93.184.215.14/hooks/esito';
  const SECRET = 'a-secret-of-32-characters-abcd';

  beforeAll(async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = 'false';
    const support = await import('../support/test-app');
    removeSqliteData = support.removeSqliteData;
    resetDatabase = support.resetDatabase;
    app = await support.createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  const register = (body: object, token = admin) =>
    http().post('/api/v1/webhooks').set(as(token)).send(body);

  it('registers, lists, changes and deletes an endpoint; the secret is never shown back', async () => {
    const created = await register({
      url: PUBLIC_URL,
      events: ['contract.created', 'outcome.confirmed'],
      secret: SECRET,
    }).expect(201);
    expect(created.body).toMatchObject({
      url: PUBLIC_URL,
      // In the catalogue's order, whatever order they came in.
      events: ['outcome.confirmed', 'contract.created'],
      active: true,
      paused: false,
      secretHint: '…abcd',
    });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    const id = created.body.id as number;

    const list = await http().get('/api/v1/webhooks').set(as(admin)).expect(200);
    expect(list.body).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    await http().get(`/api/v1/webhooks/${id}`).set(as(admin)).expect(200);

    const patched = await http()
      .patch(`/api/v1/webhooks/${id}`)
      .set(as(admin))
      .send({
        events: ['appointment.cancelled'],
        active: false,
        secret: 'another-secret-0123456789-wxyz',
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      events: ['appointment.cancelled'],
      active: false,
      secretHint: '…wxyz',
    });
    const stored = await app.get(DataSource).getRepository(WebhookEndpoint).findOneByOrFail({ id });
    expect(stored.events).toBe(',appointment.cancelled,');

    await http().delete(`/api/v1/webhooks/${id}`).set(as(admin)).expect(204);
    await http().get(`/api/v1/webhooks/${id}`).set(as(admin)).expect(404);
    const audit = await app
      .get(DataSource)
      .getRepository(AuditEntry)
      .find({ where: { entity: 'webhook_endpoint' }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual([
      'webhook.created',
      'webhook.updated',
      'webhook.deleted',
    ]);
    expect(audit.map((a) => a.detail).join(' ')).not.toContain('another-secret');
  });

  it.each([
    ['ftp://93.184.215.14/x', /http or https/],
    ['not a url', /absolute http\(s\) URL/],
    ['javascript:alert(1)', /http or https/],
    ['http://127.0.0.1:8080/hook', /private, loopback/],
    ['http://localhost/hook', /private, loopback/],
    ['http://10.0.0.7/hook', /private, loopback/],
    ['http://192.168.1.20/hook', /private, loopback/],
    ['http://169.254.169.254/latest/meta-data', /private, loopback/],
    ['http://[::1]/hook', /private, loopback/],
    ['http://[::ffff:127.0.0.1]/hook', /private, loopback/],
    ['https://user:pw@93.184.215.14/hook', /user name or password/],
  ])('refuses the URL %s with a 400 naming url', async (url, why) => {
    const res = await register({ url, events: ['outcome.confirmed'], secret: SECRET }).expect(400);
    expect(String(res.body.message)).toMatch(/^url/);
    expect(String(res.body.message)).toMatch(why);
    // Changing an endpoint's URL obeys the same rule.
    const ok = await register({ url: PUBLIC_URL, events: ['outcome.confirmed'], secret: SECRET });
    const patched = await http()
      .patch(`/api/v1/webhooks/${ok.body.id}`)
      .set(as(admin))
      .send({ url })
      .expect(400);
    expect(String(patched.body.message)).toMatch(/url/);
  });

  it('refuses unknown events and short secrets, naming the field', async () => {
    for (const events of [['outcome.deleted'], [], 'outcome.confirmed,contract.created', [42]]) {
      const res = await register({ url: PUBLIC_URL, events, secret: SECRET }).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/events/);
    }
    for (const secret of ['short', '', 'fifteen-chars-x', 1234567890123456]) {
      const res = await register({ url: PUBLIC_URL, events: ['outcome.confirmed'], secret }).expect(
        400,
      );
      expect(JSON.stringify(res.body.message)).toMatch(/secret/);
    }
    const missing = await register({ events: ['outcome.confirmed'], secret: SECRET }).expect(400);
    expect(JSON.stringify(missing.body.message)).toMatch(/url/);
    await http().patch('/api/v1/webhooks/999').set(as(admin)).send({ active: true }).expect(404);
    expect(await app.get(DataSource).getRepository(WebhookEndpoint).count()).toBe(0);
  });

  it('is for admins only', async () => {
    const created = await register({
      url: PUBLIC_URL,
      events: ['outcome.confirmed'],
      secret: SECRET,
    }).expect(201);
    const id = created.body.id as number;
    for (const role of ['coordinator', 'backoffice', 'operator'] as const) {
      const token = await tokenFor(app, await createUser(app, { role }));
      await register(
        { url: PUBLIC_URL, events: ['outcome.confirmed'], secret: SECRET },
        token,
      ).expect(403);
      await http().get('/api/v1/webhooks').set(as(token)).expect(403);
      await http().get(`/api/v1/webhooks/${id}`).set(as(token)).expect(403);
      await http()
        .patch(`/api/v1/webhooks/${id}`)
        .set(as(token))
        .send({ active: false })
        .expect(403);
      await http().delete(`/api/v1/webhooks/${id}`).set(as(token)).expect(403);
      await http().get(`/api/v1/webhooks/${id}/deliveries`).set(as(token)).expect(403);
      await http().post(`/api/v1/webhooks/${id}/resume`).set(as(token)).expect(403);
    }
    await http().get('/api/v1/webhooks').expect(401);
    // The page too: in the admin's settings menu only.
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    await http().get('/webhooks').set(as(coordinator)).expect(403);
    const page = await http().get('/webhooks').set(as(admin)).expect(200);
    expect(page.text).toContain(PUBLIC_URL);
    expect(page.text).toContain('…abcd');
    expect(page.text).not.toContain(SECRET);
  });

  it('registers from the page: a refusal goes back to the form, the secret never shows', async () => {
    const browser = await signedInAgent(app, await createUser(app, { role: 'admin' }));
    const page = await browser.get('/webhooks').expect(200);
    const refused = await browser
      .post('/webhooks')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        url: 'http://127.0.0.1:9000/hook',
        events: 'outcome.confirmed',
        secret: SECRET,
      })
      .expect(303);
    expect(refused.headers.location).toBe('/webhooks');
    const again = await browser.get('/webhooks').expect(200);
    expect(again.text).toContain('id="url-error"');
    expect(again.text).toContain('value="http://127.0.0.1:9000/hook"');
    expect(again.text).not.toContain(SECRET);
    await browser
      .post('/webhooks')
      .type('form')
      .send({
        _csrf: csrfFrom(again.text),
        url: PUBLIC_URL,
        events: ['outcome.confirmed', 'contract.created'],
        secret: SECRET,
      })
      .expect(303);
    const listed = await browser.get('/webhooks').expect(200);
    expect(listed.text).toContain(PUBLIC_URL);
    expect(listed.text).not.toContain(SECRET);
    const [stored] = await app.get(DataSource).getRepository(WebhookEndpoint).find();
    expect(stored).toMatchObject({ events: ',outcome.confirmed,contract.created,' });
    await browser
      .post(`/webhooks/${stored!.id}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(listed.text) })
      .expect(303);
    expect(await app.get(DataSource).getRepository(WebhookEndpoint).count()).toBe(0);
  });
});
