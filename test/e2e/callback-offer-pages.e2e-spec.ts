import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { CallbackOfferService } from '../../src/callback-requests/callback-offer.service';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

type Fields = Array<[string, string]>;

describe('Callback offer page', () => {
  let app: NestExpressApplication;
  let admin: TestAgent;
  let campaign: Campaign;
  let noAnswer: OutcomeStatus;
  let callBack: OutcomeStatus;
  const page = () => `/campaigns/${campaign.id}/callback-offer`;
  const offer = () => app.get(CallbackOfferService).settings(campaign.id);

  /** Posts the form like a browser, with the page's CSRF token, and expects `status`. */
  async function post(agent: TestAgent, fields: Fields, status: number): Promise<request.Response> {
    const html = (await agent.get(page()).expect(200)).text;
    return agent
      .post(page())
      .set('Host', 'crm.example')
      .set('Referer', `http://crm.example${page()}`)
      .type('form')
      .send(new URLSearchParams([['_csrf', csrfFrom(html)], ...fields]).toString())
      .expect(status);
  }

  const good = (over: Record<string, string> = {}): Fields =>
    Object.entries({
      slotMinutes: '30',
      leadMinutes: '20',
      daysAhead: '5',
      defaultCapacity: '3',
      publicPage: 'on',
      'capacity[1-12]': '0',
      'capacity[2-9]': '5',
      'capacity[3-10]': '',
      ...over,
    });

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await signedInAgent(app, await createUser(app, { role: 'admin', uiLanguage: 'en' }));
    noAnswer = await createStatus(app, { code: 'NORISP', label: 'Non risponde', type: 'N' });
    callBack = await createStatus(app, { code: 'RICH', label: 'Richiamare', type: 'R' });
    await createStatus(app, { code: 'ALTRO', type: 'N' }); // not the campaign's
    campaign = await createCampaign(
      app,
      { code: 'LUCE', callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } },
      { statusIds: [noAnswer.id, callBack.id] },
    );
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('shows the grid for the calling hours only and saves the offer from the campaign page', async () => {
    const show = await admin.get(`/campaigns/${campaign.id}`).expect(200);
    expect(show.text).toContain(`href="${page()}"`);
    const html = (await admin.get(page()).expect(200)).text;
    expect(html).toContain('id="capacity-1-9"');
    expect(html).toContain('id="capacity-5-17"');
    for (const outside of ['capacity-1-8', 'capacity-1-18', 'capacity-6-9']) {
      expect(html).not.toContain(`id="${outside}"`);
    }
    // The wrap-up is the campaign workflow's (test/e2e/wrap-up.e2e-spec.ts), not the offer's.
    expect(html).not.toContain('name="wrapUpSeconds"');
    expect(html).not.toContain('name="wrapUpStatusId"');
    expect(html).not.toContain('id="public-link"');

    const saved = await post(admin, good(), 303);
    expect(saved.headers.location).toBe(page());
    const after = (await admin.get(page()).expect(200)).text;
    expect(after).toContain('Callback offer saved.');
    expect(after).toMatch(/id="public-link" href="http:\/\/[^"]+\/callback\/LUCE"/);
    expect(after).toMatch(/id="capacity-1-12"[^>]*value="0"/);
    expect(await offer()).toMatchObject({
      slotMinutes: 30,
      leadMinutes: 20,
      daysAhead: 5,
      defaultCapacity: 3,
      publicPage: true,
      capacities: [
        { day: 1, hour: 12, capacity: 0 },
        { day: 2, hour: 9, capacity: 5 },
      ],
    });

    expect(await offer()).not.toHaveProperty('wrapUpSeconds');

    // Emptied cells take the default again; public page off.
    await post(
      admin,
      good({
        'capacity[1-12]': '',
        'capacity[2-9]': '',
        publicPage: '',
      }),
      303,
    );
    expect(await offer()).toMatchObject({
      publicPage: false,
      capacities: [],
    });
  });

  it('refuses bad values with a 400 beside their field, keeps what was typed and saves nothing', async () => {
    const before = await offer();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ defaultCapacity: '-1' }, 'defaultCapacity', 'A whole number from 0 to 1000.'],
      [{ 'capacity[1-10]': '-2' }, 'capacity', 'Mon 10:00: A whole number from 0 to 1000.'],
      [{ leadMinutes: '1441' }, 'leadMinutes', 'A whole number of minutes from 0 to 1440'],
      [{ slotMinutes: 'abc' }, 'slotMinutes', 'A whole number of minutes from 5 to 240.'],
      // Not a cell of the page (Sunday is closed, 20:00 is after hours): sent by hand.
      [{ 'capacity[7-9]': '2' }, 'capacity', 'Sun 09:00: Outside the campaign’s calling hours.'],
      [{ 'capacity[2-20]': '2' }, 'capacity', 'Tue 20:00: Outside the campaign’s calling hours.'],
    ];
    for (const [change, field, message] of cases) {
      const res = await post(admin, good(change), 400);
      const error = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)</(p|ul)>`).exec(res.text);
      expect([field, error?.[1]?.replace(/<[^>]+>/g, '').trim()]).toEqual([
        field,
        expect.stringContaining(message),
      ]);
      const [name, value] = Object.entries(change)[0]!;
      if (!name.startsWith('capacity[')) {
        expect(res.text).toMatch(new RegExp(`id="${name}"[^>]*aria-invalid="true"`));
        expect(res.text).toContain(`value="${value}"`);
      }
    }
    expect(await offer()).toEqual(before);

    // The API keeps the same rules.
    const token = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const api = await request(app.getHttpServer())
      .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
      .set('Authorization', `Bearer ${token}`)
      .send({ capacities: [{ day: 7, hour: 9, capacity: 2 }] })
      .expect(400);
    expect((api.body as { message: string }).message).toMatch(
      /^capacities\.0: day 7 hour 9 is outside the calling hours/,
    );
    // The wrap-up moved to the campaign (PATCH /campaigns/:id): the offer refuses it by name.
    const moved = await request(app.getHttpServer())
      .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
      .set('Authorization', `Bearer ${token}`)
      .send({ wrapUpSeconds: 60, wrapUpStatusId: noAnswer.id })
      .expect(400);
    expect(JSON.stringify(moved.body)).toContain('wrapUpSeconds');
  });

  it('lets a coordinator read it, not change it; an operator may not open it', async () => {
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const html = (await coordinator.get(page()).expect(200)).text;
    expect(html).toContain('<fieldset class="cbo-fieldset" disabled>');
    expect(html).not.toContain('form="offer-form"');
    // Refused by role: back to the page with the reason, nothing saved.
    const before = await offer();
    await post(coordinator, good(), 303);
    expect(await offer()).toEqual(before);
    const operator = await signedInAgent(app, await createUser(app, { role: 'operator' }));
    await operator.get(page()).expect(403);
    await admin.get('/campaigns/999999/callback-offer').expect(404);
  });
});
