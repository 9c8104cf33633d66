import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Users API (admin)', () => {
  let app: NestExpressApplication;
  let adminToken: string;
  const http = () => request(app.getHttpServer());
  const valid = {
    username: 'mrossi',
    password: 'secret-123',
    displayName: 'Maria Rossi',
    role: 'operator',
    languages: ['it', 'en'],
    team: ' Nord ',
  };

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    adminToken = await tokenFor(app, await createUser(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('creates a user (201) that can then sign in, and lists it', async () => {
    const created = await http()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send(valid)
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      username: 'mrossi',
      displayName: 'Maria Rossi',
      role: 'operator',
      languages: ['it', 'en'],
      team: 'Nord',
      extension: null,
      uiLanguage: null,
      active: true,
      lastLoginAt: null,
      createdAt: expect.any(String),
    });
    const stored = await app
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: created.body.id });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);

    await http()
      .post('/api/v1/auth/login')
      .send({ username: 'mrossi', password: 'secret-123' })
      .expect(200);
    const list = await http()
      .get('/api/v1/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(list.body.map((u: { username: string }) => u.username)).toContain('mrossi');
    const one = await http()
      .get(`/api/v1/users/${created.body.id}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(one.body.username).toBe('mrossi');
  });

  it('answers 409 for a username already taken, whatever its case', async () => {
    await http()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send(valid)
      .expect(201);
    const again = await http()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ ...valid, username: 'MRossi' })
      .expect(409);
    expect(again.body).toEqual({ statusCode: 409, message: 'username "mrossi" is already taken' });
  });

  it('of ten admins creating the same username at once, exactly one succeeds', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () =>
        http().post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).send(valid),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(await app.get(DataSource).getRepository(User).countBy({ username: 'mrossi' })).toBe(1);
  });

  it.each(['operator', 'coordinator', 'backoffice'] as const)(
    'refuses a %s with 403 and no token with 401',
    async (role) => {
      const token = await tokenFor(app, await createUser(app, { role }));
      const forbidden = await http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${token}`)
        .send(valid)
        .expect(403);
      expect(forbidden.body).toEqual({
        statusCode: 403,
        message: expect.stringContaining(`role "${role}"`),
      });
      await http().get('/api/v1/users').set('Authorization', `Bearer ${token}`).expect(403);
      await http().get('/api/v1/users').expect(401);
      await http().post('/api/v1/users').send(valid).expect(401);
    },
  );

  describe('bad input gets a 4xx naming the field, never a 500, and stores nothing', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['missing username', { ...valid, username: undefined }, /^username is required$/],
      ['short password', { ...valid, password: 'short' }, /^password must be longer/],
      ['unknown role', { ...valid, role: 'supervisor' }, /^role must be one of/],
      ['role as a number', { ...valid, role: 1 }, /^role must be one of/],
      ['unknown field', { ...valid, isAdmin: true }, /^property isAdmin should not exist$/],
      [
        'SQL in the username',
        { ...valid, username: "x'; DROP TABLE users; --" },
        /^username must be 2-64 characters/,
      ],
      [
        'huge display name',
        { ...valid, displayName: 'D'.repeat(50_000) },
        /^displayName must be shorter/,
      ],
      ['languages not a list', { ...valid, languages: 'it' }, /^languages must be an array$/],
      [
        'a language code too long',
        { ...valid, languages: ['ita'] },
        /^languages must be two-letter codes/,
      ],
      ['team too long', { ...valid, team: 'T'.repeat(61) }, /^team must be at most 60 characters$/],
      ['team not text', { ...valid, team: 7 }, /^team must be a string$/],
      [
        'ui language unknown',
        { ...valid, uiLanguage: 'de' },
        /^uiLanguage must be one of: it, en$/,
      ],
    ];

    it.each(cases)('%s', async (_name, body, message) => {
      const response = await http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send(body as object)
        .expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.message).toEqual(
        expect.arrayContaining([expect.stringMatching(message)]),
      );
      expect(await app.get(DataSource).getRepository(User).count()).toBe(1);
    });

    it('a body that is not an object, malformed JSON or too large', async () => {
      const auth = { Authorization: `Bearer ${adminToken}` };
      const array = await http().post('/api/v1/users').set(auth).send([valid]).expect(400);
      expect(array.body.message).toEqual(['body must be a JSON object']);
      const malformed = await http()
        .post('/api/v1/users')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"username":')
        .expect(400);
      expect(malformed.body.message[0]).toMatch(/^body: malformed JSON/);
      const tooLarge = await http()
        .post('/api/v1/users')
        .set(auth)
        .send({ ...valid, displayName: 'x'.repeat(2_000_000) })
        .expect(413);
      expect(tooLarge.body).toEqual({
        statusCode: 413,
        message: 'body: request body is too large',
      });
    });

    it('stores a display name that looks like SQL or HTML verbatim', async () => {
      const displayName = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
      const created = await http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ ...valid, displayName })
        .expect(201);
      const read = await http()
        .get(`/api/v1/users/${created.body.id}`)
        .set('Authorization', `Bearer ${adminToken}`)
        .expect(200);
      expect(read.body.displayName).toBe(displayName);
    });

    it('a bad or unknown id in the path', async () => {
      const auth = { Authorization: `Bearer ${adminToken}` };
      expect((await http().get('/api/v1/users/abc').set(auth).expect(400)).body.message).toBe(
        'id must be a positive integer',
      );
      await http().get('/api/v1/users/1%20OR%201=1').set(auth).expect(400);
      await http().get('/api/v1/users/99999999999').set(auth).expect(400);
      expect((await http().get('/api/v1/users/999999').set(auth).expect(404)).body).toEqual({
        statusCode: 404,
        message: 'user 999999 not found',
      });
    });
  });
});
