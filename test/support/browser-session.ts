import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';

/** The CSRF token a page carries in its forms. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A cookie-keeping client that signs in through the login form, like a browser. */
export async function signedInAgent(
  app: INestApplication,
  user: { username: string; password: string },
): Promise<TestAgent> {
  const agent = request.agent(app.getHttpServer());
  const page = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      username: user.username,
      password: user.password,
      next: '/',
    })
    .expect(303)
    .expect('Location', '/');
  return agent;
}
