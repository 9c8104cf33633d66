import type { Locator, Page } from 'playwright-core';
import { createStatus } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

const textOf = async (locator: Locator): Promise<string> => (await locator.innerText()).trim();
/** A computed CSS value, e.g. "rgb(183, 28, 28)" (the page's window does the computing). */
type StyledElement = {
  ownerDocument: { defaultView: { getComputedStyle(el: unknown): Record<string, string> } };
};
const styleOf = (locator: Locator, property: 'backgroundColor' | 'color'): Promise<string> =>
  locator.evaluate((el, p) => {
    const element = el as unknown as StyledElement;
    return String(element.ownerDocument.defaultView.getComputedStyle(element)[p]);
  }, property);

describe('outcome statuses in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
    await signIn(page, await createUser(harness.app, { role: 'admin' }));
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('creates a status with a colour from the picker, previewing the tile live', async () => {
    await createStatus(harness.app, {
      code: 'NORISP',
      label: 'Non risponde',
      type: 'N',
      color: '#FFEB3B',
      quick: true,
      quickOrder: 1,
      retryAfterMinutes: 60,
      maxAttempts: 5,
    });
    await createStatus(harness.app, {
      code: 'VENDITA',
      label: 'Vendita',
      type: 'C',
      color: '#2E7D32',
      quick: true,
      quickOrder: 2,
    });
    await createStatus(harness.app, {
      code: 'APP',
      label: 'Appuntamento fissato',
      type: 'T',
      color: '#6A1B9A',
    });
    await createStatus(harness.app, {
      code: 'VECCHIO',
      label: 'Non più usato',
      color: '#9E9E9E',
      archivedAt: new Date(),
    });

    await page.getByRole('navigation').getByText('Impostazioni').click();
    await Promise.all([
      page.waitForURL('**/outcome-statuses'),
      page.getByRole('navigation').getByRole('link', { name: 'Stati contatto' }).click(),
    ]);
    await Promise.all([
      page.waitForURL('**/outcome-statuses/new'),
      page.getByRole('link', { name: 'Nuovo stato' }).click(),
    ]);

    const tile = page.locator('#status-preview');
    const picker = page.locator('#colorPicker');
    const colorText = page.getByLabel('Colore', { exact: true });
    // The script shows the native picker beside the text field.
    expect(await picker.isVisible()).toBe(true);
    expect(await styleOf(tile, 'backgroundColor')).toBe('rgb(30, 136, 229)');

    await page.getByLabel('Codice').fill('richiama');
    await page.getByLabel('Etichetta (italiano)').fill('Richiamare più tardi');
    await page.getByLabel('Etichetta (inglese)').fill('Call back later');
    await page.getByRole('radio', { name: /Richiamare/ }).check();
    // R shows the callback visibility, hides (and disables) the N-only fields.
    expect(await page.getByLabel(/Visibilità della richiamata/).isVisible()).toBe(true);
    expect(await page.getByLabel('Richiama dopo (minuti)').isVisible()).toBe(false);
    expect(await page.getByLabel('Richiama dopo (minuti)').isDisabled()).toBe(true);

    await picker.fill('#b71c1c');
    expect(await colorText.inputValue()).toBe('#B71C1C');
    expect(await styleOf(tile, 'backgroundColor')).toBe('rgb(183, 28, 28)');
    expect(await styleOf(tile, 'color')).toBe('rgb(255, 255, 255)');
    expect(await textOf(tile.locator('.wall-tile-code'))).toBe('RICHIAMA');
    expect(await textOf(tile.locator('.wall-tile-label'))).toBe('Richiamare più tardi');
    expect(await textOf(tile.locator('.wall-tile-type'))).toBe('R');

    // Typing a light colour turns the text dark, and the picker follows the field.
    await colorText.fill('#FFF176');
    expect(await styleOf(tile, 'color')).toBe('rgb(0, 0, 0)');
    expect(await picker.inputValue()).toBe('#fff176');
    await picker.fill('#b71c1c');

    await page.getByLabel('Tasto rapido').check();
    await page.getByLabel('Posizione e tasto (1-9)').selectOption('3');
    expect(await textOf(page.locator('#quick-preview'))).toMatch(/^3\s+Richiamare più tardi$/);
    await page.getByLabel(/Visibilità della richiamata/).selectOption('public');
    await screenshot(page, 'statuses-form-preview');

    await Promise.all([
      page.waitForURL((url) => url.pathname === '/outcome-statuses'),
      page.getByRole('button', { name: 'Crea stato' }).click(),
    ]);
    expect(await textOf(page.locator('.flash-success'))).toBe('Stato RICHIAMA creato.');
    const row = page.locator('tr[data-status="RICHIAMA"]');
    expect(await row.count()).toBe(1);
    const swatch = row.locator('.status-swatch');
    expect(await styleOf(swatch, 'backgroundColor')).toBe('rgb(183, 28, 28)');
    expect(await styleOf(swatch, 'color')).toBe('rgb(255, 255, 255)');
    expect(await textOf(swatch)).toBe('R');
    expect(await textOf(row)).toContain('Richiamata pubblica');
    expect(await textOf(row.locator('.hotkey'))).toBe('3');
    // It sits in the R group, not elsewhere.
    expect(
      await page.locator('section[aria-labelledby="group-R"] tr[data-status="RICHIAMA"]').count(),
    ).toBe(1);
    await screenshot(page, 'statuses-list');
  });

  it('shows only the fields of the chosen type and keeps typed values after a refusal', async () => {
    await page.goto('/outcome-statuses/new');
    await page.getByRole('radio', { name: /Negativo/ }).check();
    expect(await page.getByLabel('Richiama dopo (minuti)').isVisible()).toBe(true);
    expect(await page.getByLabel(/Visibilità della richiamata/).isVisible()).toBe(false);
    expect(await page.getByLabel('Posizione e tasto (1-9)').isVisible()).toBe(false);
    await page.getByRole('radio', { name: /Chiusura in linea/ }).check();
    expect(await page.getByLabel('Richiama dopo (minuti)').isVisible()).toBe(false);
    expect(await page.getByLabel('Non chiamare più questo numero').isVisible()).toBe(false);

    await page.getByRole('radio', { name: /Negativo/ }).check();
    await page.getByLabel('Codice').fill('OCC');
    await page.getByLabel('Etichetta (italiano)').fill('Occupato');
    await page.getByLabel('Richiama dopo (minuti)').fill('30');
    await page.getByLabel('Colore', { exact: true }).fill('#12');
    expect(
      await page.getByLabel('Colore', { exact: true }).getAttribute('aria-invalid'),
    ).toBeNull();
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'GET' && r.request().resourceType() === 'document',
      ),
      page.getByRole('button', { name: 'Crea stato' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/outcome-statuses/new');
    expect(await page.locator('#color-error').isVisible()).toBe(true);
    expect(await page.getByLabel('Richiama dopo (minuti)').inputValue()).toBe('30');
    expect(await page.getByRole('radio', { name: /Negativo/ }).isChecked()).toBe(true);
    await screenshot(page, 'statuses-form-errors');
  });
});
