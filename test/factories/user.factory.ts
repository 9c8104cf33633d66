import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { UserView } from '../../src/users/dto/user.view';
import type { Role } from '../../src/common/access/role';
import { UsersService } from '../../src/users/users.service';

let sequence = 0;

export interface TestUser extends UserView {
  password: string;
}

/** A user made through the real service; username unique within the run. */
export async function createUser(
  app: INestApplication,
  overrides: Partial<{
    username: string;
    password: string;
    displayName: string;
    role: Role;
    languages: string[];
    uiLanguage: 'it' | 'en';
  }> = {},
): Promise<TestUser> {
  sequence += 1;
  const password = overrides.password ?? `password-${sequence}`;
  const user = await app.get(UsersService).create({
    username: overrides.username ?? `user${sequence}_${Date.now() % 100000}`,
    password,
    displayName: overrides.displayName ?? `Test User ${sequence}`,
    role: overrides.role ?? 'operator',
    languages: overrides.languages,
    uiLanguage: overrides.uiLanguage,
  });
  return { ...user, password };
}

/** Signs in through the API and returns the bearer token. */
export async function tokenFor(
  app: INestApplication,
  user: { username: string; password: string },
): Promise<string> {
  const response = await request(app.getHttpServer())
    .post('/api/v1/auth/login')
    .send({ username: user.username, password: user.password })
    .expect(200);
  return (response.body as { token: string }).token;
}
