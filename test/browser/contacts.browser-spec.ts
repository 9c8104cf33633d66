import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ContactList } from '../../src/contacts/contact-list.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact, csv, mobile } from '../factories/contact.factory';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

const HEADER = [
  'firstName',
  'lastName',
  'phone',
  'email',
  'language',
  'city',
  'province',
  'customerCode',
];

/** A list of `count` contacts with a few bad lines, as an office spreadsheet would give. */
function contactList(count: number): Buffer {
  const rows = Array.from({ length: count }, (_, i) => [
    `Nome${i}`,
    `Cognome${String(i).padStart(6, '0')}`,
    `333 ${String(i).padStart(7, '0')}`,
    i % 3 === 0 ? `cliente${i}@example.it` : '',
    'it',
    'Milano',
    'MI',
    `C-${i}`,
  ]);
  rows.splice(3, 0, ['Luca', 'Bianchi', '12', '', '', '', '', '']);
  rows.splice(8, 0, ['', 'Senza nome', '3471234567', 'posta@', '', '', '', '']);
  rows.push(['Nome0', 'Doppio', '+39 333 0000000', '', '', '', '', '']);
  return Buffer.from(csv([HEADER, ...rows]));
}

describe('contacts in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
    await signIn(
      page,
      await createUser(harness.app, { role: 'admin', password: 'admin-pass-123' }),
    );
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('imports a CSV with a progress bar, shows the summary, then opens a contact', async () => {
    const campaign = await createCampaign(harness.app, { name: 'Fibra Nord' });
    await page.goto(`/campaigns/${campaign.id}/contacts`);
    await screenshot(page, 'contacts-empty');
    expect(await page.locator('.ct-empty-row').innerText()).toContain('Nessun contatto');

    await page.setInputFiles('#import-file', {
      name: 'lista-maggio.csv',
      mimeType: 'text/csv',
      buffer: contactList(40_000),
    });
    await page.getByRole('button', { name: 'Importa' }).click();
    await page.locator('#import-progress').waitFor({ state: 'visible' });
    // The counts move while the file is written (the page polls every 500 ms); on a fast
    // machine the import may end first, and the summary replaces the bar (whose counts,
    // hidden then, come first in the page: hence the visible one of the two).
    const summary = page.locator('#import-result .ct-summary');
    await page
      .locator('[data-count="processed"]')
      .filter({ hasNotText: /^0$/ })
      .or(summary)
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: 30_000 });
    if (await page.locator('#import-progress').isVisible()) {
      await screenshot(page, 'contacts-import-progress');
    }

    await summary.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'contacts-import-summary');
    expect(await summary.locator('.flash-success').innerText()).toBe(
      'Importazione completata: importati 40.000, scartati 3.',
    );
    const errorRows = summary.locator('.ct-error-lines tbody tr');
    expect(await errorRows.count()).toBe(2);
    expect(await errorRows.nth(0).innerText()).toBe(
      '5\tphone: «12» non è un numero di telefono valido',
    );
    expect(await errorRows.nth(1).innerText()).toBe(
      '10\tfirstName mancante; «posta@» non è un indirizzo e-mail valido',
    );
    expect(await page.locator('#import-progress').isHidden()).toBe(true);
    // The list, its count and the recent imports refresh by themselves.
    await page.locator('#contacts-count', { hasText: 'Contatti: 40.000' }).waitFor();
    expect(await page.locator('#contacts-list tbody tr').count()).toBe(50);
    expect(await page.locator('.ct-recent li').count()).toBe(1);
    await page.getByPlaceholder('Rossi, Maria Rossi, 333 123 4567…').fill('333 000 0042');
    await page.getByRole('button', { name: 'Cerca' }).click();
    await page.waitForURL(/q=/);
    await screenshot(page, 'contacts-search');
    await page.getByRole('link', { name: 'Cognome000042 Nome42' }).click();
    await page.waitForURL(/\/contacts\/\d+$/);
    await screenshot(page, 'contacts-contact-page');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Nome42 Cognome000042');
    expect(await page.locator('.ct-phone').innerText()).toBe('+393330000042');
    expect(await page.locator('.ct-contact-grid').innerText()).toContain('C-42');
    expect(await page.locator('#history-interactions').innerText()).toContain(
      'Nessuna chiamata registrata.',
    );
  });

  it('shows a refused file and the add-one form errors', async () => {
    const campaign = await createCampaign(harness.app, { name: 'Luce Sud' });
    const status = await createStatus(harness.app, { label: 'Non risponde', color: '#d92d20' });
    await createContact(harness.app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      phone: mobile(1),
      city: 'Forlì',
      province: 'FC',
      state: 'retry',
      lastStatusId: status.id,
      lastOutcomeAt: new Date(),
    });
    await page.goto(`/campaigns/${campaign.id}/contacts`);
    await page.setInputFiles('#import-file', {
      name: 'vecchio.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('codice;data\nA-1;2026-12-01\n'),
    });
    await page.getByRole('button', { name: 'Importa' }).click();
    const refused = page.locator('#import-result .ct-failure');
    await refused.waitFor({ state: 'visible' });
    await screenshot(page, 'contacts-import-refused');
    expect(await refused.innerText()).toContain(
      'mancano le colonne obbligatorie firstName, lastName, phone',
    );
    // The refused upload's 400 is the answer this test wants, not a page problem.
    problems.splice(
      0,
      problems.length,
      ...problems.filter(
        (p) => !p.url?.includes(`/api/v1/campaigns/${campaign.id}/contacts/import`),
      ),
    );

    await page.getByLabel('Nome', { exact: true }).fill('Luca');
    await page.getByLabel('Cognome', { exact: true }).fill('Bianchi');
    await page.getByLabel('Telefono', { exact: true }).fill('02 12');
    await Promise.all([
      page.waitForURL(/contacts$/),
      page.getByRole('button', { name: 'Aggiungi' }).click(),
    ]);
    await page.waitForLoadState('load');
    await screenshot(page, 'contacts-refused-and-form-error');
    expect(await page.locator('#phone-error').isVisible()).toBe(true);
    expect(await page.getByLabel('Cognome', { exact: true }).inputValue()).toBe('Bianchi');
  });

  it('imports an Italian Excel file with its columns mapped, and keeps the mapping for the next file', async () => {
    const campaign = await createCampaign(harness.app);
    const existing = await createContact(harness.app, campaign.id, {
      firstName: 'Vecchio',
      lastName: 'Nome',
      phone: '+393331234568',
    });
    // Excel's "CSV (separated by semicolons)": Windows-1252, Italian headers, a client's own.
    const excel = Buffer.from(
      [
        'Nome;Cognome;Recapito;Cellulare;Città;CAP;Cod. cliente',
        'Nicolò;Forlì;333 1234567;347 7654321;Forlì;47121;C-1',
        'Zoë;Cantù;333 1234568;;Cantù;22063;C-2',
      ].join('\r\n') + '\r\n',
      'latin1',
    );
    await page.goto(`/campaigns/${campaign.id}/contacts`);
    await page.setInputFiles('#import-file', {
      name: 'lista-cliente.csv',
      mimeType: 'text/csv',
      buffer: excel,
    });
    const mapping = page.locator('#import-mapping');
    await mapping.waitFor({ state: 'visible' });
    expect(await mapping.locator('[data-detected]').innerText()).toContain('WINDOWS-1252');
    const select = (header: string) => mapping.getByLabel(header, { exact: true });
    expect(await select('Nome').inputValue()).toBe('firstName');
    expect(await select('Cellulare').inputValue()).toBe('phone:cellulare');
    expect(await select('Recapito').inputValue()).toBe('custom:Recapito');
    await select('Recapito').selectOption('phone');
    await select('Cod. cliente').selectOption('ignore');
    await page
      .getByLabel('Aggiorna i contatti già presenti (stesso telefono) invece di saltarli')
      .check();
    await screenshot(page, 'contacts-import-mapping');
    await page.getByRole('button', { name: 'Importa' }).click();
    await page.locator('#import-result .ct-total-ok').first().waitFor({ state: 'visible' });
    await screenshot(page, 'contacts-import-mapped-done');

    const contacts = await harness.app
      .get(DataSource)
      .getRepository(Contact)
      .find({ where: { campaignId: campaign.id }, order: { id: 'ASC' } });
    expect(contacts.map((c) => [c.firstName, c.lastName, c.phone, c.postalCode, c.fields])).toEqual(
      [
        ['Zoë', 'Cantù', '+393331234568', '22063', null],
        ['Nicolò', 'Forlì', '+393331234567', '47121', null],
      ],
    );
    expect(contacts[0]!.id).toBe(existing.id);
    expect(contacts[1]!.otherPhones).toEqual([{ number: '+393477654321', label: 'cellulare' }]);

    // The next file of this campaign starts from the columns chosen.
    await page.reload();
    await page.setInputFiles('#import-file', {
      name: 'lista-cliente-2.csv',
      mimeType: 'text/csv',
      buffer: excel,
    });
    await mapping.waitFor({ state: 'visible' });
    expect(await select('Recapito').inputValue()).toBe('phone');
    expect(await select('Cod. cliente').inputValue()).toBe('ignore');
  });

  it('recycles a list from its page: the no-answers back in the queue', async () => {
    const noAnswer = await createStatus(harness.app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
    });
    const campaign = await createCampaign(harness.app);
    const db = harness.app.get(DataSource);
    const list = await db.getRepository(ContactList).save({
      campaignId: campaign.id,
      name: 'Clienti novembre',
      sourceFile: 'novembre.csv',
      createdBy: null,
      active: true,
    });
    for (let i = 0; i < 3; i++) {
      const contact = await createContact(harness.app, campaign.id, {
        phone: mobile(900 + i),
        state: 'done',
        attempts: 3,
        lastStatusId: noAnswer.id,
        lastOutcomeAt: new Date('2026-11-01T10:00:00Z'),
      });
      await db
        .getRepository(Contact)
        .createQueryBuilder()
        .update()
        .set({ listId: list.id })
        .where({ id: contact.id })
        .execute();
    }
    await page.goto(`/campaigns/${campaign.id}/contacts`);
    await page.locator('#lists-link').click();
    await page.getByRole('link', { name: 'Clienti novembre' }).click();
    await page.waitForURL(/\/lists\/\d+$/);
    await page.getByLabel(/NR Non risponde/).check();
    await page.getByRole('button', { name: 'Ricicla' }).click();
    await page.locator('.flash', { hasText: '3 contatti rimessi in coda.' }).waitFor();
    expect(await page.locator('#list-states [data-state="retry"]').innerText()).toBe('3');
    await screenshot(page, 'contacts-list-recycled');
    expect(await db.getRepository(Contact).countBy({ listId: list.id, state: 'retry' })).toBe(3);
  });

  it('manages the do-not-call list', async () => {
    await page.goto('/do-not-call');
    await page.getByLabel('Telefono', { exact: true }).fill('333 123 4567');
    await page.getByLabel('Motivo').fill('Ha chiesto di non essere richiamato');
    await Promise.all([
      page.waitForURL(/do-not-call$/),
      page.getByRole('button', { name: 'Aggiungi' }).click(),
    ]);
    await page.setInputFiles('#dnc-file', {
      name: 'opposizioni.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('phone,reason\n3330000001,registro opposizioni\n3330000002,\nabc,\n'),
    });
    await Promise.all([
      page.waitForURL(/do-not-call$/),
      page.getByRole('button', { name: 'Importa' }).click(),
    ]);
    await page.waitForLoadState('load');
    await screenshot(page, 'do-not-call');
    expect(await page.locator('.ct-dnc-result').innerText()).toContain('aggiunti 2');
    expect(await page.locator('table').last().locator('tbody tr').count()).toBe(3);
  });
});
