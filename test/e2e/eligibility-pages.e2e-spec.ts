import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { EligibilityService } from '../../src/eligibility/eligibility.service';
import { createCampaign } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

type Fields = Array<[string, string]>;

describe('Eligibility rules page', () => {
  let app: NestExpressApplication;
  let admin: TestAgent;
  let campaign: Campaign;
  const page = () => `/campaigns/${campaign.id}/eligibility`;
  const rules = () => app.get(EligibilityService).rules(campaign.id);

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

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await signedInAgent(app, await createUser(app, { role: 'admin', uiLanguage: 'en' }));
    campaign = await createCampaign(app, { code: 'LUCE' });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('is linked from the campaign, saves the rules and clears them', async () => {
    const show = await admin.get(`/campaigns/${campaign.id}`).expect(200);
    expect(show.text).toContain(`href="${page()}"`);
    const html = (await admin.get(page()).expect(200)).text;
    expect(html).toContain('Proactive call rules');
    expect(html).not.toMatch(/<script>/);
    expect(html).not.toMatch(/id="requireConsent"[^>]*checked/);

    const saved = await post(
      admin,
      [
        ['requireConsent', 'on'],
        ['matchLanguage', 'on'],
        ['allowedReasons', 'Voicemail\r\naccess-help, voicemail'],
        ['maxConcurrent', '2'],
        ['respectPreferredChannel', 'on'],
      ],
      303,
    );
    expect(saved.headers.location).toBe(page());
    expect(await rules()).toEqual({
      requireConsent: true,
      matchLanguage: true,
      allowedReasons: ['voicemail', 'access-help'],
      maxConcurrent: 2,
      respectPreferredChannel: true,
    });
    const after = (await admin.get(page()).expect(200)).text;
    expect(after).toContain('Call rules saved.');
    expect(after).toMatch(/id="requireConsent"[^>]*checked/);
    expect(after).toMatch(/id="maxConcurrent"[^>]*value="2"/);
    expect(after).toContain('>voicemail\naccess-help</textarea>');

    // Nothing ticked, nothing typed: no rules at all.
    await post(
      admin,
      [
        ['allowedReasons', ''],
        ['maxConcurrent', ''],
      ],
      303,
    );
    expect(await rules()).toBeNull();
  });

  it('refuses bad values with a 400 beside their field, keeps what was typed, saves nothing', async () => {
    await app.get(EligibilityService).setRules(campaign.id, { requireConsent: true });
    const before = await rules();
    const cases: Array<[Fields, string, string]> = [
      [[['maxConcurrent', '0']], 'maxConcurrent', 'A whole number from 1 to 20, or empty.'],
      [[['maxConcurrent', 'due']], 'maxConcurrent', 'A whole number from 1 to 20, or empty.'],
      [[['allowedReasons', 'voicemail\nnot valid!']], 'allowedReasons', 'Each reason:'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await post(admin, [['matchLanguage', 'on'], ...fields], 400);
      const error = new RegExp(`id="${field}-error">([^<]*)<`).exec(res.text);
      expect([field, error?.[1]]).toEqual([field, expect.stringContaining(message)]);
      expect(res.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      // What was typed is shown again, the box ticked with it.
      expect(res.text).toMatch(/id="matchLanguage"[^>]*checked/);
      const typed = fields[0]![1];
      expect(res.text).toContain(
        field === 'maxConcurrent' ? `value="${typed}"` : `>${typed}</textarea>`,
      );
    }
    expect(await rules()).toEqual(before);
    await admin.get('/campaigns/999999/eligibility').expect(404);
  });

  it('lets a coordinator read it, not change it; an operator may not open it', async () => {
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const html = (await coordinator.get(page()).expect(200)).text;
    expect(html).toContain('<fieldset class="elig-fieldset" disabled>');
    expect(html).not.toContain('form="eligibility-form"');
    await post(coordinator, [['requireConsent', 'on']], 303);
    expect(await rules()).toBeNull();
    const operator = await signedInAgent(app, await createUser(app, { role: 'operator' }));
    await operator.get(page()).expect(403);
    const csrf = csrfFrom((await operator.get('/').expect(200)).text);
    await operator
      .post(page())
      .set('Host', 'crm.example')
      .set('Referer', 'http://crm.example/')
      .type('form')
      .send(
        new URLSearchParams([
          ['_csrf', csrf],
          ['requireConsent', 'on'],
        ]).toString(),
      )
      .expect(303); // refused by role: back with the reason (the global filter), nothing saved
    expect(await rules()).toBeNull();
  });
});
