import type { Page } from 'playwright-core';
import request from 'supertest';
import { Clock } from '../../src/common/time/clock';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');
const PHONE = { width: 390, height: 844 };

describe('public callback page on a phone, in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];

  beforeAll(async () => {
    harness = await startBrowserHarness();
    harness.app.get(Clock).set(MONDAY);
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
    await page.setViewportSize(PHONE);
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    harness?.app.get(Clock).set(null);
    await harness?.close();
    removeSqliteData();
  });

  it('a customer picks a free slot, leaves a number, a name and a reason, and is told the window', async () => {
    const app = harness.app;
    const admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const status = await createStatus(app, { code: 'OK', type: 'N' });
    const campaign = await createCampaign(
      app,
      {
        name: 'Assistenza Luce e Gas',
        callingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      },
      { statusIds: [status.id] },
    );
    await request(app.getHttpServer())
      .put(`/api/v1/campaigns/${campaign.id}/callback-offer`)
      .set({ Authorization: `Bearer ${admin}` })
      .send({ publicPage: true, defaultCapacity: 3, daysAhead: 3 })
      .expect(200);

    await page.goto(`/callback/${campaign.code}?lang=en`);
    await page.getByRole('heading', { name: 'We will call you back' }).waitFor();
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    const slot = page.locator('[data-day="2026-11-30"] label.cbp-slot', { hasText: '11:30–12:00' });
    const box = await slot.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
    await screenshot(page, 'callback-public-form-phone');

    // Sent without a slot and with a wrong number: said beside the fields, typed text kept.
    await page.getByLabel('Phone number').fill('12345');
    await page.getByLabel('Name').fill('Maria Rossi');
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.locator('#cbp-alert').waitFor();
    await expect(page.locator('#slotStart-error').textContent()).resolves.toContain(
      'Choose a time',
    );
    await expect(page.locator('#phone-error').textContent()).resolves.toContain(
      'not a valid phone number',
    );
    await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Maria Rossi');
    await screenshot(page, 'callback-public-form-refused');

    await page
      .locator('[data-day="2026-11-30"] label.cbp-slot', { hasText: '11:30–12:00' })
      .click();
    await page.getByLabel('Phone number').fill('333 123 4567');
    await page.getByLabel(/What is it about/).fill('My bill looks too high');
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.waitForURL(`**/callback/${campaign.code}/booked`);
    await expect(page.locator('#cbp-message').textContent()).resolves.toBe(
      'We will call you back on Monday 30 November between 11:30 and 12:00.',
    );
    await screenshot(page, 'callback-public-booked');
  });
});
