import type { Page } from 'playwright-core';
import request from 'supertest';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

const NBSP = '\u00a0';

/** An Italian operator's workstation speaks Italian: the server's refusals and the figures. */
describe('the workstation in the user’s language', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
  });
  afterAll(async () => {
    await harness.close();
    removeSqliteData();
  });

  it('says a refused outcome in Italian beside its question, and the day’s figures in Italian format', async () => {
    const app = harness.app;
    const http = () => request(app.getHttpServer());
    const admin = await createUser(app, { role: 'admin' });
    const operator = await createUser(app, {
      role: 'operator',
      uiLanguage: 'it',
      displayName: 'Giulia Operatrice',
      password: 'operator-pass-123',
    });
    const sale = await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C' });
    const none = await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' });
    const product = await createProduct(app, {
      code: 'FIBRA',
      name: 'Fibra casa',
      unitPrice: '1000.00',
      vatRate: '22.00',
    });
    // Earlier today: one sale of 1.220,00 € (VAT included) on another campaign.
    const earlier = await createCampaign(
      app,
      {},
      { statusIds: [sale.id], productIds: [product.id], operatorIds: [operator.id] },
    );
    const as = { Authorization: `Bearer ${await tokenFor(app, operator)}` };
    const sold = await createContact(app, earlier.id);
    await http().post('/api/v1/work/next').set(as).send({ campaignId: earlier.id }).expect(200);
    await http()
      .post(`/api/v1/work/${sold.id}/outcome`)
      .set(as)
      .send({ statusId: sale.id, cart: [{ productId: product.id, quantity: 1 }] })
      .expect(201);

    const created = await http()
      .post('/api/v1/campaigns')
      .set('Authorization', `Bearer ${await tokenFor(app, admin)}`)
      .send({
        code: 'CONSENSO',
        name: 'Con consenso',
        // Open at any hour of any day, holidays too: the test runs whenever CI does.
        callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
        holidays: null,
        steps: [
          { kind: 'consent', title: 'Contatti futuri', consentPurpose: 'contact', required: true },
          { kind: 'outcome', title: 'Esito' },
        ],
        statusIds: [none.id],
        operatorIds: [operator.id],
      })
      .expect(201);
    const stepId = (created.body.steps as Array<{ id: number; kind: string }>).find(
      (s) => s.kind === 'consent',
    )!.id;
    await createContact(app, created.body.id as number, { firstName: 'Maria', lastName: 'Rossi' });

    await signIn(page, operator);
    await page.goto('/work');
    const day = page.locator('#work-day');
    await day.waitFor({ state: 'visible' });
    expect(await day.locator('[data-figure="calls"]').innerText()).toBe('1');
    expect(await day.locator('[data-figure="total"]').innerText()).toBe(`1.220,00${NBSP}€`);

    await page.locator('#work-campaign').selectOption(String(created.body.id));
    await page.keyboard.press('n');
    await page.locator('#work-contact-name').waitFor();
    await page.locator(`input[name="statusId"][value="${none.id}"]`).check();
    await page.keyboard.press('Control+Enter');
    const error = page.locator(`[data-error-for="answers.${stepId}"]`);
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toBe('«Contatti futuri» richiede una risposta.');
    const shot = await screenshot(page, 'user-language-work-refused');
    await page.screenshot({ path: '/tmp/user-language-work-refused.png' });
    expect(shot).toMatch(/user-language-work-refused\.png$/);
    // The refusal is the 400 the test asked for, not a fault of the page.
    expect(problems.filter((p) => !/400|Bad Request/.test(p.text))).toEqual([]);
  });
});
