import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { createUser, type TestUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

/** A row of the audit table as the admin reads it: when, who, action, record, what changed. */
interface Row {
  who: string;
  action: string;
  record: string;
  what: string;
}

describe('the audit trail in a browser: an admin finds who changed a role and who failed to sign in', () => {
  let harness: BrowserHarness;
  const problems: PageProblem[][] = [];
  let admin: TestUser;

  async function newPage(): Promise<Page> {
    const opened = await harness.newPage();
    problems.push(opened.problems);
    return opened.page;
  }
  const rows = async (page: Page): Promise<Row[]> => {
    const found: Row[] = [];
    for (const tr of await page.locator('#audit-lines tbody tr[data-action]').all()) {
      const [, who, action, record, what] = (await tr.locator('td').allInnerTexts()).map((t) =>
        t.trim(),
      );
      found.push({ who: who!, action: action!, record: record!, what: what! });
    }
    return found;
  };

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    problems.length = 0;
    admin = await createUser(harness.app, {
      role: 'admin',
      displayName: 'Anna Amministratrice',
      password: 'admin-pass-12345',
    });
  });
  afterEach(() => expect(problems.flat()).toEqual([]));
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('shows the failed sign-in and the role change with before -> after, filters them and downloads the file', async () => {
    const marco = await createUser(harness.app, {
      role: 'operator',
      displayName: 'Marco Operatore',
      username: 'marco.operatore',
    });

    // Somebody tries the admin's account with a wrong password.
    const stranger = await newPage();
    await stranger.goto('/login');
    await stranger.getByLabel(/^(Nome utente|Username)$/).fill(admin.username);
    await stranger.getByLabel(/^Password$/).fill('indovina-123');
    await stranger.locator('form[action="/login"] button[type="submit"]').click();
    await stranger.locator('.flash-error').waitFor();
    expect(new URL(stranger.url()).pathname).toBe('/login');

    // The admin signs in and makes Marco a coordinator on his page.
    const page = await newPage();
    await signIn(page, admin);
    await page.goto(`/users/${marco.id}/edit`);
    await page.getByLabel('Ruolo').selectOption('coordinator');
    await Promise.all([
      page.waitForURL((url) => !url.pathname.endsWith('/edit')),
      page.getByRole('button', { name: 'Salva modifiche' }).click(),
    ]);

    // The trail is under Settings, for admins.
    await page.locator('summary', { hasText: 'Impostazioni' }).click();
    await Promise.all([
      page.waitForURL('**/audit'),
      page.getByRole('link', { name: 'Registro attività' }).click(),
    ]);
    const all = await rows(page);
    const roleChange = all.find((r) => r.action === 'user.updated');
    expect(roleChange).toEqual({
      who: `Anna Amministratrice (${admin.username})`,
      action: 'user.updated',
      record: `user #${marco.id}`,
      what: expect.stringContaining('role: operator → coordinator'),
    });
    const failed = all.find((r) => r.action === 'auth.sign_in_failed');
    expect(failed).toMatchObject({ who: 'sistema', record: `user #${admin.id}` });
    expect(failed!.what).toContain(`username: ${admin.username}`);
    expect(failed!.what).not.toContain('indovina');
    // Newest first: the role change came after the admin's own sign-in.
    const order = all.map((r) => r.action);
    expect(order.indexOf('user.updated')).toBeLessThan(order.indexOf('auth.signed_in'));
    await screenshot(page, 'audit-page');

    // Only the sign-ins, by the filter form; the address keeps the filter.
    await page.getByLabel('Azione').fill('auth');
    await Promise.all([
      page.waitForURL('**/audit?**'),
      page.getByRole('button', { name: 'Filtra' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('action')).toBe('auth');
    const signIns = await rows(page);
    expect(signIns.map((r) => r.action).sort()).toEqual(['auth.sign_in_failed', 'auth.signed_in']);
    expect(await page.getByLabel('Azione').inputValue()).toBe('auth');
    await screenshot(page, 'audit-page-filtered');

    // The file holds what the page shows, in the Italian Excel dialect.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#audit-download').click(),
    ]);
    const file = readFileSync(await download.path(), 'utf8');
    expect(file.charCodeAt(0)).toBe(0xfeff);
    const lines = file.slice(1).trim().split(/\r?\n/);
    expect(lines).toHaveLength(3);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(';')[2])
        .sort(),
    ).toEqual(['auth.sign_in_failed', 'auth.signed_in']);

    // The download is itself a line, with who took it.
    await page.goto('/audit?action=export');
    const [downloaded] = await rows(page);
    expect(downloaded).toMatchObject({
      who: `Anna Amministratrice (${admin.username})`,
      action: 'export.downloaded',
    });
  });

  it('is not in the menu of other roles, and its address answers 403', async () => {
    const coordinator = await createUser(harness.app, {
      role: 'coordinator',
      password: 'coordinator-pass-123',
    });
    const page = await newPage();
    await signIn(page, coordinator);
    expect(await page.locator('a[href="/audit"]').count()).toBe(0);
    const response = await page.goto('/audit');
    expect(response!.status()).toBe(403);
  });
});
