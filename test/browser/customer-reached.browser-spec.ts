import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
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

/** Invariant 12 on the workstation: "no answer" in one key, "not interested" asks consent. */
describe('a required consent step on the workstation', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  let operator: TestUser;
  let statuses: Record<'noAnswer' | 'notInterested', OutcomeStatus>;
  let campaignId: number;
  let consentStepId: number;
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
    statuses = {
      noAnswer: await createStatus(harness.app, {
        code: 'NR',
        label: 'Non risponde',
        type: 'N',
        quick: true,
        quickOrder: 1,
        retryAfterMinutes: 60,
        maxAttempts: 3,
        customerReached: false,
      }),
      notInterested: await createStatus(harness.app, {
        code: 'NI',
        label: 'Non interessato',
        type: 'N',
        quick: true,
        quickOrder: 2,
      }),
    };
    const campaign = await createCampaign(
      harness.app,
      { name: 'Consenso' },
      { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [operator.id] },
    );
    campaignId = campaign.id;
    const steps = db().getRepository(CampaignStep);
    await steps.update({ campaignId, kind: 'outcome' }, { position: 3 });
    const consent = await steps.save({
      campaignId,
      position: 2,
      kind: 'consent',
      title: 'Consenso a contatti futuri',
      body: '{{contact.firstName}}, possiamo ricontattarla per offerte future?',
      choices: null,
      required: true,
      consentPurpose: 'contact',
    });
    consentStepId = consent.id;
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  const contactName = (name: string) => page.locator('#work-contact-name', { hasText: name });

  it('confirms "no answer" in one key press and asks the consent for "not interested"', async () => {
    const maria = await createContact(harness.app, campaignId, {
      firstName: 'Maria',
      lastName: 'Rossi',
    });
    const luca = await createContact(harness.app, campaignId, {
      firstName: 'Luca',
      lastName: 'Bianchi',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await contactName('Maria Rossi').waitFor();
    await screenshot(page, 'reached-consent-card');
    // The consent's text is on the card to be read aloud, with the contact's name.
    expect(await page.locator(`[data-step="${consentStepId}"] .work-read-aloud`).innerText()).toBe(
      'Maria, possiamo ricontattarla per offerte future?',
    );

    // 1: not reached; nothing asked, the outcome saved, no consent written.
    await page.keyboard.press('1');
    const result = page.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="code"]').innerText()).toBe('NR');
    expect(
      await db()
        .getRepository(Interaction)
        .countBy({ contactId: maria.id, statusId: statuses.noAnswer.id }),
    ).toBe(1);
    expect((await db().getRepository(Contact).findOneByOrFail({ id: maria.id })).consent).toBe(
      null,
    );

    // 2: reached; the consent step is asked for beside itself, nothing is saved.
    await page.keyboard.press('Enter');
    await contactName('Luca Bianchi').waitFor();
    // The operator's own day: Maria's call is counted, under N.
    await page.locator('#work-day [data-figure="calls"]', { hasText: '1' }).waitFor();
    expect(await page.locator('#work-day [data-figure="N"]').innerText()).toBe('1');
    await page.keyboard.press('2');
    const error = page.locator(`[data-error-for="answers.${consentStepId}"]`);
    await error.waitFor({ state: 'visible' });
    await screenshot(page, 'reached-consent-asked');
    expect(await result.isHidden()).toBe(true);
    expect(await db().getRepository(Interaction).countBy({ contactId: luca.id })).toBe(0);
    // That refused confirm's 400 is the answer this test wants, not a page problem.
    const refused = `/api/v1/work/${luca.id}/outcome`;
    problems.splice(0, problems.length, ...problems.filter((p) => !p.url?.endsWith(refused)));

    // Answered "no", then 2 again: saved, with the consent on the contact.
    await page.locator(`input[name="answers.${consentStepId}"][value="no"]`).check();
    await page.keyboard.press('2');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="code"]').innerText()).toBe('NI');
    await page.locator('#work-day [data-figure="calls"]', { hasText: '2' }).waitFor();
    expect((await db().getRepository(Contact).findOneByOrFail({ id: luca.id })).consent).toBe(
      false,
    );
    await screenshot(page, 'reached-consent-saved');
  });

  it('corrects the e-mail in the call: kept by a reload, dropped by STOP, saved with the outcome', async () => {
    const maria = await createContact(harness.app, campaignId, {
      firstName: 'Maria',
      lastName: 'Rossi',
      email: 'maria@example.com',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await contactName('Maria Rossi').waitFor();
    await page.getByText('Correggi i dati').click();
    await page.locator('#contact-email').fill('maria.rossi@example.com');
    await page.locator('[data-draft-state="saved"]').waitFor();
    await screenshot(page, 'work-contact-edit');
    await page.reload();
    await contactName('Maria Rossi').waitFor();
    expect(await page.locator('#contact-email').inputValue()).toBe('maria.rossi@example.com');

    // STOP: nothing of the call is kept, the correction neither.
    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('Escape');
    await page.locator('#work-stop-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#work-empty').waitFor();
    const contacts = db().getRepository(Contact);
    expect((await contacts.findOneByOrFail({ id: maria.id })).email).toBe('maria@example.com');

    // Dealt again (not straight away), corrected again, and confirmed: now it is saved.
    await page.keyboard.press('n');
    await page.locator('#work-message', { hasText: 'Nessun contatto' }).waitFor();
    await page.keyboard.press('n');
    await contactName('Maria Rossi').waitFor();
    await page.getByText('Correggi i dati').click();
    await page.locator('#contact-email').fill('maria.rossi@example.com');
    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('1');
    await page.locator('#work-result').waitFor({ state: 'visible' });
    expect((await contacts.findOneByOrFail({ id: maria.id })).email).toBe(
      'maria.rossi@example.com',
    );
    const interaction = await db()
      .getRepository(Interaction)
      .findOneByOrFail({ contactId: maria.id });
    expect(interaction.contactChanges).toEqual({
      email: { before: 'maria@example.com', after: 'maria.rossi@example.com' },
    });
  });
});
