import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebSession } from '../../src/auth/web-session.entity';
import { sessionKey } from '../../src/auth/web-session.store';
import { User } from '../../src/users/user.entity';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Pages: sign-in, navigation by role, CSRF, flash, errors', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(() => resetDatabase(app));
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('sends an anonymous visitor to the login page, remembering where they were going', async () => {
    await http().get('/users').expect(303).expect('Location', '/login?next=%2Fusers');
    const login = await http().get('/login?next=%2Fusers').expect(200);
    expect(login.text).toContain('Accedi a Esito CRM');
    expect(login.text).toContain('name="next" value="/users"');
  });

  it('signs in with the form: a new session id, stored hashed in the database, httpOnly and SameSite', async () => {
    const user = await createUser(app, { role: 'admin', displayName: 'Anna Admin' });
    const agent = request.agent(app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    const before = /esito\.sid=s%3A([^.]+)\./.exec(String(page.headers['set-cookie']))?.[1];
    const response = await agent
      .post('/login')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        username: user.username,
        password: user.password,
        next: '/users',
      })
      .expect(303)
      .expect('Location', '/users');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const sid = decodeURIComponent(/esito\.sid=s%3A([^.]+)\./.exec(cookie)?.[1] ?? '');
    expect(sid).not.toBe(before);

    const rows = await app.get(DataSource).getRepository(WebSession).find();
    expect(rows.find((r) => r.userId === user.id)?.id).toBe(sessionKey(sid));
    expect(rows.some((r) => r.id === sid)).toBe(false);

    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Anna Admin');
    expect(home.text).toContain('href="/users"');
  });

  it('never redirects off the site after sign-in', async () => {
    const user = await createUser(app);
    const agent = request.agent(app.getHttpServer());
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const page = await agent.get('/login').expect(200);
      await agent
        .post('/login')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          username: user.username,
          password: user.password,
          next,
        })
        .expect(303)
        // Not off the site: where an operator works.
        .expect('Location', '/work');
    }
  });

  it('refuses a form without the CSRF token and signs nobody in', async () => {
    const user = await createUser(app);
    const agent = request.agent(app.getHttpServer());
    await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password })
      .expect(303)
      .expect('Location', '/login');
    await agent.get('/').expect(303);
    const again = await agent.get('/login').expect(200);
    expect(again.text).toContain('La pagina era scaduta');
  });

  it('shows a wrong password on the login page again, keeping the username but not the password', async () => {
    const user = await createUser(app);
    const agent = request.agent(app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: user.username, password: 'wrong-password' })
      .expect(303);
    const again = await agent.get('/login').expect(200);
    expect(again.text).toContain('flash-error');
    expect(again.text).toContain('Nome utente o password errati');
    expect(again.text).toContain(`value="${user.username}"`);
    expect(again.text).not.toContain('wrong-password');
  });

  it('shows each role only its own menu and answers 403 with a page for the others', async () => {
    const operator = await createUser(app, { role: 'operator' });
    const agent = await signedInAgent(app, operator);
    const home = await agent.get('/').expect(200);
    expect(home.text).not.toContain('href="/users"');
    const forbidden = await agent.get('/users').expect(403);
    expect(forbidden.text).toContain('Accesso negato');
    expect(forbidden.headers['content-type']).toMatch(/text\/html/);
  });

  it('lets an admin create a user from the form, with a flash message', async () => {
    const admin = await createUser(app, { role: 'admin' });
    const agent = await signedInAgent(app, admin);
    const form = await agent.get('/users/new').expect(200);
    await agent
      .post('/users')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'lbianchi',
        displayName: 'Luca Bianchi',
        role: 'backoffice',
        password: 'password-1',
        languages: 'it',
        uiLanguage: '',
      })
      .expect(303)
      .expect('Location', '/users');
    const list = await agent.get('/users').expect(200);
    expect(list.text).toContain('Utente lbianchi creato.');
    expect(list.text).toContain('Luca Bianchi');
    const stored = await app
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ username: 'lbianchi' });
    expect(stored).toMatchObject({ role: 'backoffice', languages: ['it'], uiLanguage: null });
  });

  it('sends a bad form back with the errors next to the fields and what was typed (never the password)', async () => {
    const admin = await createUser(app, { role: 'admin' });
    const agent = await signedInAgent(app, admin);
    const form = await agent.get('/users/new').expect(200);
    await agent
      .post('/users')
      .set('Host', 'crm.example')
      .set('Referer', 'http://crm.example/users/new')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'ok.name',
        displayName: 'Nome <b>Cognome</b>',
        role: 'chief',
        password: 'short',
      })
      .expect(303)
      .expect('Location', '/users/new');
    const again = await agent.get('/users/new').expect(200);
    expect(again.text).toContain('Alcuni campi non sono validi');
    expect(again.text).toMatch(/id="role-error">Valore non ammesso\./);
    expect(again.text).toMatch(/id="password-error">Troppo corto\./);
    expect(again.text).toContain('value="ok.name"');
    expect(again.text).toContain('Nome &lt;b&gt;Cognome&lt;/b&gt;');
    expect(again.text).not.toContain('value="short"');
    expect(await app.get(DataSource).getRepository(User).count()).toBe(1);
  });

  it('speaks English to a user who chose it, Italian by default', async () => {
    const english = await signedInAgent(app, await createUser(app, { uiLanguage: 'en' }));
    expect((await english.get('/').expect(200)).text).toContain('Sign out');
    const italian = await signedInAgent(app, await createUser(app));
    expect((await italian.get('/').expect(200)).text).toContain('Esci');
    expect((await http().get('/login?lang=en').expect(200)).text).toContain('Sign in to Esito CRM');
  });

  it('signs out: the session is gone from the database', async () => {
    const user = await createUser(app);
    const agent = await signedInAgent(app, user);
    const home = await agent.get('/').expect(200);
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) })
      .expect(303)
      .expect('Location', '/login');
    await agent.get('/').expect(303);
    expect(await app.get(DataSource).getRepository(WebSession).countBy({ userId: user.id })).toBe(
      0,
    );
  });

  it('signs out a user disabled since they signed in', async () => {
    const user = await createUser(app);
    const agent = await signedInAgent(app, user);
    await app.get(DataSource).getRepository(User).update({ id: user.id }, { active: false });
    await agent.get('/').expect(303).expect('Location', '/login?next=%2F');
  });

  it('lets the browser call the API with its session, but only with the CSRF header for writes', async () => {
    const admin = await createUser(app, { role: 'admin' });
    const agent = await signedInAgent(app, admin);
    await agent.get('/api/v1/me').expect(200);
    const body = {
      username: 'viaweb',
      password: 'password-9',
      displayName: 'Via Web',
      role: 'operator',
    };
    await agent.post('/api/v1/users').send(body).expect(403);
    const home = await agent.get('/').expect(200);
    await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', csrfFrom(home.text))
      .send(body)
      .expect(201);
  });

  it('renders 404 as a page for browsers and as JSON for the API', async () => {
    const page = await http().get('/no-such-page').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('Pagina non trovata');
    const api = await http().get('/api/v1/no-such-thing').expect(404);
    expect(api.body).toEqual({ statusCode: 404, message: 'Cannot GET /api/v1/no-such-thing' });
  });

  it('serves health, API docs and static assets without signing in', async () => {
    const health = await http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    const docs = await http().get('/api/docs.json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/users']),
    );
    await http().get('/api/docs').expect(200);
    await http().get('/assets/css/app.css').expect(200).expect('Content-Type', /css/);
  });

  it('answers a database failure with a 500 that shows no detail, only the request id', async () => {
    const admin = await createUser(app, { role: 'admin' });
    const agent = await signedInAgent(app, admin);
    const dataSource = app.get(DataSource);
    await dataSource.query('ALTER TABLE users RENAME TO users_away');
    try {
      const page = await agent.get('/').set('X-Request-Id', 'req-500-page').expect(500);
      expect(page.text).toContain('Errore interno');
      expect(page.text).toContain('req-500-page');
      expect(page.text).not.toMatch(/users|SQL|at \w+ \(/i);
      const api = await agent.get('/api/v1/me').expect(500);
      expect(api.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    } finally {
      await dataSource.query('ALTER TABLE users_away RENAME TO users');
    }
  });

  it('tags every response with a request id, echoing a sane one from the load balancer', async () => {
    const echoed = await http().get('/health').set('X-Request-Id', 'lb-123.abc').expect(200);
    expect(echoed.headers['x-request-id']).toBe('lb-123.abc');
    const replaced = await http()
      .get('/health')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
