import type { Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Contact } from '../../src/contacts/contact.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

describe('screen-pop on the workstation, in a browser', () => {
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

  it('a call ringing on the operator’s extension pops the contact without a reload; an unknown number opens the new-contact form', async () => {
    const app = harness.app;
    const operator = await createUser(app, { role: 'operator', displayName: 'Giulia' });
    await app
      .get(DataSource)
      .query('UPDATE users SET extension = ? WHERE id = ?', ['201', operator.id]);
    const pbx = await tokenFor(app, await createUser(app, { role: 'integration' }));
    const status = await createStatus(app, { code: 'NI', type: 'N', quick: true, quickOrder: 1 });
    const campaign = await createCampaign(
      app,
      { name: 'Assistenza Luce' },
      { statusIds: [status.id], operatorIds: [operator.id] },
    );
    await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      phone: '+393331234567',
    });
    const ring = (phone: string, type = 'call.ringing') =>
      request(app.getHttpServer())
        .post('/api/v1/cti/events')
        .set({ Authorization: `Bearer ${pbx}` })
        .send({ type, extension: '201', phone, callId: `pbx-${phone}` })
        .expect(202);

    await signIn(page, operator);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/cti/stream')),
      page.goto('/work'),
    ]);
    // The stream starts from the newest event once connected.
    await page.waitForTimeout(600);
    const pop = page.locator('#screen-pop');
    expect(await pop.isVisible()).toBe(false);

    await ring('333 123 4567');
    await page.locator('#screen-pop-title', { hasText: 'Maria Rossi' }).waitFor();
    expect(await page.locator('#screen-pop-title').innerText()).toBe(
      'Chiamata in arrivo: Maria Rossi',
    );
    expect(await pop.getByRole('link', { name: '+393331234567' }).getAttribute('href')).toBe(
      'tel:+393331234567',
    );
    const contact = await app
      .get(DataSource)
      .getRepository(Contact)
      .findOneByOrFail({ phone: '+393331234567' });
    await screenshot(page, 'cti-screen-pop');
    // "Open" takes the caller onto this workstation, as next would deal it.
    await Promise.all([
      page.waitForURL('**/work'),
      pop.getByRole('button', { name: 'Apri la scheda' }).click(),
    ]);
    await page.locator('#work-contact-name', { hasText: 'Maria Rossi' }).waitFor();
    await screenshot(page, 'cti-screen-pop-taken');
    const lease = await app
      .get(DataSource)
      .getRepository(ContactLease)
      .findOneByOrFail({ userId: operator.id });
    expect(lease.contactId).toBe(contact.id);
    // Given its outcome (quick key 1), the workstation is free for the next call.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/cti/stream')),
      (async () => {
        await page.keyboard.press('1');
        await page.locator('#work-result').waitFor({ state: 'visible' });
        await page.goto('/work');
      })(),
    ]);
    await page.waitForTimeout(600);

    await ring('+39 02 1234 5678', 'call.answered');
    await page.locator('#screen-pop-title', { hasText: 'In linea: +390212345678' }).waitFor();
    await page.locator('#screen-pop-form').waitFor({ state: 'visible' });
    await page.getByLabel('Nome', { exact: true }).fill('Luca');
    await page.getByLabel('Cognome').fill('Bianchi');
    await screenshot(page, 'cti-screen-pop-unknown');
    // Saved and taken in one step: the new caller's card is on the workstation.
    await page.getByRole('button', { name: 'Salva il contatto' }).click();
    await page.locator('#work-contact-name', { hasText: 'Luca Bianchi' }).waitFor();
    const saved = await app
      .get(DataSource)
      .getRepository(Contact)
      .findOneByOrFail({ phone: '+390212345678' });
    expect(saved).toMatchObject({
      firstName: 'Luca',
      lastName: 'Bianchi',
      campaignId: campaign.id,
      state: 'in_progress',
    });
  });

  it('an operator finds a customer by name and calls them from the empty workstation', async () => {
    const app = harness.app;
    const operator = await createUser(app, { role: 'operator', displayName: 'Giulia' });
    const status = await createStatus(app, { code: 'NI', type: 'N', quick: true, quickOrder: 1 });
    const campaign = await createCampaign(
      app,
      { name: 'Assistenza Luce' },
      { statusIds: [status.id], operatorIds: [operator.id] },
    );
    const anna = await createContact(app, campaign.id, {
      firstName: 'Anna',
      lastName: 'Verdi',
      state: 'final',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.getByLabel('Cerca un contatto: nome o telefono').fill('verd');
    const row = page.locator('.work-find-row', { hasText: 'Anna Verdi' });
    await row.waitFor();
    await screenshot(page, 'work-find-contact');
    await Promise.all([
      page.waitForURL('**/work'),
      row.getByRole('button', { name: 'Chiama' }).click(),
    ]);
    await page.locator('#work-contact-name', { hasText: 'Anna Verdi' }).waitFor();
    const lease = await app
      .get(DataSource)
      .getRepository(ContactLease)
      .findOneByOrFail({ userId: operator.id });
    expect(lease).toMatchObject({ contactId: anna.id, previousState: 'final' });
  });
});
