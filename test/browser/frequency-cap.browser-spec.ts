import type { Page } from 'playwright-core';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';
import { FrequencyCapSettingsService } from '../../src/frequency-cap/frequency-cap-settings.service';

describe('the frequency cap in a browser: an admin sets a cap, sees it saved, a bad value refused', () => {
  let harness: BrowserHarness;
  let problems: PageProblem[] = [];

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('is under Settings, saves the three fields and refuses a bad value beside its field', async () => {
    await resetDatabase(harness.app);
    const admin = await createUser(harness.app, { role: 'admin', password: 'admin-pass-12345' });
    const opened = await harness.newPage();
    problems = opened.problems;
    const page: Page = opened.page;
    await signIn(page, admin);

    await page.locator('summary', { hasText: 'Impostazioni' }).click();
    await Promise.all([
      page.waitForURL('**/settings/frequency-cap'),
      page.getByRole('link', { name: 'Limite di chiamate' }).click(),
    ]);
    await page.getByLabel('Chiamate per persona al giorno, al massimo').fill('3');
    await page.getByLabel('Minuti tra due campagne, almeno').fill('120');
    await page.getByLabel('Limita anche le campagne di servizio').check();
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('.flash-success', { hasText: 'Limite di chiamate salvato.' }).waitFor();
    expect(await page.getByLabel('Chiamate per persona al giorno, al massimo').inputValue()).toBe(
      '3',
    );
    expect(await page.getByLabel('Minuti tra due campagne, almeno').inputValue()).toBe('120');
    expect(await page.getByLabel('Limita anche le campagne di servizio').isChecked()).toBe(true);
    await screenshot(page, 'frequency-cap-saved');

    // A gap longer than a day: refused beside its field, what was typed kept, nothing saved.
    await page.getByLabel('Minuti tra due campagne, almeno').fill('2000');
    await page.getByRole('button', { name: 'Salva' }).click();
    const error = page.locator('#minMinutesBetweenCampaigns-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(
      'Un numero intero di minuti da 1 a 1440, oppure vuoto per nessuna attesa.',
    );
    expect(await page.getByLabel('Minuti tra due campagne, almeno').inputValue()).toBe('2000');
    expect(await page.locator('#maxCallsPerDay-error').count()).toBe(0);
    await screenshot(page, 'frequency-cap-refused');
    expect(await harness.app.get(FrequencyCapSettingsService).current()).toEqual({
      maxCallsPerDay: 3,
      minMinutesBetweenCampaigns: 120,
      applyToService: true,
    });
    expect(problems).toEqual([]);
  });
});
