import type { Locator, Page } from 'playwright-core';
import { createAgent } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';
import { Agent } from '../../src/agents/agent.entity';
import { AgentAbsence } from '../../src/agents/agent-absence.entity';
import { DataSource } from 'typeorm';

const textOf = async (locator: Locator): Promise<string> => (await locator.innerText()).trim();

describe('agents and their weeks in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  const repository = <T extends object>(entity: new () => T) =>
    harness.app.get(DataSource).getRepository(entity);

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

  it('creates an agent with a split week, a third window added by script, and an absence', async () => {
    await createAgent(harness.app, { name: 'Lucia Neri', zones: ['TO'] });
    await page.getByRole('navigation').getByText('Impostazioni').click();
    await Promise.all([
      page.waitForURL('**/agents'),
      page.getByRole('navigation').getByRole('link', { name: 'Agenti' }).click(),
    ]);
    await Promise.all([
      page.waitForURL('**/agents/new'),
      page.getByRole('link', { name: 'Nuovo agente' }).click(),
    ]);

    await page.getByLabel('Nome').fill('Marco Bianchi');
    await page.getByLabel('Zone').fill('mi, mb');
    await page.getByLabel('E-mail').fill('marco.bianchi@example.com');
    await page.getByLabel('Telefono').fill('+39 333 123 4567');
    // Monday: morning and afternoon in the two rows, then a third evening window.
    const monday = page.locator('tr[data-day="1"]');
    await monday.getByLabel('Lunedì dalle').first().fill('09:00');
    await monday.getByLabel('Lunedì alle').first().fill('13:00');
    await monday.getByLabel('Lunedì dalle').nth(1).fill('14:00');
    await monday.getByLabel('Lunedì alle').nth(1).fill('18:00');
    await monday.getByRole('button', { name: 'Aggiungi fascia' }).click();
    expect(await monday.locator('.hours-window:visible').count()).toBe(3);
    await monday.getByLabel('Lunedì dalle').nth(2).fill('20:00');
    await monday.getByLabel('Lunedì alle').nth(2).fill('22:00');
    // Friday: take the default window away with its remove button.
    const friday = page.locator('tr[data-day="5"]');
    await friday.getByRole('button', { name: 'Rimuovi fascia' }).first().click();
    expect(await friday.locator('.hours-window:visible').count()).toBe(1);

    await Promise.all([
      page.waitForURL(/\/agents\/\d+$/),
      page.getByRole('button', { name: 'Crea agente' }).click(),
    ]);
    expect(await textOf(page.locator('.flash-success'))).toBe('Agente Marco Bianchi creato.');
    const agent = await repository(Agent).findOneByOrFail({ name: 'Marco Bianchi' });
    expect(agent.zones).toEqual(['MI', 'MB']);
    expect(agent.workingHours).toEqual([
      { day: 1, start: '09:00', end: '13:00' },
      { day: 1, start: '14:00', end: '18:00' },
      { day: 1, start: '20:00', end: '22:00' },
      { day: 2, start: '09:00', end: '18:00' },
      { day: 3, start: '09:00', end: '18:00' },
      { day: 4, start: '09:00', end: '18:00' },
    ]);
    // The page shows the stored week again: three windows on Monday, none on Friday.
    expect(await page.locator('tr[data-day="1"] input[value="20:00"]').count()).toBe(1);
    expect(await page.locator('tr[data-day="5"] input[value="09:00"]').count()).toBe(0);

    await page.getByLabel('Inizio assenza').fill('2026-08-10T09:00');
    await page.getByLabel('Fine assenza (esclusa)').fill('2026-08-21T18:00');
    await page.getByLabel('Motivo').fill('Ferie estive');
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'GET' && r.request().resourceType() === 'document',
      ),
      page.getByRole('button', { name: 'Aggiungi', exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(await textOf(page.locator('.flash-success'))).toBe('Assenza aggiunta.');
    expect(await textOf(page.locator('.absence').first())).toContain(
      'lun 10/08/2026, 09:00 → ven 21/08/2026, 18:00',
    );
    const [absence] = await repository(AgentAbsence).find();
    expect(absence?.startsAt.toISOString()).toBe('2026-08-10T07:00:00.000Z');
    await screenshot(page, 'agents-agent-page');

    await page.goto('/agents');
    const row = page.locator(`tr[data-agent="${agent.id}"]`);
    expect(await textOf(row)).toContain('MI');
    expect(await textOf(row)).toContain('Mar–Gio');
    await screenshot(page, 'agents-list');
  });

  it('shows a refused week with the error beside the row', async () => {
    await page.goto('/agents/new');
    await page.getByLabel('Nome').fill('Sara');
    const tuesday = page.locator('tr[data-day="2"]');
    await tuesday.getByLabel('Martedì dalle').nth(1).fill('12:00');
    await tuesday.getByLabel('Martedì alle').nth(1).fill('19:00');
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'GET' && r.request().resourceType() === 'document',
      ),
      page.getByRole('button', { name: 'Crea agente' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/agents/new');
    const error = page.locator('tr[data-day="2"] .field-error');
    expect(await textOf(error)).toBe("Questa fascia si sovrappone a un'altra dello stesso giorno.");
    expect(await tuesday.getByLabel('Martedì dalle').nth(1).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await tuesday.getByLabel('Martedì dalle').nth(1).inputValue()).toBe('12:00');
    await screenshot(page, 'agents-form-errors');
  });
});
