import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiToken } from '../../src/auth/api-token.entity';
import { hashToken } from '../../src/auth/auth.service';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('API sign-in, /me and bearer tokens', () => {
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

  it('returns a token and the user, and /me answers with that user', async () => {
    const user = await createUser(app, { role: 'backoffice', displayName: 'Bea Back' });
    const login = await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    expect(login.body).toEqual({
      token: expect.stringMatching(/^esk_[\w-]{43}$/),
      expiresAt: expect.any(String),
      user: { id: user.id, username: user.username, role: 'backoffice' },
    });

    const me = await http()
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${login.body.token}`)
      .expect(200);
    expect(me.body).toMatchObject({
      id: user.id,
      username: user.username,
      displayName: 'Bea Back',
      role: 'backoffice',
    });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('accepts the username in any case and with spaces around it', async () => {
    const user = await createUser(app, { username: 'giulia.verdi' });
    await http()
      .post('/api/v1/auth/login')
      .send({ username: '  Giulia.Verdi ', password: user.password })
      .expect(200);
  });

  it('stores only the hash of a token', async () => {
    const user = await createUser(app);
    const token = await tokenFor(app, user);
    const rows = await app.get(DataSource).getRepository(ApiToken).find();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('answers 401 for a wrong password, an unknown user and a disabled user, with the same message', async () => {
    const user = await createUser(app);
    const wrong = await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'not-the-password' })
      .expect(401);
    const unknown = await http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody', password: 'whatever-pass' })
      .expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, message: expect.stringContaining('password') });
    expect(unknown.body).toEqual(wrong.body);

    await app.get(DataSource).query('UPDATE users SET active = 0 WHERE id = ?', [user.id]);
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(401);
  });

  it('answers 401 without a token, with a malformed or unknown one, and after logout revokes it', async () => {
    const user = await createUser(app);
    await http().get('/api/v1/me').expect(401);
    await http().get('/api/v1/me').set('Authorization', 'Bearer').expect(401);
    await http().get('/api/v1/me').set('Authorization', 'Basic YWRtaW46YWRtaW4=').expect(401);
    await http()
      .get('/api/v1/me')
      .set('Authorization', `Bearer esk_${'x'.repeat(43)}`)
      .expect(401);

    const token = await tokenFor(app, user);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    await http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    const after = await http()
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect(after.body).toEqual({ statusCode: 401, message: expect.any(String) });
  });

  it('refuses an expired token and the token of a user disabled since', async () => {
    const user = await createUser(app);
    const expiring = await tokenFor(app, user);
    const kept = await tokenFor(app, user);
    const tokens = app.get(DataSource).getRepository(ApiToken);
    await tokens.update(
      { tokenHash: hashToken(expiring) },
      { expiresAt: new Date(Date.now() - 1000) },
    );
    await http().get('/api/v1/me').set('Authorization', `Bearer ${expiring}`).expect(401);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${kept}`).expect(200);

    await app.get(DataSource).query('UPDATE users SET active = 0 WHERE id = ?', [user.id]);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${kept}`).expect(401);
  });

  it('throttles failed sign-ins per username, even with the right password afterwards', async () => {
    const victim = await createUser(app);
    for (let i = 0; i < 5; i++) {
      await http()
        .post('/api/v1/auth/login')
        .send({ username: victim.username, password: `guess-${i}-x` })
        .expect(401);
    }
    const blocked = await http()
      .post('/api/v1/auth/login')
      .send({ username: victim.username, password: victim.password })
      .expect(429);
    expect(blocked.body.message).toMatch(/^username: too many failed sign-ins/);
    expect(blocked.headers['retry-after']).toBe('900');
  });

  it('does not throttle the other operators of a call centre behind the same address', async () => {
    const clumsy = await createUser(app);
    const colleagues = await Promise.all([createUser(app), createUser(app), createUser(app)]);
    for (let i = 0; i < 6; i++) {
      await http()
        .post('/api/v1/auth/login')
        .send({ username: clumsy.username, password: `typo-${i}-x` });
    }
    for (const colleague of colleagues) {
      await http()
        .post('/api/v1/auth/login')
        .send({ username: colleague.username, password: colleague.password })
        .expect(200);
    }
  });

  it('resets the failure count after a successful sign-in', async () => {
    const user = await createUser(app);
    for (let i = 0; i < 4; i++) {
      await http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: `typo-${i}-x` })
        .expect(401);
    }
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    for (let i = 0; i < 4; i++) {
      await http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: `typo-${i}-y` })
        .expect(401);
    }
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
  });

  it('names the field on bad login input and never answers 500', async () => {
    const missing = await http()
      .post('/api/v1/auth/login')
      .send({ username: 'someone' })
      .expect(400);
    expect(missing.body).toEqual({ statusCode: 400, message: ['password is required'] });

    const malformed = await http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "a",')
      .expect(400);
    expect(malformed.body.message).toEqual([expect.stringMatching(/^body: malformed JSON/)]);

    const wrongType = await http()
      .post('/api/v1/auth/login')
      .send({ username: 42, password: ['x'] })
      .expect(400);
    expect(wrongType.body.message).toEqual(
      expect.arrayContaining([
        expect.stringContaining('username'),
        expect.stringContaining('password'),
      ]),
    );

    const injection = await http()
      .post('/api/v1/auth/login')
      .send({ username: "admin' OR '1'='1", password: "' OR 1=1 --" })
      .expect(401);
    expect(injection.body.statusCode).toBe(401);

    const huge = await http()
      .post('/api/v1/auth/login')
      .send({ username: 'u'.repeat(100_000), password: 'p' })
      .expect(400);
    expect(huge.body.message).toEqual([expect.stringContaining('username')]);
  });
});
