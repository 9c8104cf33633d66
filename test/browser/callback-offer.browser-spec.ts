import type { Page } from 'playwright-core';
import { CallbackOfferService } from '../../src/callback-requests/callback-offer.service';
import { Clock } from '../../src/common/time/clock';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
  VIEWPORT,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 11:00 in Rome. */
const MONDAY = new Date('2026-11-30T10:00:00Z');

describe('callback offer settings, in a browser', () => {
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
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    harness?.app.get(Clock).set(null);
    await harness?.close();
    removeSqliteData();
  });

  it('an admin closes an hour in the grid and the public page stops offering its slots', async () => {
    const app = harness.app;
    const admin = await createUser(app, { role: 'admin', uiLanguage: 'en' });
    const status = await createStatus(app, { code: 'GESTITA', label: 'Chiamata gestita' });
    const campaign = await createCampaign(
      app,
      { code: 'LUCE', callingHours: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00' } },
      { statusIds: [status.id] },
    );
    await app.get(CallbackOfferService).configure(campaign.id, {
      publicPage: true,
      defaultCapacity: 4,
      daysAhead: 3,
    });
    const noon = () =>
      page.locator('[data-day="2026-11-30"] label.cbp-slot', { hasText: '12:00–12:30' });
    await page.goto('/callback/LUCE?lang=en');
    await expect(noon().count()).resolves.toBe(1);

    await signIn(page, admin);
    await page.goto(`/campaigns/${campaign.id}`);
    await page.getByRole('link', { name: 'Callback offer' }).click();
    await page.getByRole('heading', { name: /Callback offer/ }).waitFor();
    // Each cell is named by its weekday and hour (the headers label it).
    const cell = page.getByRole('spinbutton', { name: 'Mon 12:00' });
    // A refusal comes back on the page beside its field, what was typed kept.
    await cell.fill('0');
    await page.getByLabel('Default capacity').fill('-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#defaultCapacity-error').textContent()).resolves.toBe(
      'A whole number from 0 to 1000.',
    );
    await expect(cell.inputValue()).resolves.toBe('0');
    await screenshot(page, 'callback-offer-refused');
    await page.getByLabel('Default capacity').fill('4');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Callback offer saved.').waitFor();
    await expect(cell.inputValue()).resolves.toBe('0');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      VIEWPORT.width,
    );
    await screenshot(page, 'callback-offer-settings');

    await page.goto('/callback/LUCE?lang=en');
    await page.locator('[data-day="2026-11-30"] label.cbp-slot').first().waitFor();
    await expect(noon().count()).resolves.toBe(0);
    await expect(
      page.locator('[data-day="2026-11-30"] label.cbp-slot', { hasText: '13:00–13:30' }).count(),
    ).resolves.toBe(1);
  });
});
