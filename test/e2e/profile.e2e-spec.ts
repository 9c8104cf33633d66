import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebSession } from '../../src/auth/web-session.entity';
import type { Role } from '../../src/common/access/role';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Each role starts where it works; everyone changes their own language and password. */
describe('Sign-in landing and one’s own profile', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it.each([
    ['operator', '/work'],
    ['coordinator', '/monitor'],
    ['backoffice', '/contracts'],
    ['admin', '/'],
  ] as Array<[Role, string]>)(
    'a %s signing in lands on %s, or on the page that sent them',
    async (role, landing) => {
      const user = await createUser(app, { role });
      const agent = request.agent(app.getHttpServer());
      const page = await agent.get('/login').expect(200);
      const form = { _csrf: csrfFrom(page.text), username: user.username, password: user.password };
      await agent.post('/login').type('form').send(form).expect(303).expect('Location', landing);
      await agent.get(landing).expect(200);
      const again = request.agent(app.getHttpServer());
      const sent = await again.get('/login?next=/callbacks').expect(200);
      await again
        .post('/login')
        .type('form')
        .send({ ...form, _csrf: csrfFrom(sent.text), next: '/callbacks' })
        .expect(303)
        .expect('Location', '/callbacks');
    },
  );

  describe('PATCH /me', () => {
    it('changes one’s own language', async () => {
      const user = await createUser(app, { role: 'operator' });
      const token = await tokenFor(app, user);
      const res = await http()
        .patch('/api/v1/me')
        .set({ Authorization: `Bearer ${token}` })
        .send({ uiLanguage: 'en' })
        .expect(200);
      expect(res.body).toMatchObject({ id: user.id, uiLanguage: 'en' });
    });

    it('changes the password with the one in use; other sessions end, this one stays', async () => {
      const user = await createUser(app, { role: 'backoffice' });
      const token = await tokenFor(app, user);
      const other = await tokenFor(app, user);
      const browser = await signedInAgent(app, user);
      const as = { Authorization: `Bearer ${token}` };
      const missing = await http()
        .patch('/api/v1/me')
        .set(as)
        .send({ password: 'nuova-password-1' })
        .expect(400);
      expect(said(missing.body)).toMatch(/^currentPassword /);
      const wrong = await http()
        .patch('/api/v1/me')
        .set(as)
        .send({ password: 'nuova-password-1', currentPassword: 'not-it' })
        .expect(400);
      expect(said(wrong.body)).toBe('currentPassword is not the password in use');
      const short = await http()
        .patch('/api/v1/me')
        .set(as)
        .send({ password: 'corta', currentPassword: user.password })
        .expect(400);
      expect(said(short.body)).toMatch(/^password must be at least 8/);

      await http()
        .patch('/api/v1/me')
        .set(as)
        .send({ password: 'nuova-password-1', currentPassword: user.password })
        .expect(200);
      await http().get('/api/v1/me').set(as).expect(200);
      await http()
        .get('/api/v1/me')
        .set({ Authorization: `Bearer ${other}` })
        .expect(401);
      await browser.get('/contracts').expect(303);
      await tokenFor(app, { username: user.username, password: 'nuova-password-1' });
    });

    it('refuses null, unknown languages and unknown fields, naming them', async () => {
      const user = await createUser(app, { role: 'coordinator' });
      const as = { Authorization: `Bearer ${await tokenFor(app, user)}` };
      for (const [body, field] of [
        [{ uiLanguage: 'de' }, 'uiLanguage'],
        [{ uiLanguage: null }, 'uiLanguage'],
        [{ role: 'admin' }, 'role'],
      ] as const) {
        const res = await http().patch('/api/v1/me').set(as).send(body).expect(400);
        expect(said(res.body)).toContain(field);
      }
    });
  });

  it('the profile page changes the language and the password, the session staying signed in', async () => {
    const user = await createUser(app, { role: 'operator', displayName: 'Giulia' });
    const agent = await signedInAgent(app, user);
    const page = await agent.get('/profile').expect(200);
    expect(page.text).toContain('Il mio profilo');
    await agent
      .post('/profile')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), uiLanguage: 'en' })
      .expect(303)
      .expect('Location', '/profile');
    const english = await agent.get('/profile').expect(200);
    expect(english.text).toContain('My profile');
    await agent
      .post('/profile')
      .type('form')
      .send({
        _csrf: csrfFrom(english.text),
        currentPassword: 'wrong-one',
        password: 'nuova-password-1',
      })
      .expect(303);
    const refused = await agent.get('/profile').expect(200);
    expect(refused.text).toContain('The current password is not right.');
    await agent
      .post('/profile')
      .type('form')
      .send({
        _csrf: csrfFrom(refused.text),
        currentPassword: user.password,
        password: 'nuova-password-1',
      })
      .expect(303);
    await agent.get('/work').expect(200);
    expect(await app.get(DataSource).getRepository(WebSession).countBy({ userId: user.id })).toBe(
      1,
    );
  });
});
