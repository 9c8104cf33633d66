import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebSession } from '../../src/auth/web-session.entity';
import { User } from '../../src/users/user.entity';
import { createUser, TestUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Managing users: edit, disable, reset password', () => {
  let app: NestExpressApplication;
  let admin: TestUser;
  let adminToken: string;
  const http = () => request(app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${adminToken}` });

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await createUser(app, { role: 'admin' });
    adminToken = await tokenFor(app, admin);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('changes role, display name and languages; null languages means none', async () => {
    const user = await createUser(app, { role: 'operator', languages: ['it'] });
    const changed = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(auth())
      .send({
        role: 'coordinator',
        displayName: 'Nuovo Nome',
        languages: ['it', 'en'],
        uiLanguage: 'en',
      })
      .expect(200);
    expect(changed.body).toMatchObject({
      role: 'coordinator',
      displayName: 'Nuovo Nome',
      languages: ['it', 'en'],
      uiLanguage: 'en',
    });
    const cleared = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(auth())
      .send({ languages: null, uiLanguage: null, role: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ role: 'coordinator', languages: [], uiLanguage: null });
  });

  it('refuses bad changes naming the field, and the username cannot change', async () => {
    const user = await createUser(app);
    const bad = await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(auth())
      .send({ role: 'root', username: 'other' })
      .expect(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([
        'property username should not exist',
        expect.stringMatching(/^role must be one of/),
      ]),
    );
    await http().patch('/api/v1/users/999999').set(auth()).send({ displayName: 'x' }).expect(404);
    await http()
      .patch(`/api/v1/users/${user.id}`)
      .set(auth())
      .send({ displayName: '' })
      .expect(400);
  });

  it('disabling signs the user out everywhere at once', async () => {
    const user = await createUser(app);
    const token = await tokenFor(app, user);
    const browser = await signedInAgent(app, user);
    await browser.get('/').expect(200);

    const disabled = await http().post(`/api/v1/users/${user.id}/disable`).set(auth()).expect(200);
    expect(disabled.body.active).toBe(false);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    await browser.get('/').expect(303);
    expect(await app.get(DataSource).getRepository(WebSession).countBy({ userId: user.id })).toBe(
      0,
    );
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(401);

    await http().post(`/api/v1/users/${user.id}/enable`).set(auth()).expect(200);
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
  });

  it('an admin cannot disable or demote themselves, nor leave the centre without an admin', async () => {
    const self = await http().post(`/api/v1/users/${admin.id}/disable`).set(auth()).expect(400);
    expect(self.body.message).toBe('active: you cannot disable yourself');
    const demote = await http()
      .patch(`/api/v1/users/${admin.id}`)
      .set(auth())
      .send({ role: 'operator' })
      .expect(400);
    expect(demote.body.message).toBe('role: you cannot remove your own admin role');

    const other = await createUser(app, { role: 'admin' });
    await http().post(`/api/v1/users/${other.id}/disable`).set(auth()).expect(200);
    // `admin` is now the last active admin: another admin's token could not remove them.
    await http().post(`/api/v1/users/${other.id}/enable`).set(auth()).expect(200);
    const otherToken = await tokenFor(app, other);
    await http()
      .post(`/api/v1/users/${admin.id}/disable`)
      .set('Authorization', `Bearer ${otherToken}`)
      .expect(200);
    const last = await http()
      .patch(`/api/v1/users/${other.id}`)
      .set('Authorization', `Bearer ${otherToken}`)
      .send({ role: 'operator' })
      .expect(400);
    expect(last.body.message).toBe('role: you cannot remove your own admin role');
  });

  it('two admins disabling each other at the same moment leave one admin active (5 rounds)', async () => {
    const users = app.get(DataSource).getRepository(User);
    for (let round = 0; round < 5; round++) {
      // Only a and b are active admins: each tries to disable the other.
      await users.update({ role: 'admin' }, { active: false });
      const a = await createUser(app, { role: 'admin' });
      const b = await createUser(app, { role: 'admin' });
      const [tokenA, tokenB] = [await tokenFor(app, a), await tokenFor(app, b)];
      const results = await Promise.all([
        http().post(`/api/v1/users/${b.id}/disable`).set('Authorization', `Bearer ${tokenA}`),
        http().post(`/api/v1/users/${a.id}/disable`).set('Authorization', `Bearer ${tokenB}`),
      ]);
      const statuses = results.map((r) => r.status).sort();
      // One wins; the other is refused: as the last admin (409), or because its own
      // account was disabled a moment before (401). Never a deadlock turned 500.
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      expect(await users.countBy({ role: 'admin', active: true })).toBe(1);
    }
  });

  it('resetting a password ends the sessions and tokens made with the old one', async () => {
    const user = await createUser(app);
    const token = await tokenFor(app, user);
    await http()
      .post(`/api/v1/users/${user.id}/password`)
      .set(auth())
      .send({ password: 'short' })
      .expect(400);
    await http()
      .post(`/api/v1/users/${user.id}/password`)
      .set(auth())
      .send({ password: 'brand-new-pass' })
      .expect(204);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(401);
    await http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'brand-new-pass' })
      .expect(200);
  });

  it('only admins manage users', async () => {
    const coordinator = await createUser(app, { role: 'coordinator' });
    const token = await tokenFor(app, coordinator);
    await http()
      .patch(`/api/v1/users/${admin.id}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ displayName: 'x' })
      .expect(403);
    await http()
      .post(`/api/v1/users/${admin.id}/disable`)
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    await http()
      .post(`/api/v1/users/${admin.id}/password`)
      .set('Authorization', `Bearer ${token}`)
      .send({ password: 'whatever-123' })
      .expect(403);
  });

  it('the edit page saves, disables and resets from forms', async () => {
    const user = await createUser(app, {
      role: 'operator',
      displayName: 'Olga',
      languages: ['it'],
    });
    const browser = await signedInAgent(app, admin);
    const page = await browser.get(`/users/${user.id}/edit`).expect(200);
    expect(page.text).toContain('value="Olga"');
    expect(page.text).toMatch(/value="it" checked/);
    const csrf = csrfFrom(page.text);

    await browser
      .post(`/users/${user.id}`)
      .type('form')
      .send({ _csrf: csrf, displayName: 'Olga B', role: 'operator', languages: ['it', 'en'] })
      .expect(303)
      .expect('Location', '/users');
    expect(
      await app.get(DataSource).getRepository(User).findOneByOrFail({ id: user.id }),
    ).toMatchObject({ displayName: 'Olga B', languages: ['it', 'en'] });

    await browser
      .post(`/users/${user.id}`)
      .set('Host', 'crm.example')
      .set('Referer', `http://crm.example/users/${user.id}/edit`)
      .type('form')
      .send({ _csrf: csrf, displayName: 'D'.repeat(500), role: 'operator' })
      .expect(303)
      .expect('Location', `/users/${user.id}/edit`);
    const again = await browser.get(`/users/${user.id}/edit`).expect(200);
    expect(again.text).toMatch(/id="displayName-error">Troppo lungo\./);

    await browser.post(`/users/${user.id}/disable`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await browser.get(`/users/${user.id}/edit`).expect(200)).text).toContain('disattivato');
    await browser
      .post(`/users/${user.id}/password`)
      .type('form')
      .send({ _csrf: csrf, password: 'another-pass-1' })
      .expect(303);
    expect((await browser.get(`/users/${user.id}/edit`).expect(200)).text).toContain(
      'Password reimpostata',
    );
  });
});
