import type { Locator, Page } from 'playwright-core';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

/** The visible text of the one element a locator finds (waits for it to appear). */
const textOf = async (locator: Locator): Promise<string> => (await locator.innerText()).trim();
const pathOf = (page: Page): string => new URL(page.url()).pathname;

describe('signing in and managing users in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  const heading = () => page.getByRole('heading', { level: 1 });

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
  });
  afterEach(() => {
    // CSP violations, script errors and missing assets all end up here.
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('shows the Italian login page with a CSRF token in the form', async () => {
    const response = await page.goto('/login');
    expect(response?.status()).toBe(200);
    await screenshot(page, 'login');

    expect(await textOf(heading())).toBe('Accedi a Esito CRM');
    const csrf = page.locator('form[action="/login"] input[type="hidden"][name="_csrf"]');
    expect(await csrf.count()).toBe(1);
    expect(await csrf.inputValue()).toMatch(/^\S{16,}$/);
    // The stylesheet really applied (a CSP block or a 404 on it would leave the page bare).
    const background = await page.evaluate<string>(
      'getComputedStyle(document.documentElement).backgroundColor',
    );
    expect(background).toBe('rgb(243, 245, 248)');
  });

  it('keeps the username and clears the password after a wrong password', async () => {
    const user = await createUser(harness.app, { username: 'giulia.verdi' });
    await page.goto('/login');
    await page.getByLabel('Nome utente').fill(user.username);
    await page.getByLabel('Password').fill('not-the-password');
    // The refused sign-in answers 303 back to the login page; wait for that page itself.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.waitForResponse(
        (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/login',
      ),
      page.getByRole('button', { name: 'Accedi' }).click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForLoadState('load');
    await screenshot(page, 'login-wrong-password');

    expect(pathOf(page)).toBe('/login');
    const flash = page.locator('.flash-error');
    expect(await flash.isVisible()).toBe(true);
    expect(await textOf(flash)).toBe('Nome utente o password errati, oppure account disattivato.');
    expect(await textOf(heading())).toBe('Accedi a Esito CRM');
    expect(await page.getByLabel('Nome utente').inputValue()).toBe('giulia.verdi');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
  });

  it('lets an admin sign in, list users and create one through the form', async () => {
    const admin = await createUser(harness.app, {
      role: 'admin',
      displayName: 'Anna Amministratrice',
    });
    await signIn(page, admin);

    expect(pathOf(page)).toBe('/');
    expect(await textOf(page.locator('.topbar .user-name'))).toBe('Anna Amministratrice');
    expect(await textOf(heading())).toContain('Anna Amministratrice');
    const usersLink = page.getByRole('navigation').getByRole('link', { name: 'Utenti' });
    // Users is a settings page: its link is in the settings menu, closed until opened.
    expect(await usersLink.count()).toBe(0);
    await screenshot(page, 'home-admin');
    await page.getByRole('navigation').getByText('Impostazioni').click();
    expect(await usersLink.getAttribute('href')).toBe('/users');
    await screenshot(page, 'home-admin-settings-menu');
    await Promise.all([page.waitForURL('**/users'), usersLink.click()]);
    expect(await textOf(heading())).toBe('Utenti');
    const table = page.getByRole('table');
    expect(await table.isVisible()).toBe(true);
    expect(await table.getByRole('row').filter({ hasText: admin.username }).count()).toBe(1);
    await screenshot(page, 'users-list');

    await Promise.all([
      page.waitForURL('**/users/new'),
      page.getByRole('link', { name: 'Nuovo utente' }).click(),
    ]);
    // Submitted empty: back on the form with a message under each missing field.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith('/users/new')),
      page.getByRole('button', { name: 'Crea utente' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(pathOf(page)).toBe('/users/new');
    // One pointer at the top, and the reasons, in Italian, beside each field.
    expect(await textOf(page.locator('.flash-error'))).toBe(
      'Alcuni campi non sono validi: controlla i messaggi accanto ai campi.',
    );
    for (const field of ['username', 'displayName', 'password']) {
      expect(await textOf(page.locator(`#${field}-error`))).toBe('Campo obbligatorio.');
    }
    await screenshot(page, 'users-new-errors');

    await page.getByLabel('Nome utente').fill('mario.rossi');
    await page.getByLabel('Nome visualizzato').fill('Mario Rossi');
    await page.getByLabel('Ruolo').selectOption('operator');
    await page.getByLabel('Password iniziale').fill('una-password-sicura');
    await page.getByRole('checkbox', { name: 'Italiano' }).check();
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/users'),
      page.getByRole('button', { name: 'Crea utente' }).click(),
    ]);
    expect(await textOf(page.locator('.flash-success'))).toBe('Utente mario.rossi creato.');
    const row = page.getByRole('row').filter({ hasText: 'mario.rossi' });
    expect(await row.count()).toBe(1);
    expect(await textOf(row)).toContain('Mario Rossi');
    expect(await textOf(row)).toContain('Operatore');
    await screenshot(page, 'users-created');
  });

  it('keeps what the admin typed and chose when the new-user form is refused', async () => {
    const admin = await createUser(harness.app, { role: 'admin' });
    await signIn(page, admin);
    await page.goto('/users/new');
    await page.getByLabel('Nome visualizzato').fill('Bruno Bianchi');
    await page.getByLabel('Ruolo').selectOption('backoffice');
    await page.getByRole('checkbox', { name: 'English' }).check();
    await page.getByLabel('Lingua interfaccia').selectOption('en');
    await page.getByLabel('Password iniziale').fill('short');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith('/users/new')),
      page.getByRole('button', { name: 'Crea utente' }).click(),
    ]);
    await page.waitForLoadState('load');

    expect(pathOf(page)).toBe('/users/new');
    expect(await page.getByLabel('Nome utente').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Password iniziale').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Nome visualizzato').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Nome visualizzato').inputValue()).toBe('Bruno Bianchi');
    expect(await page.getByLabel('Ruolo').inputValue()).toBe('backoffice');
    expect(await page.getByRole('checkbox', { name: 'English' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Italiano' }).isChecked()).toBe(false);
    expect(await page.getByLabel('Lingua interfaccia').inputValue()).toBe('en');
    // A password is never sent back to the browser.
    expect(await page.getByLabel('Password iniziale').inputValue()).toBe('');
  });

  it('speaks English to a user whose interface language is English', async () => {
    const user = await createUser(harness.app, {
      role: 'coordinator',
      displayName: 'Cora English',
      uiLanguage: 'en',
    });
    await signIn(page, user);

    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    // A coordinator starts at the wall; the home page greets them by name.
    expect(pathOf(page)).toBe('/monitor');
    await page.goto('/');
    expect(await textOf(heading())).toContain('Cora English');
    await screenshot(page, 'home-english');
  });

  it('shows an operator the 403 page on /users', async () => {
    const operator = await createUser(harness.app, { role: 'operator', displayName: 'Olga Op' });
    await signIn(page, operator);
    // Not in the bar nor in a closed menu: nowhere on the page.
    expect(await page.locator('a[href="/users"]').count()).toBe(0);

    const response = await page.goto('/users');
    expect(response?.status()).toBe(403);
    expect(await textOf(page.locator('.error-code'))).toBe('403');
    expect(await textOf(heading())).toBe('Accesso negato');
    // Still signed in: the header with the operator's name stays.
    expect(await textOf(page.locator('.topbar .user-name'))).toBe('Olga Op');
    expect(await textOf(page.locator('main'))).toContain(
      'Il tuo ruolo non consente di aprire questa pagina.',
    );
    await screenshot(page, 'users-forbidden-operator');
  });

  it('signs out to the login page, after which / sends back to sign in', async () => {
    const user = await createUser(harness.app, { role: 'backoffice' });
    await signIn(page, user);

    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      page.getByRole('button', { name: 'Esci' }).click(),
    ]);
    expect(await textOf(heading())).toBe('Accedi a Esito CRM');

    await page.goto('/');
    expect(pathOf(page)).toBe('/login');
    expect(await page.locator('input[name="next"]').inputValue()).toBe('/');
    await screenshot(page, 'login-after-sign-out');
  });

  // On a shared workstation the Back button after signing out must not show the previous
  // user's page from the browser's cache.
  it('does not show a signed-out page again with the Back button', async () => {
    const user = await createUser(harness.app, { role: 'backoffice', displayName: 'Bea Back' });
    await signIn(page, user);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      page.getByRole('button', { name: 'Esci' }).click(),
    ]);

    await page.goBack();
    expect(await textOf(page.locator('body'))).not.toContain('Bea Back');
  });

  it('shows the 404 page for an unknown address', async () => {
    const user = await createUser(harness.app, { role: 'operator' });
    await signIn(page, user);

    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    expect(await textOf(page.locator('.error-code'))).toBe('404');
    expect(await textOf(heading())).toBe('Pagina non trovata');
    expect(await textOf(page.locator('main'))).toContain(
      'La pagina cercata non esiste o è stata spostata.',
    );
    expect(await textOf(page.locator('main'))).not.toContain('Cannot GET');
    expect(await page.getByRole('link', { name: 'Torna alla home' }).getAttribute('href')).toBe(
      '/',
    );
    await screenshot(page, 'not-found');
  });

  // An address no route matches still knows who is signed in (menu, name, sign-out).
  it('keeps the signed-in header on the 404 page', async () => {
    const user = await createUser(harness.app, { role: 'operator', displayName: 'Nico Op' });
    await signIn(page, user);

    await page.goto('/no/such/page');
    expect(await page.locator('.topbar .user-name').count()).toBe(1);
  });
});
