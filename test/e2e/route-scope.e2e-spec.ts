import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { signedInAgent } from '../support/browser-session';
import { appRoutes, type RouteInfo } from '../support/routes';
import {
  buildScopeWorld,
  type Desk,
  fillPath,
  forbiddenTexts,
  MARK,
  type ScopeWorld,
} from '../support/scope-world';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/**
 * Every readable route (API and pages, generated from the controllers' metadata), asked by
 * every role that must not see someone's private work or a foreign campaign: operator A
 * (campaign 1, beside B), operator C (campaign 2 only), backoffice and an integration, with
 * the ids of their own rows and of the rows they may not see. No answer may carry a text
 * that exists only in what that user may not see.
 */
type Viewer = 'a' | 'c' | 'backoffice' | 'integration';

describe('Scope: nothing private or foreign is readable, on any route, by any role', () => {
  let app: NestExpressApplication;
  let world: ScopeWorld;
  let routes: RouteInfo[];
  const agents = new Map<Viewer, TestAgent>();

  beforeAll(async () => {
    app = await createTestApp();
    await resetDatabase(app);
    world = await buildScopeWorld(app);
    routes = appRoutes(app).filter((r) => r.method === 'GET' && !r.sse);
    for (const viewer of ['a', 'c', 'backoffice'] as const) {
      agents.set(viewer, await signedInAgent(app, world.users[viewer]));
    }
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  function forbidden(viewer: Viewer): string[] {
    if (viewer === 'integration') {
      return [
        MARK.bCallbackNote,
        world.bProtocol,
        MARK.bSaleSurname,
        MARK.foreignSurname,
        MARK.foreignAppointmentNote,
        MARK.cCallbackNote,
      ];
    }
    return forbiddenTexts(world, viewer);
  }

  function ask(route: RouteInfo, viewer: Viewer, foreign: boolean) {
    const path = fillPath(route.path, world, foreign);
    const query: Record<string, string | number> = {};
    // Ask a list for the other campaign's rows by name, where it takes a campaign.
    if (route.queryParams.includes('campaignId')) {
      query.campaignId = foreign ? world.campaign2.id : world.campaign1.id;
    }
    if (route.queryParams.includes('contactId')) {
      query.contactId = foreign ? world.foreignContactId : world.bSaleContactId;
    }
    if (route.queryParams.includes('q')) query.q = foreign ? MARK.foreignSurname : 'Zzq';
    if (route.queryParams.includes('scope')) query.scope = 'public';
    const desk: Desk = world.users[viewer];
    const agent = agents.get(viewer);
    if (!route.api && agent) return agent.get(path).query(query);
    return request(app.getHttpServer())
      .get(path)
      .query(query)
      .set('Authorization', `Bearer ${desk.token}`);
  }

  it('every GET route, for operators of two campaigns, backoffice and an integration', async () => {
    expect(routes.length).toBeGreaterThan(60);
    const leaks: string[] = [];
    for (const route of routes) {
      for (const viewer of ['a', 'c', 'backoffice', 'integration'] as const) {
        if (!route.api && viewer === 'integration') continue;
        for (const foreign of [false, true]) {
          const res = await ask(route, viewer, foreign);
          if (res.status >= 500) {
            leaks.push(`${route.path} as ${viewer}: ${res.status}`);
            continue;
          }
          const text = res.text ?? '';
          for (const mark of forbidden(viewer)) {
            if (text.includes(mark)) {
              leaks.push(
                `${route.path} (${foreign ? 'foreign ids' : 'own ids'}) as ${viewer} shows ${mark}`,
              );
            }
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  }, 600_000);

  it('the sweep can see a leak: the markers are there for those who may see them', async () => {
    const asB = await request(app.getHttpServer())
      .get(`/api/v1/contacts/${world.bCallbackContactId}`)
      .set('Authorization', `Bearer ${world.users.b.token}`)
      .expect(200);
    expect(asB.text).toContain(MARK.bCallbackNote);
    const asC = await request(app.getHttpServer())
      .get(`/api/v1/appointments/${world.foreignAppointmentId}`)
      .set('Authorization', `Bearer ${world.users.c.token}`)
      .expect(200);
    expect(asC.text).toContain(MARK.foreignSurname);
    const contract = await request(app.getHttpServer())
      .get(`/api/v1/contracts/${world.bContractId}`)
      .set('Authorization', `Bearer ${world.users.backoffice.token}`)
      .expect(200);
    expect(contract.text).toContain(world.bProtocol);
  });
});
