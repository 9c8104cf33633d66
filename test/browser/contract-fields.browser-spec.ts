import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import request from 'supertest';
import { seedDemoContractReasons } from '../../src/demo/demo-catalogue';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor, type TestUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

/** An answer bound to a contract field is checked on the workstation as it is typed. */
describe('a question bound to the IBAN on the workstation', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  let operator: TestUser;
  let campaignId: number;
  let ibanStepId: number;
  const db = () => harness.app.get(DataSource);

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
    operator = await createUser(harness.app, {
      role: 'operator',
      displayName: 'Giulia Operatrice',
      password: 'operator-pass-123',
    });
    const interested = await createStatus(harness.app, {
      code: 'RIC',
      label: 'Richiede informazioni',
      type: 'N',
      quick: true,
      quickOrder: 1,
    });
    const campaign = await createCampaign(
      harness.app,
      { name: 'Luce' },
      { statusIds: [interested.id], operatorIds: [operator.id] },
    );
    campaignId = campaign.id;
    const steps = db().getRepository(CampaignStep);
    await steps.update({ campaignId, kind: 'outcome' }, { position: 3 });
    const iban = await steps.save({
      campaignId,
      position: 2,
      kind: 'question',
      title: 'IBAN per l’addebito',
      body: null,
      choices: null,
      required: false,
      contractField: 'iban',
    });
    ibanStepId = iban.id;
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('says a wrong IBAN under the input while it is typed, refuses to confirm, and takes the right one', async () => {
    const maria = await createContact(harness.app, campaignId, {
      firstName: 'Maria',
      lastName: 'Rossi',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await page.locator('#work-contact-name', { hasText: 'Maria Rossi' }).waitFor();
    const input = page.locator(`#answer-${ibanStepId}`);
    const error = page.locator(`[data-error-for="answers.${ibanStepId}"]`);
    // The first characters raise no alarm; a whole IBAN with a wrong check digit does.
    await input.pressSequentially('IT60 X054');
    expect(await error.isHidden()).toBe(true);
    await input.pressSequentially(' 2811 1010 0000 0123 457');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toBe(
      'IBAN non valido: controlla paese, cifre di controllo e conto.',
    );
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'work-iban-invalid');

    // 1 confirms the quick outcome: refused here, nothing sent, the input focused.
    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('1');
    await page.locator(`#answer-${ibanStepId}:focus`).waitFor();
    expect(await page.locator('#work-result').isHidden()).toBe(true);
    expect(await db().getRepository(Interaction).countBy({ contactId: maria.id })).toBe(0);

    // Corrected: the words go, and the outcome is saved with the IBAN as stored.
    await input.press('Backspace');
    await input.pressSequentially('6');
    await error.waitFor({ state: 'hidden' });
    await screenshot(page, 'work-iban-valid');
    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('1');
    await page.locator('#work-result').waitFor({ state: 'visible' });
    const interaction = await db()
      .getRepository(Interaction)
      .findOneByOrFail({ contactId: maria.id });
    expect(interaction.answers).toEqual({ [String(ibanStepId)]: 'IT60X0542811101000000123456' });
  });

  it('the backoffice sees the captured fields on the contract page and suspends it with a reason from the list', async () => {
    const sale = await createStatus(harness.app, { code: 'OK', label: 'Vendita', type: 'C' });
    const luce = await createProduct(harness.app, { code: 'LUCE', unitPrice: '10.00' });
    const campaign = await createCampaign(
      harness.app,
      { name: 'Luce' },
      { statusIds: [sale.id], productIds: [luce.id], operatorIds: [operator.id] },
    );
    const steps = db().getRepository(CampaignStep);
    await steps.update({ campaignId: campaign.id, kind: 'outcome' }, { position: 3 });
    const fiscalCode = await steps.save({
      campaignId: campaign.id,
      position: 2,
      kind: 'question',
      title: 'Codice fiscale',
      body: null,
      choices: null,
      required: false,
      contractField: 'fiscalCode',
    });
    await seedDemoContractReasons(db().manager);
    const contact = await createContact(harness.app, campaign.id, {
      firstName: 'Mario',
      lastName: 'Rossi',
    });
    const api = request(harness.app.getHttpServer());
    const auth = { Authorization: `Bearer ${await tokenFor(harness.app, operator)}` };
    await api.post('/api/v1/work/next').set(auth).send({ campaignId: campaign.id }).expect(200);
    const closed = await api
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(auth)
      .send({
        statusId: sale.id,
        cart: [{ productId: luce.id, quantity: 1 }],
        answers: { [fiscalCode.id]: 'rssmra85t10a562s' },
      })
      .expect(201);
    const backoffice = await createUser(harness.app, {
      role: 'backoffice',
      displayName: 'Carla Backoffice',
      password: 'backoffice-pass-123',
    });
    await signIn(page, backoffice);
    await page.goto(`/contracts/${closed.body.contract.id as number}`);
    expect(await page.locator('#contract-fields [data-field="fiscalCode"]').innerText()).toBe(
      'RSSMRA85T10A562S',
    );
    await page.getByText('Sospendi', { exact: true }).click();
    await page.locator('#suspend-reasonCode').selectOption('documents_missing');
    await page.locator('#suspend-reason').fill('manca la bolletta');
    await screenshot(page, 'contract-fields-suspend');
    await page.getByRole('button', { name: 'Sospendi il contratto' }).click();
    await page.locator('#contract-status', { hasText: 'Sospeso' }).waitFor();
    expect(
      await page.locator('#contract-history [data-reason-code="documents_missing"]').innerText(),
    ).toBe('Documenti mancanti');
    await screenshot(page, 'contract-fields-suspended');
  });
});
