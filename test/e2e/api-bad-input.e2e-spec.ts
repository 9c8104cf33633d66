import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { appRoutes, dtoFields, nullableFields, type RouteInfo } from '../support/routes';
import { buildScopeWorld, type Desk, fillPath, type ScopeWorld } from '../support/scope-world';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/**
 * Malformed input over every JSON write route and every list query of the API, generated
 * from the controllers' metadata: a route added tomorrow is covered without editing this.
 * Each answer must be below 500, and a 400 must name the offending field.
 */

/** Values no field expects, one kind of wrongness each. */
const BAD_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 12345],
  ['text', 'text'],
  ['a boolean', true],
  ['an array', [1, 'a', null]],
  ['an object', { $gt: '' }],
  ['negative', -1],
  ['huge number', 1e308],
  ['a fraction', 0.5],
  ['NaN text', 'NaN'],
  ['an impossible date', '2026-02-30T25:61'],
  ['100 KB of text', 'x'.repeat(100_000)],
];

/** Whole bodies of the wrong shape. */
const BAD_BODIES: Array<[string, string]> = [
  ['an array', '[]'],
  ['a string', '"text"'],
  ['a number', '42'],
  ['an unknown field', '{"zzUnknownField":1}'],
  ['nested 10,000 deep', `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
  ['truncated JSON', '{"a":'],
];

const BAD_QUERY_VALUES = [
  'abc',
  '-1',
  '9e99',
  'NaN',
  '0',
  '2026-02-30T25:61',
  '',
  'x'.repeat(3000),
];

/** Routes whose success would end the caller's sign-in for the rest of the sweep. */
const SKIPPED = new Set(['POST /api/v1/auth/logout']);

/**
 * `field`, `field.sub`, `items.0.x`, or `body` / `query`: what a message must start with;
 * class-validator's "property x should not exist" names an unknown field.
 */
const FIELD_PREFIX = /^(?:property )?([A-Za-z_$][\w$]*(?:\.[\w$]+)*)(?::| )/;

function messagesOf(body: unknown): string[] {
  const message = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.map(String);
  return typeof message === 'string' ? [message] : [];
}

describe('Bad input on every API route: never a 5xx, a 400 names the field', () => {
  let app: NestExpressApplication;
  let world: ScopeWorld;
  let routes: RouteInfo[];
  const failures: string[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    await resetDatabase(app);
    world = await buildScopeWorld(app);
    routes = appRoutes(app).filter((r) => r.api && !r.sse && !SKIPPED.has(`${r.method} ${r.path}`));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  /** Who may call the route: the admin where allowed, else the first role it names. */
  function caller(route: RouteInfo): Desk | null {
    if (route.public) return null;
    const roles = route.roles;
    if (!roles || roles.includes('admin')) return world.users.admin;
    const role = roles[0]!;
    if (role === 'operator') return world.users.a;
    if (role === 'integration') return world.users.integration;
    return world.users[role as 'coordinator' | 'backoffice'];
  }

  function send(route: RouteInfo, body: string | undefined, query?: Record<string, unknown>) {
    const http = request(app.getHttpServer());
    const path = fillPath(route.path, world);
    const verb = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = http[verb](path);
    const desk = caller(route);
    if (desk) req = req.set('Authorization', `Bearer ${desk.token}`);
    if (query) req = req.query(query);
    if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
    return req;
  }

  function check(
    label: string,
    res: { status: number; body: unknown },
    allowedFields: string[],
    mustName?: string,
  ): void {
    if (res.status >= 500) {
      failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      return;
    }
    if (res.status !== 400) return;
    const messages = messagesOf(res.body);
    if (messages.length === 0) {
      failures.push(`${label}: 400 without a message`);
      return;
    }
    const named = messages.map((m) => FIELD_PREFIX.exec(m)?.[1] ?? null);
    const roots = named.map((n) => n?.split('.')[0] ?? null);
    // The fields the request named: the DTO's, and the unknown ones the corpus sends.
    const known = new Set([...allowedFields, 'body', 'query', 'id', 'zzUnknownField', '$gt']);
    if (roots.some((r) => r === null || !known.has(r))) {
      failures.push(`${label}: 400 names no field of the request: ${messages.join(' | ')}`);
      return;
    }
    if (mustName !== undefined && !roots.includes(mustName)) {
      failures.push(`${label}: 400 does not name ${mustName}: ${messages.join(' | ')}`);
    }
  }

  it('JSON write routes: bad values for each field, and bodies of the wrong shape', async () => {
    failures.length = 0;
    const writes = routes.filter((r) => r.method !== 'GET' && r.method !== 'DELETE' && r.takesBody);
    expect(writes.length).toBeGreaterThan(40);
    for (const route of writes) {
      const label = `${route.method} ${route.path}`;
      const fields = route.bodyType ? dtoFields(route.bodyType) : [];
      const nullable = route.bodyType ? nullableFields(route.bodyType) : new Set<string>();
      const allowed = [...fields, ...route.queryParams];
      for (const [name, body] of BAD_BODIES) {
        const res = await send(route, body);
        check(`${label} with ${name}`, res, allowed);
        if (name === 'nested 10,000 deep') {
          if (res.status !== 400) failures.push(`${label} with ${name}: ${res.status}, not 400`);
        }
      }
      for (const field of fields) {
        for (const [name, value] of BAD_VALUES) {
          const res = await send(route, JSON.stringify({ [field]: value }));
          // A null where null means nothing, or an object for a plain value, is always wrong.
          const mustName = name === 'null' && !nullable.has(field) ? field : undefined;
          check(`${label} ${field} = ${name}`, res, allowed, mustName);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('list queries: bad values for each declared parameter', async () => {
    failures.length = 0;
    const lists = routes.filter((r) => r.method === 'GET' && r.queryParams.length > 0);
    expect(lists.length).toBeGreaterThan(10);
    for (const route of lists) {
      const label = `GET ${route.path}`;
      for (const param of route.queryParams) {
        for (const value of BAD_QUERY_VALUES) {
          check(
            `${label}?${param}=${value.slice(0, 20)}`,
            await send(route, undefined, { [param]: value }),
            route.queryParams,
          );
        }
        // Repeated and nested parameters: an array or an object where text was expected.
        check(
          `${label}?${param}[]`,
          await send(route, undefined, { [param]: ['1', '2'] }),
          route.queryParams,
        );
        check(
          `${label}?${param}[a]`,
          await send(route, undefined, { [param]: { a: '1' } }),
          route.queryParams,
        );
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
