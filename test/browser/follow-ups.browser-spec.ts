import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

describe('proactive calls and follow-ups in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('shows the eligibility checklist of a proactive contact on the operator page', async () => {
    const app = harness.app;
    const operator = await createUser(app, {
      role: 'operator',
      languages: ['it'],
      password: 'operator-pass-123',
    });
    const status = await createStatus(app, { code: 'OK', label: 'Avvisato', type: 'N' });
    const campaign = await createCampaign(
      app,
      {},
      { statusIds: [status.id], operatorIds: [operator.id] },
    );
    await app
      .get(DataSource)
      .getRepository(Campaign)
      .update(
        { id: campaign.id },
        {
          eligibility: {
            requireConsent: true,
            matchLanguage: true,
            allowedReasons: ['voicemail'],
            maxConcurrent: 2,
            respectPreferredChannel: true,
          },
        },
      );
    await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      consent: true,
      language: 'it',
      callReason: 'voicemail',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.locator('#work-next').click();
    const checklist = page.locator('#work-eligibility');
    await checklist.waitFor();
    await expect(checklist.locator('li[data-ok="true"]').count()).resolves.toBe(5);
    expect(await checklist.innerText()).toContain('Il cliente ha dato il consenso');
    await screenshot(page, 'eligibility-checklist');
  });

  it("edits a campaign's call rules from its page, a refused limit shown beside its field", async () => {
    const admin = await createUser(harness.app, { role: 'admin', password: 'admin-pass-1234' });
    const campaign = await createCampaign(harness.app, { code: 'GUASTO', name: 'Guasto rete' });
    await signIn(page, admin);
    await page.goto(`/campaigns/${campaign.id}`);
    await page.getByRole('link', { name: 'Regole di chiamata' }).click();
    await page.locator('#eligibility-form').waitFor();
    await page.getByLabel('Chiama solo i clienti che hanno dato il consenso').check();
    await page.getByLabel('Rispetta il canale preferito').check();
    await page.locator('#allowedReasons').fill('outage\nvoicemail');
    await page.locator('#maxConcurrent').fill('0');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#maxConcurrent-error').waitFor();
    expect(await page.locator('#maxConcurrent-error').innerText()).toBe(
      'Un numero intero da 1 a 20, oppure vuoto.',
    );
    expect(await page.locator('#allowedReasons').inputValue()).toBe('outage\nvoicemail');
    await screenshot(page, 'eligibility-rules-refused');
    await page.locator('#maxConcurrent').fill('2');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('.flash-success').waitFor();
    expect(await page.locator('#requireConsent').isChecked()).toBe(true);
    expect(await page.locator('#maxConcurrent').inputValue()).toBe('2');
    await screenshot(page, 'eligibility-rules');
    // The refused save answered 400 on purpose.
    problems.splice(
      0,
      problems.length,
      ...problems.filter((p) => !p.url?.endsWith('/eligibility')),
    );
  });

  it('previews a follow-up template with a sample contact and shows a refusal with its line', async () => {
    const admin = await createUser(harness.app, { role: 'admin', password: 'admin-pass-1234' });
    await createStatus(harness.app, { code: 'HUP', label: 'Ha riattaccato', type: 'N' });
    await signIn(page, admin);
    await page.goto('/follow-ups/templates/new');
    await page.locator('#subject').fill('Ci scusi, {{contact.firstName}}');
    await page
      .locator('#body')
      .fill(
        'Gentile {{contact.firstName}} {{contact.lastName}},\nci scusiamo per la chiamata interrotta.\n{{operator.name}}',
      );
    await page.locator('#preview-button').click();
    await page.locator('#preview-mail:not([hidden])').waitFor();
    expect(await page.locator('#preview-subject').innerText()).toBe('Ci scusi, Mario');
    expect(await page.locator('#preview-text').innerText()).toContain('Gentile Mario Rossi');
    await screenshot(page, 'follow-up-template-preview');

    await page.locator('#body').fill('Gentile\n{{contact.nome}}');
    await page.locator('#preview-button').click();
    await page.locator('#preview-error:not([hidden])').waitFor();
    expect(await page.locator('#preview-error').innerText()).toMatch(
      /line 2: \{\{contact\.nome\}\}/,
    );
    await screenshot(page, 'follow-up-template-refused');
    // The server refuses it on save as well, under the field.
    await page.locator('#statusId').selectOption({ label: 'HUP · Ha riattaccato (N)' });
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#body-error').waitFor();
    expect(await page.locator('#body-error').innerText()).toMatch(/line 2/);
    await screenshot(page, 'follow-up-template-save-refused');
    // The preview's 400s (the click, and again when the refused form comes back) are the point.
    const expected = problems.filter((p) => p.url?.endsWith('/api/v1/follow-up-templates/preview'));
    expect(expected.length).toBeGreaterThan(0);
    problems.splice(0, problems.length, ...problems.filter((p) => !expected.includes(p)));
  });
});
