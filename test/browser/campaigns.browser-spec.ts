import type { Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { createAgent, createProduct, createStatus } from '../factories/catalogue.factory';
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

const textOf = async (locator: Locator): Promise<string> => (await locator.innerText()).trim();
const pathOf = (page: Page): string => new URL(page.url()).pathname;

describe('building a campaign workflow in the browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  const heading = () => page.getByRole('heading', { level: 1 });
  const steps = () => page.locator('[data-workflow] [data-step]');

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
    const app = harness.app;
    await createStatus(app, {
      code: 'RICH',
      label: 'Richiamare',
      type: 'R',
      color: '#F79009',
      quick: true,
      quickOrder: 1,
    });
    await createStatus(app, {
      code: 'NORISP',
      label: 'Non risponde',
      type: 'N',
      color: '#667085',
      quick: true,
      quickOrder: 2,
    });
    await createStatus(app, { code: 'VENDUTO', label: 'Venduto', type: 'C', color: '#12B76A' });
    await createStatus(app, { code: 'APP', label: 'Appuntamento', type: 'T', color: '#7A5AF8' });
    await createProduct(app, { code: 'FIBRA100', name: 'Fibra 100 Mega' });
    await createAgent(app, { name: 'Marco Agente', zones: ['MI', 'MB'] });
    await createUser(app, { role: 'operator', displayName: 'Olga Operatrice' });
    await createUser(app, { role: 'operator', displayName: 'Omar Operatore' });
  });
  afterEach(() => {
    // CSP violations, script errors and missing assets all end up here.
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('lets an admin build a workflow with a live preview, save it and see the campaign', async () => {
    const admin = await createUser(harness.app, { role: 'admin', displayName: 'Anna Admin' });
    await signIn(page, admin);
    await Promise.all([
      page.waitForURL('**/campaigns'),
      page.getByRole('navigation').getByRole('link', { name: 'Campagne' }).click(),
    ]);
    expect(await textOf(heading())).toBe('Campagne');
    expect(await textOf(page.locator('main'))).toContain('Nessuna campagna');
    await Promise.all([
      page.waitForURL('**/campaigns/new'),
      page.getByRole('link', { name: 'Nuova campagna' }).click(),
    ]);

    // The editor replaced the spare rows: an empty workflow and buttons to add steps.
    expect(await steps().count()).toBe(0);
    expect(await page.getByText('Nessun passo.').isVisible()).toBe(true);
    expect(await page.getByText('Senza JavaScript').isVisible()).toBe(false);

    await page.getByLabel('Codice').fill('FIBRA_2026');
    await page.getByLabel('Nome', { exact: true }).fill('Fibra casa 2026');
    expect(await page.getByLabel('Fuso orario').inputValue()).toBe('Europe/Rome');
    // Two windows Monday to Friday (a lunch break), Saturday morning only
    for (const day of ['Lun', 'Mar', 'Mer', 'Gio', 'Ven']) {
      await page.getByLabel(`${day} Mattina Dalle`, { exact: true }).fill('09:00');
      await page.getByLabel(`${day} Mattina Alle`, { exact: true }).fill('13:00');
      await page.getByLabel(`${day} Pomeriggio Dalle`, { exact: true }).fill('14:00');
      await page.getByLabel(`${day} Pomeriggio Alle`, { exact: true }).fill('20:30');
    }
    await page.getByLabel('Sab Mattina Dalle', { exact: true }).fill('09:00');
    await page.getByLabel('Sab Mattina Alle', { exact: true }).fill('12:00');
    await page.getByLabel('Giorni di chiusura').fill('2026-12-07\n2026-12-24');
    await page.locator('.cmp-week').scrollIntoViewIfNeeded();
    await screenshot(page, 'campaigns-hours');
    for (const code of ['RICH', 'NORISP', 'VENDUTO'])
      await page.locator('label.cmp-check-row', { hasText: code }).locator('input').check();
    await page
      .locator('label.cmp-check-row', { hasText: 'Olga Operatrice' })
      .locator('input')
      .check();
    await page.locator('label.cmp-check-row', { hasText: 'FIBRA100' }).locator('input').check();

    // A script with placeholders, previewed live with Mario Rossi.
    await page.getByRole('button', { name: '+ Script' }).click();
    const script = steps().nth(0);
    expect(await textOf(script.locator('[data-step-number]'))).toBe('1');
    await script.getByLabel('Titolo').fill('Presentazione');
    await script
      .getByLabel('Testo')
      .fill(
        'Buongiorno {{contact.firstName}} {{contact.lastName}}, sono {{operator.name}} di Esito Telecomunicazioni.\n' +
          'La chiamo per la nuova offerta Fibra disponibile a {{contact.city}}.',
      );
    const preview = script.locator('[data-preview]');
    await preview.filter({ hasText: 'Buongiorno Mario Rossi' }).waitFor();
    expect(await textOf(preview)).toBe(
      'Buongiorno Mario Rossi, sono Anna Admin di Esito Telecomunicazioni.\nLa chiamo per la nuova offerta Fibra disponibile a Milano.',
    );

    // A mistake in the script shows in the preview, not as a broken page.
    await script.getByLabel('Testo').fill('Buongiorno {{{contact.firstName}}}');
    await preview.locator('.wf-preview-error').waitFor();
    expect(await textOf(preview)).toContain('Lo script non è valido:');
    expect(await textOf(preview)).toContain('{{{ }}} and {{& }} are not allowed');
    await screenshot(page, 'campaigns-editor-script-error');
    // The API's 400 for that script is expected (Chromium logs it too); nothing else went wrong.
    const refusedPreviews = problems.filter((p) =>
      p.url?.endsWith('/api/v1/campaigns/script-preview'),
    );
    expect(refusedPreviews.length).toBeGreaterThan(0);
    expect(refusedPreviews.every((p) => p.text.includes('400'))).toBe(true);
    problems.splice(0, problems.length, ...problems.filter((p) => !refusedPreviews.includes(p)));
    await script
      .getByLabel('Testo')
      .fill('Buongiorno {{contact.firstName}} {{contact.lastName}}, sono {{operator.name}}.');
    await preview.filter({ hasText: 'Buongiorno Mario Rossi, sono Anna Admin.' }).waitFor();

    // A question with its answers, one per line.
    await page.getByRole('button', { name: '+ Domanda' }).click();
    const question = steps().nth(1);
    await question.getByLabel('Titolo').fill('Fornitore attuale');
    await question.getByLabel('Testo').fill('Con quale operatore è oggi?');
    expect(await question.getByLabel('Risposte possibili').isVisible()).toBe(true);
    expect(await script.getByLabel('Risposte possibili').isVisible()).toBe(false);
    await question.getByLabel('Risposte possibili').fill('TIM\nVodafone\nAltro');
    await question.getByLabel('Obbligatorio').check();

    // Notes added, moved above the question, then removed again.
    await page.getByRole('button', { name: '+ Note' }).click();
    const notes = steps().nth(2);
    await notes.getByLabel('Titolo').fill('Da togliere');
    await notes.getByRole('button', { name: 'Sposta su' }).click();
    expect(await textOf(steps().nth(1).locator('[data-step-number]'))).toBe('2');
    expect(await steps().nth(1).getByLabel('Titolo').inputValue()).toBe('Da togliere');
    await steps().nth(1).getByRole('button', { name: 'Rimuovi' }).click();
    expect(await steps().count()).toBe(2);
    expect(await steps().nth(1).getByLabel('Titolo').inputValue()).toBe('Fornitore attuale');

    // The outcome step; only one can be added.
    await page.getByRole('button', { name: '+ Esito' }).click();
    await steps().nth(2).getByLabel('Titolo').fill('Esito della chiamata');
    expect(await page.getByRole('button', { name: '+ Esito' }).isDisabled()).toBe(true);
    expect(await steps().nth(0).getByRole('button', { name: 'Sposta su' }).isDisabled()).toBe(true);
    expect(await steps().nth(2).getByRole('button', { name: 'Sposta giù' }).isDisabled()).toBe(
      true,
    );
    await screenshot(page, 'campaigns-editor');

    await Promise.all([
      page.waitForURL(/\/campaigns\/\d+$/),
      page.getByRole('button', { name: 'Salva campagna' }).last().click(),
    ]);
    expect(await textOf(page.locator('.flash-success'))).toBe('Campagna FIBRA_2026 creata.');
    expect(await textOf(heading())).toContain('Fibra casa 2026');
    expect(await textOf(heading())).toContain('Attiva');
    const workflow = page.locator('.wf-list-readonly > li');
    expect(await workflow.count()).toBe(3);
    expect(await textOf(workflow.nth(0).locator('.wf-script-preview'))).toBe(
      'Buongiorno Mario Rossi, sono Anna Admin.',
    );
    expect(await textOf(workflow.nth(1))).toContain('TIM');
    expect(await textOf(workflow.nth(2))).toContain('Esito della chiamata');
    expect(
      await page.getByRole('link', { name: /Contatti della campagna/ }).getAttribute('href'),
    ).toMatch(/^\/campaigns\/\d+\/contacts$/);
    await screenshot(page, 'campaigns-detail');

    const campaign = await harness.app
      .get(DataSource)
      .getRepository(Campaign)
      .findOneByOrFail({ code: 'FIBRA_2026' });
    expect(campaign.callingHours).toEqual([
      ...[1, 2, 3, 4, 5].flatMap((day) => [
        { day, start: '09:00', end: '13:00' },
        { day, start: '14:00', end: '20:30' },
      ]),
      { day: 6, start: '09:00', end: '12:00' },
    ]);
    expect(campaign).toMatchObject({ holidays: 'IT', closedDates: ['2026-12-07', '2026-12-24'] });
    const stored = await harness.app
      .get(DataSource)
      .getRepository(CampaignStep)
      .find({ where: { campaignId: campaign.id }, order: { position: 'ASC' } });
    expect(stored.map((s) => [s.kind, s.title, s.choices, s.required])).toEqual([
      ['script', 'Presentazione', null, false],
      ['question', 'Fornitore attuale', ['TIM', 'Vodafone', 'Altro'], true],
      ['outcome', 'Esito della chiamata', null, true],
    ]);

    // Pause from the detail page, then see it in the list.
    await Promise.all([
      page.waitForURL(/\/campaigns\/\d+$/),
      page.getByRole('button', { name: 'Metti in pausa' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(await textOf(heading())).toContain('In pausa');
    await page.goto('/campaigns');
    const row = page.getByRole('row').filter({ hasText: 'FIBRA_2026' });
    expect(await textOf(row)).toContain('In pausa');
    await screenshot(page, 'campaigns-list');
  });

  it('keeps the workflow typed in the editor when the save is refused, and edits it', async () => {
    const admin = await createUser(harness.app, { role: 'admin', displayName: 'Anna Admin' });
    await signIn(page, admin);
    await page.goto('/campaigns/new');
    await page.getByLabel('Codice').fill('SENZA_ESITO');
    await page.getByLabel('Nome', { exact: true }).fill('Senza esito');
    await page.locator('label.cmp-check-row', { hasText: 'RICH' }).locator('input').check();
    await page.getByRole('button', { name: '+ Script' }).click();
    await steps().nth(0).getByLabel('Titolo').fill('Saluto');
    await steps().nth(0).getByLabel('Testo').fill('Ciao {{contact.firstName}}');
    await page.getByRole('button', { name: '+ Domanda' }).click();
    await steps().nth(1).getByLabel('Titolo').fill('Interessato?');
    await steps().nth(1).getByLabel('Risposte possibili').fill('Sì\nNo');
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/campaigns'),
      ),
      page.getByRole('button', { name: 'Salva campagna' }).last().click(),
    ]);
    await page.waitForLoadState('load');
    expect(pathOf(page)).toBe('/campaigns/new');
    expect(await textOf(page.locator('#steps-error'))).toBe(
      'Il workflow deve avere esattamente un passo di esito (ora ne ha 0).',
    );
    // The editor came back with the two steps and no spare rows.
    expect(await steps().count()).toBe(2);
    expect(await steps().nth(0).getByLabel('Testo').inputValue()).toBe(
      'Ciao {{contact.firstName}}',
    );
    expect(await steps().nth(1).getByLabel('Risposte possibili').inputValue()).toBe('Sì\nNo');
    expect(await page.getByLabel('Codice').inputValue()).toBe('SENZA_ESITO');
    expect(
      await page.locator('label.cmp-check-row', { hasText: 'RICH' }).locator('input').isChecked(),
    ).toBe(true);
    await steps().nth(0).locator('[data-preview]').filter({ hasText: 'Ciao Mario' }).waitFor();
    await screenshot(page, 'campaigns-new-refused');

    await page.getByRole('button', { name: '+ Esito' }).click();
    await steps().nth(2).getByLabel('Titolo').fill('Esito');
    await Promise.all([
      page.waitForURL(/\/campaigns\/\d+$/),
      page.getByRole('button', { name: 'Salva campagna' }).last().click(),
    ]);
    await Promise.all([
      page.waitForURL(/\/campaigns\/\d+\/edit$/),
      page.getByRole('link', { name: 'Modifica' }).click(),
    ]);
    expect(await steps().count()).toBe(3);
    expect(await textOf(heading())).toContain('SENZA_ESITO');
    // Move the question first and save.
    await steps().nth(1).getByRole('button', { name: 'Sposta su' }).click();
    await screenshot(page, 'campaigns-edit');
    await Promise.all([
      page.waitForURL(/\/campaigns\/\d+$/),
      page.getByRole('button', { name: 'Salva campagna' }).first().click(),
    ]);
    expect(await textOf(page.locator('.flash-success'))).toBe('Campagna SENZA_ESITO salvata.');
    const titles = await page.locator('.wf-list-readonly .wf-heading').allInnerTexts();
    expect(titles).toEqual(['Interessato?', 'Saluto', 'Esito']);
  });

  it('works without scripts: spare rows with order numbers', async () => {
    const admin = await createUser(harness.app, { role: 'admin', displayName: 'Anna Admin' });
    const context = await harness.browser.newContext({
      baseURL: harness.baseUrl,
      viewport: VIEWPORT,
      javaScriptEnabled: false,
    });
    try {
      const plain = await context.newPage();
      await signIn(plain, admin);
      await plain.goto('/campaigns/new');
      const rows = plain.locator('[data-workflow] [data-step]');
      expect(await rows.count()).toBe(3);
      expect(await plain.getByText('Senza JavaScript').isVisible()).toBe(true);
      expect(await plain.getByRole('button', { name: '+ Script' }).isVisible()).toBe(false);
      await plain.getByLabel('Codice').fill('SENZA_JS');
      await plain.getByLabel('Nome', { exact: true }).fill('Senza JavaScript');
      await plain.locator('label.cmp-check-row', { hasText: 'NORISP' }).locator('input').check();
      // Typed in the "wrong" order, put right by the order numbers.
      await rows.nth(0).getByLabel('N. ordine').fill('2');
      await rows.nth(0).getByLabel('Tipo').selectOption('outcome');
      await rows.nth(0).getByLabel('Titolo').fill('Esito');
      await rows.nth(1).getByLabel('N. ordine').fill('1');
      await rows.nth(1).getByLabel('Tipo').selectOption('script');
      await rows.nth(1).getByLabel('Titolo').fill('Saluto');
      await rows.nth(1).getByLabel('Testo').fill('Buongiorno {{contact.firstName}}');
      await screenshot(plain, 'campaigns-new-without-js');
      await Promise.all([
        plain.waitForURL(/\/campaigns\/\d+$/),
        plain.getByRole('button', { name: 'Salva campagna' }).last().click(),
      ]);
      const titles = await plain.locator('.wf-list-readonly .wf-heading').allInnerTexts();
      expect(titles).toEqual(['Saluto', 'Esito']);
      expect(await textOf(plain.locator('.wf-script-preview'))).toBe('Buongiorno Mario');
    } finally {
      await context.close();
    }
  });
});
