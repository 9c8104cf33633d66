import type { Page } from 'playwright-core';
import request from 'supertest';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { DataSource } from 'typeorm';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

describe('an outage campaign in a browser', () => {
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
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('is created by pasting numbers and its progress moves without a reload', async () => {
    const app = harness.app;
    const coordinator = await createUser(app, {
      role: 'coordinator',
      password: 'coordinator-pass-1',
    });
    const operator = await createUser(app, { role: 'operator', languages: ['it'] });
    await signIn(page, coordinator);
    await page.goto('/outages/new');

    // a message left out is shown beside its field, with what was typed kept
    await page.getByLabel('Nome').fill('Guasto Milano nord');
    await page.getByLabel('Numeri di telefono, uno per riga').fill(mobile(1));
    await page.locator('button[type="submit"]', { hasText: 'Crea e inizia' }).click();
    await page.locator('#whatHappened[aria-invalid="true"]').waitFor();
    expect(await page.getByLabel('Nome').inputValue()).toBe('Guasto Milano nord');
    await screenshot(page, 'outage-new-refused');

    await page.getByLabel('Cosa è successo').fill('un guasto alla centrale di Milano nord');
    await page.getByLabel('Ripristino previsto').fill('oggi entro le 18:00');
    await page.getByLabel('Cosa fare se persiste').fill('riavviare il modem');
    await page
      .getByLabel('Numeri di telefono, uno per riga')
      .fill([mobile(1), '02 boh', '333 000 0002'].join('\n'));
    await page.getByLabel('Chiamate dalle').fill('00:00');
    await page.getByLabel('alle', { exact: true }).fill('24:00');
    await screenshot(page, 'outage-new');
    await Promise.all([
      page.waitForURL(/\/outages\/\d+$/),
      page.locator('button[type="submit"]', { hasText: 'Crea e inizia' }).click(),
    ]);
    const id = Number(/\/outages\/(\d+)$/.exec(page.url())![1]);
    // the paste's line 2 is refused, with its number
    await page.locator('[data-import-error="2"]').waitFor();
    expect(await page.locator('[data-count="total"]').innerText()).toBe('2');
    expect(await page.locator('[data-count="left"]').innerText()).toBe('2');
    await screenshot(page, 'outage-progress-start');

    // an operator reaches the first customer: the page counts it on its next poll
    const token = await tokenFor(app, operator);
    const http = () => request(app.getHttpServer());
    const lease = await http()
      .post('/api/v1/work/next')
      .set('Authorization', `Bearer ${token}`)
      .send({ campaignId: id })
      .expect(200);
    const notified = await app
      .get(DataSource)
      .getRepository(OutcomeStatus)
      .findOneByOrFail({ code: 'OUTAGE_NOTIFIED' });
    await http()
      .post(`/api/v1/work/${lease.body.contact.id}/outcome`)
      .set('Authorization', `Bearer ${token}`)
      .send({ statusId: notified.id })
      .expect(201);
    await page.locator('[data-count="notified"]', { hasText: '1' }).waitFor({ timeout: 8000 });
    expect(await page.locator('[data-count="left"]').innerText()).toBe('1');
    expect(await page.locator('[data-by-status]').innerText()).toContain('OUTAGE_NOTIFIED');
    await screenshot(page, 'outage-progress-live');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('button', { hasText: 'Chiudi e ottieni il report' }).click();
    await page.locator('[data-report-csv]').waitFor();
    await screenshot(page, 'outage-closed');
  });
});
