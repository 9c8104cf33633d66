import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Callback } from '../../src/callbacks/callback.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createCallback } from '../factories/callback.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

describe('callback notices on the workstation, in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  let operator: TestUser;
  let other: TestUser;
  let campaignId: number;
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    const app = harness.app;
    await resetDatabase(app);
    ({ page, problems } = await harness.newPage());
    operator = await createUser(app, { role: 'operator', displayName: 'Giulia Operatrice' });
    other = await createUser(app, { role: 'operator', displayName: 'Paolo Collega' });
    const status = await createStatus(app, { code: 'NI', type: 'N', quick: true, quickOrder: 1 });
    campaignId = (
      await createCampaign(
        app,
        { name: 'Fibra Nord' },
        { statusIds: [status.id], operatorIds: [operator.id, other.id] },
      )
    ).id;
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  async function privateCallback(owner: TestUser, dueAt: Date, firstName: string) {
    const contact = await createContact(harness.app, campaignId, {
      firstName,
      lastName: 'Rossi',
      state: 'callback',
    });
    return createCallback(harness.app, campaignId, {
      contactId: contact.id,
      ownerId: owner.id,
      visibility: 'private',
      dueAt,
      notes: 'Chiede del contratto luce',
    });
  }

  it("shows the owner's private callbacks due soon or now, opens one, and never shows another's", async () => {
    const soon = await privateCallback(operator, minutes(3), 'Maria');
    await privateCallback(operator, minutes(-2), 'Anna');
    await privateCallback(operator, minutes(60), 'Lucia'); // beyond the notice window
    await privateCallback(other, minutes(1), 'Carla'); // another operator's

    await signIn(page, operator);
    await page.goto('/work');
    const banner = page.locator('#work-notices');
    await banner.waitFor({ state: 'visible' });
    const notices = banner.locator('.work-notice');
    expect(await notices.count()).toBe(2);
    // Due first: the late one, then the one coming up, each with its time and notes.
    expect(await notices.nth(0).innerText()).toMatch(
      /Da richiamare ora: Anna Rossi · .* · Fibra Nord · \d\d:\d\d \(in ritardo di 2 min\)/,
    );
    expect(await notices.nth(1).innerText()).toMatch(
      /Tra poco: Maria Rossi · .* · \d\d:\d\d \(tra 3 min\)/,
    );
    expect(await notices.nth(1).innerText()).toContain('Chiede del contratto luce');
    expect(await banner.innerText()).not.toMatch(/Carla|Lucia/);
    await screenshot(page, 'work-notices');

    // The sound is the operator's choice, remembered on this workstation.
    await page.getByLabel('Avviso sonoro').check();
    await page.reload();
    await banner.waitFor({ state: 'visible' });
    expect(await page.getByLabel('Avviso sonoro').isChecked()).toBe(true);

    // Opened from the banner: the contact is on screen, leased to the operator.
    await notices.nth(1).getByRole('button', { name: 'Apri Maria Rossi' }).click();
    await page.locator('#work-contact-name', { hasText: 'Maria Rossi' }).waitFor();
    const taken = await harness.app
      .get(DataSource)
      .getRepository(Callback)
      .findOneByOrFail({ id: soon.id });
    expect(taken.state).toBe('in_progress');
    // With a contact on screen the banner only tells: the due one comes next.
    await banner.locator('.work-notice').first().waitFor();
    expect(await banner.locator('.work-notice').count()).toBe(1);
    expect(await banner.innerText()).toContain('Sarà il tuo prossimo contatto');
    expect(await banner.getByRole('button', { name: /Apri/ }).count()).toBe(0);
    await screenshot(page, 'work-notices-with-contact');
  });

  it('shows no banner to an operator with nothing coming up', async () => {
    await privateCallback(other, minutes(1), 'Carla');
    await signIn(page, operator);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/callbacks/notices')),
      page.goto('/work'),
    ]);
    expect(await page.locator('#work-notices').isVisible()).toBe(false);
  });
});
