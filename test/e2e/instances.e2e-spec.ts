import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SignInHousekeeping } from '../../src/auth/sign-in-housekeeping';
import { LoginFailure } from '../../src/auth/login-failure.entity';
import { WebSession } from '../../src/auth/web-session.entity';
import { AppConfigService } from '../../src/config/app-config.service';
import { FirstAdminService } from '../../src/users/first-admin.service';
import { UsersService } from '../../src/users/users.service';
import { User } from '../../src/users/user.entity';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Several app instances on one database; first admin; housekeeping', () => {
  let first: NestExpressApplication;
  let second: NestExpressApplication;

  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp();
  });
  beforeEach(() => resetDatabase(first));
  afterAll(async () => {
    await first.close();
    await second.close();
    removeSqliteData();
  });

  it('a browser signed in on one instance is signed in on the other, and signing out ends it on both', async () => {
    const user = await createUser(first, { displayName: 'Sara Sessione' });
    const onFirst = await signedInAgent(first, user);
    const cookie = (await onFirst.get('/').expect(200)).request.cookies;
    const onSecond = await request(second.getHttpServer())
      .get('/')
      .set('Cookie', cookie)
      .expect(200);
    expect(onSecond.text).toContain('Sara Sessione');

    await request(second.getHttpServer())
      .post('/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(onSecond.text) })
      .expect(303);
    await request(first.getHttpServer()).get('/').set('Cookie', cookie).expect(303);
  });

  it('a token issued by one instance works on the other, and a revocation on one holds on both', async () => {
    const token = await tokenFor(first, await createUser(first));
    await request(second.getHttpServer())
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await request(second.getHttpServer())
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    await request(first.getHttpServer())
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
  });

  it('counts failed sign-ins across instances', async () => {
    const user = await createUser(first);
    for (let i = 0; i < 5; i++) {
      const app = i % 2 === 0 ? first : second;
      await request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: `nope-${i}-x` })
        .expect(401);
    }
    await request(first.getHttpServer())
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(429);
  });

  it('creates the first admin once, even when both instances try at the same moment', async () => {
    const results = await Promise.all([
      first.get(FirstAdminService).ensureFirstAdmin(),
      second.get(FirstAdminService).ensureFirstAdmin(),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const admins = await first.get(DataSource).getRepository(User).findBy({ role: 'admin' });
    expect(admins.map((a) => a.username)).toEqual(['admin']);
    // ADMIN_PASSWORD is set in the test environment, so it is the one that works.
    await tokenFor(second, { username: 'admin', password: 'admin-password-for-tests' });
    expect(await first.get(FirstAdminService).ensureFirstAdmin()).toBeNull();
  });

  it('without ADMIN_PASSWORD generates one, prints it once, and it signs in', async () => {
    const settings: Record<string, unknown> = { ADMIN_USERNAME: 'Chief', DEMO: false };
    const config = { get: (key: string) => settings[key] } as unknown as AppConfigService;
    const service = new FirstAdminService(first.get(UsersService), config);
    const printed = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const created = await service.ensureFirstAdmin();
      expect(created?.username).toBe('chief');
      expect(created?.generatedPassword).toMatch(/^[\w-]{16}$/);
      expect(printed).toHaveBeenCalledTimes(1);
      expect(String(printed.mock.calls[0]?.[0])).toContain(created?.generatedPassword);
      expect(await service.ensureFirstAdmin()).toBeNull();
      expect(printed).toHaveBeenCalledTimes(1);
      await tokenFor(first, { username: 'chief', password: created?.generatedPassword ?? '' });
    } finally {
      printed.mockRestore();
    }
  });

  it('purges expired sessions and old failures, leaving live ones', async () => {
    const dataSource = first.get(DataSource);
    const now = new Date();
    await dataSource.getRepository(WebSession).insert([
      { id: 'a'.repeat(64), userId: null, data: '{}', expiresAt: new Date(now.getTime() - 60_000) },
      { id: 'b'.repeat(64), userId: null, data: '{}', expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    await dataSource.getRepository(LoginFailure).insert([
      { username: 'old', address: '10.0.0.1', attemptedAt: new Date(now.getTime() - 60 * 60_000) },
      { username: 'recent', address: '10.0.0.1', attemptedAt: new Date(now.getTime() - 60_000) },
    ]);
    const [a, b] = await Promise.all([
      first.get(SignInHousekeeping).purge(now),
      second.get(SignInHousekeeping).purge(now),
    ]);
    expect(a.sessions + b.sessions).toBe(1);
    expect(a.failures + b.failures).toBe(1);
    expect((await dataSource.getRepository(WebSession).find()).map((s) => s.id)).toEqual([
      'b'.repeat(64),
    ]);
    expect((await dataSource.getRepository(LoginFailure).find()).map((f) => f.username)).toEqual([
      'recent',
    ]);
  });
});
