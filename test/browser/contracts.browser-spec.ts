import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
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

describe('contracts in a browser: the close on the workstation, then the backoffice', () => {
  let harness: BrowserHarness;
  const problems: PageProblem[][] = [];
  let operator: TestUser;
  let backoffice: TestUser;
  let saleId: number;

  async function newPage(): Promise<Page> {
    const opened = await harness.newPage();
    problems.push(opened.problems);
    return opened.page;
  }

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    problems.length = 0;
    const app = harness.app;
    operator = await createUser(app, {
      role: 'operator',
      languages: ['it'],
      displayName: 'Giulia Operatrice',
      password: 'operator-pass-123',
    });
    backoffice = await createUser(app, {
      role: 'backoffice',
      displayName: 'Carla Backoffice',
      password: 'backoffice-pass-123',
    });
    const sale = await createStatus(app, {
      code: 'VEN',
      label: 'Vendita',
      type: 'C',
      color: '#16a34a',
      allowPriceOverride: true,
    });
    saleId = sale.id;
    const fibra = await createProduct(app, {
      code: 'FIB',
      name: 'Fibra 1 Giga',
      unitPrice: '19.90',
      vatRate: '22.00',
    });
    const modem = await createProduct(app, {
      code: 'MOD',
      name: 'Modem Wi-Fi',
      unitPrice: '49.00',
      vatRate: '22.00',
    });
    const campaign = await createCampaign(
      app,
      { name: 'Fibra Nord' },
      { statusIds: [sale.id], operatorIds: [operator.id], productIds: [fibra.id, modem.id] },
    );
    await createContact(app, campaign.id, { firstName: 'Maria', lastName: 'Rossi' });
  });
  afterEach(() => {
    expect(problems.flat()).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('closes a sale of two products, then verifies, activates and exports it', async () => {
    // The operator: the next contact, the sale, a cart of two products, confirmed.
    const work = await newPage();
    await signIn(work, operator);
    await work.goto('/work');
    await work.keyboard.press('n');
    await work.locator('#work-contact-name', { hasText: 'Maria Rossi' }).waitFor();
    await work.locator(`input[name="statusId"][value="${saleId}"]`).focus();
    await work.keyboard.press('Enter');
    // The catalogue searched by name, then by code; a search that finds nothing says so.
    const catalogue = work.locator('#cart-catalogue li:visible');
    await work.locator('#cart-search').fill('zzz');
    await work.locator('#cart-no-match').waitFor();
    await work.locator('#cart-quantity').fill('2');
    await work.locator('#cart-search').fill('fibra giga');
    expect(await catalogue.count()).toBe(1);
    await work.keyboard.press('Enter');
    await work.locator('#cart-search').fill('MOD');
    await catalogue.getByRole('button', { name: /Modem Wi-Fi/ }).click();
    const lines = work.locator('#work-cart tbody tr');
    expect(await lines.count()).toBe(2);
    // Per line: 2 x 19.90 = 39.80 + VAT 22% 8.76 = 48.56; 49.00 + 10.78 = 59.78.
    expect(await lines.nth(0).innerText()).toMatch(/22\s% · 8,76\s€\s+48,56\s€/);
    expect(await lines.nth(1).innerText()).toMatch(/22\s% · 10,78\s€\s+59,78\s€/);
    await work.locator('#cart-total', { hasText: '108,34' }).waitFor();
    // This status allows changing a price: the modem agreed at 39.00, marked as changed.
    await work.getByLabel('Prezzo di MOD · Modem Wi-Fi').fill('39,00');
    await work.getByLabel('Prezzo di MOD · Modem Wi-Fi').press('Tab');
    // The line is not rebuilt under the operator: Tab goes on to the line's next control.
    const focused = "document.activeElement && document.activeElement.getAttribute('aria-label')";
    expect(await work.evaluate(focused)).toBe('Togli MOD · Modem Wi-Fi');
    await lines.nth(1).getByText('prezzo modificato').waitFor();
    // 39.80 + 39.00 = 78.80 net; VAT 8.76 + 8.58 = 17.34; 96.14 in all.
    expect(await work.locator('#cart-net').innerText()).toBe('78,80\u00a0€');
    expect(await work.locator('#cart-vat').innerText()).toBe('17,34\u00a0€');
    expect(await work.locator('#cart-total').innerText()).toBe('96,14\u00a0€');
    await screenshot(work, 'contracts-cart');
    // Review before confirming: the cart read back, nothing editable, then the contract.
    await work.getByRole('button', { name: 'CONFERMA ESITO' }).click();
    await work.locator('#cart-review').waitFor();
    expect(await work.locator('#cart-search').isVisible()).toBe(false);
    expect(await work.locator('#work-cart input').count()).toBe(0);
    await screenshot(work, 'contracts-cart-review');
    await work.getByRole('button', { name: 'CONFERMA CONTRATTO' }).click();
    const result = work.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    const protocol = await result.locator('[data-result="protocol"]').innerText();
    expect(protocol).toMatch(/^\d{4}\/\d{6}$/);
    expect(await result.locator('[data-result="total"]').innerText()).toBe('96,14\u00a0€');
    await screenshot(work, 'contracts-sale-confirmed');

    // The backoffice: finds it by its number, opens it.
    const page = await newPage();
    await signIn(page, backoffice);
    await page.getByRole('link', { name: 'Contratti' }).click();
    await page.waitForURL('**/contracts');
    await page.locator('#q').fill(protocol);
    await Promise.all([
      page.waitForURL('**/contracts?**'),
      page.getByRole('button', { name: 'Filtra' }).click(),
    ]);
    const rows = page.locator('#contracts-list tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Rossi Maria');
    expect(await rows.first().locator('.ctr-status').innerText()).toBe('Nuovo');
    await screenshot(page, 'contracts-list');
    await page.getByRole('link', { name: protocol }).click();
    await page.locator('#protocol-number', { hasText: protocol }).waitFor();
    expect(await page.locator('#contract-total').innerText()).toBe('96,14\u00a0€');
    expect(await page.locator('#contract-lines tbody tr').count()).toBe(2);
    expect(await page.locator('#contract-lines tbody tr').nth(1).innerText()).toContain(
      '39,00\u00a0€ *',
    );
    expect(await page.getByRole('button', { name: 'Stampa' }).isVisible()).toBe(true);
    await screenshot(page, 'contracts-contract-page');

    // A cancel without a reason is refused beside the field; nothing changes.
    await page.locator('.ctr-cancel summary').click();
    await page.getByRole('button', { name: 'Annulla il contratto' }).click();
    await page.locator('#reason-error').waitFor();
    expect(await page.locator('#reason-error').innerText()).toBe(
      "Scrivi il motivo dell'annullamento.",
    );
    expect(await page.locator('#contract-status').innerText()).toBe('Nuovo');
    await screenshot(page, 'contracts-cancel-refused');

    // Verified, then activated: only the next move is offered each time.
    await page.getByRole('button', { name: 'Verifica', exact: true }).click();
    await page.locator('#contract-status', { hasText: 'Verificato' }).waitFor();
    expect(await page.getByRole('button', { name: 'Verifica', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Attiva', exact: true }).click();
    await page.locator('#contract-status', { hasText: 'Attivato' }).waitFor();
    expect(await page.locator('.flash-success').innerText()).toBe(
      `Contratto ${protocol} attivato.`,
    );
    expect(await page.locator('#contract-history tbody tr').count()).toBe(3);
    await screenshot(page, 'contracts-activated');

    // Printed: the document alone, no menu and no buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.locator('#contract-actions').isVisible()).toBe(false);
    expect(await page.locator('#contract-lines').isVisible()).toBe(true);
    await screenshot(page, 'contracts-print');
    await page.emulateMedia({ media: 'screen' });

    // The export of the filtered list, downloaded with the session.
    await page.goto('/contracts?status=activated');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#contracts-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^contracts-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const csv: string[][] = parse(readFileSync(path), { bom: true });
    expect(csv).toHaveLength(2);
    const [header, row] = csv as [string[], string[]];
    const column = (name: string) => row[header.indexOf(name)];
    expect(column('protocolNumber')).toBe(protocol);
    expect(column('status')).toBe('activated');
    expect(column('lastName')).toBe('Rossi');
    expect(column('operator')).toBe('Giulia Operatrice');
    expect(column('total')).toBe('96.14');
  });
});
