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
  let fibraId: number;
  let modemId: number;

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
    fibraId = fibra.id;
    modemId = modem.id;
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
    await work.locator('#cart-product').selectOption(String(fibraId));
    await work.locator('#cart-quantity').fill('2');
    await work.locator('#cart-add').click();
    await work.locator('#cart-product').selectOption(String(modemId));
    await work.locator('#cart-quantity').fill('1');
    await work.locator('#cart-add').click();
    // 2 x 19.90 + 49.00 = 88.80 net; with VAT 22% 108.34
    await work.locator('#cart-total', { hasText: '108,34' }).waitFor();
    await screenshot(work, 'contracts-cart');
    await work.keyboard.press('Control+Enter');
    const result = work.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    const protocol = await result.locator('[data-result="protocol"]').innerText();
    expect(protocol).toMatch(/^\d{4}\/\d{6}$/);
    expect(await result.locator('[data-result="total"]').innerText()).toBe('108,34\u00a0€');
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
    expect(await page.locator('#contract-total').innerText()).toBe('€ 108,34');
    expect(await page.locator('#contract-lines tbody tr').count()).toBe(2);
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
    expect(column('total')).toBe('108.34');
  });
});
