import { copyFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { WrapUpService } from '../../src/work/wrap-up.service';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
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

/** "Fine chiamata" on the workstation: the countdown, and the campaign's status at zero. */
describe('the wrap-up on the workstation', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  let operator: TestUser;
  let statuses: Record<'noAnswer' | 'notInterested', OutcomeStatus>;
  let campaignId: number;
  const db = () => harness.app.get(DataSource);
  const contactName = (name: string) => page.locator('#work-contact-name', { hasText: name });
  const countdown = () => page.locator('#work-wrap-up-countdown');

  /** The job (its timer does not run in tests) until it has confirmed one. */
  async function runWrapUpJob(): Promise<void> {
    const until = Date.now() + 10_000;
    while ((await harness.app.get(WrapUpService).applyDue()) === 0) {
      if (Date.now() > until) throw new Error('no wrap-up came due');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

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
      { name: 'Assistenza', wrapUpSeconds: 5, wrapUpStatusId: statuses.noAnswer.id },
      { statusIds: Object.values(statuses).map((s) => s.id), operatorIds: [operator.id] },
    );
    campaignId = campaign.id;
    const steps = db().getRepository(CampaignStep);
    await steps.update({ campaignId, kind: 'outcome' }, { position: 3 });
    await steps.save({
      campaignId,
      position: 2,
      kind: 'notes',
      title: 'Note della chiamata',
      body: null,
      choices: null,
      required: false,
      consentPurpose: null,
    });
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('"Fine chiamata" counts down and, at zero, the campaign’s status is confirmed with the notes typed', async () => {
    const maria = await createContact(harness.app, campaignId, {
      firstName: 'Maria',
      lastName: 'Rossi',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await contactName('Maria Rossi').waitFor();
    await page.locator('#work-notes').fill('Ha chiuso la chiamata, riprovare domani');
    await page.locator('[data-draft-state="saved"]').waitFor();

    const button = page.getByRole('button', { name: 'Fine chiamata' });
    await button.click();
    await countdown().waitFor({ state: 'visible' });
    expect(await button.isDisabled()).toBe(true);
    expect(await countdown().innerText()).toMatch(/Post-chiamata:\s*0:0[3-5]\s*poi si conferma NR/);
    const shot = await screenshot(page, 'wrap-up-countdown');
    await page.screenshot({ path: '/tmp/wrap-up-countdown.png' });
    copyFileSync(shot, '/tmp/wrap-up-countdown-full.png');

    // At zero the page says so and waits for the server's job.
    await page.locator('[data-wrap-up-left]', { hasText: '0:00' }).waitFor({ timeout: 8000 });
    await page.locator('#work-message', { hasText: 'Tempo scaduto' }).waitFor();
    await runWrapUpJob();

    // It moves on as after a confirm: the result, the card gone, N for the next contact.
    const result = page.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="code"]').innerText()).toBe('NR');
    expect(await page.locator('#work-card').isHidden()).toBe(true);
    expect(await page.locator('#work-next').isEnabled()).toBe(true);
    await page.locator('#work-message', { hasText: 'allo scadere della post-chiamata' }).waitFor();
    await page.screenshot({ path: '/tmp/wrap-up-applied.png' });
    const interactions = await db().getRepository(Interaction).findBy({ contactId: maria.id });
    expect(interactions).toHaveLength(1);
    expect(interactions[0]).toMatchObject({
      statusId: statuses.noAnswer.id,
      operatorId: operator.id,
      notes: 'Ha chiuso la chiamata, riprovare domani',
    });
  });

  it('the PBX’s call.ended starts the countdown too; the operator confirming first is the outcome', async () => {
    const app = harness.app;
    const pbx = await tokenFor(app, await createUser(app, { role: 'integration' }));
    const luca = await createContact(app, campaignId, {
      firstName: 'Luca',
      lastName: 'Bianchi',
      phone: '+393331234567',
    });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await contactName('Luca Bianchi').waitFor();
    // The page's stream listens from the newest event on: give it a moment to connect.
    await page.waitForTimeout(1000);
    await request(app.getHttpServer())
      .post('/api/v1/cti/events')
      .set({ Authorization: `Bearer ${pbx}` })
      .send({ type: 'call.ended', operatorId: operator.id, phone: '3331234567', callId: 'pbx-9' })
      .expect(202);
    await countdown().waitFor({ state: 'visible' });
    expect(await page.locator('#work-call-ended').isDisabled()).toBe(true);

    // A reload keeps counting from what the server holds.
    await page.reload();
    await contactName('Luca Bianchi').waitFor();
    await countdown().waitFor({ state: 'visible' });

    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('2');
    const result = page.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="code"]').innerText()).toBe('NI');
    expect(await countdown().isHidden()).toBe(true);
    await page.waitForTimeout(5500);
    expect(await app.get(WrapUpService).applyDue()).toBe(0);
    const interactions = await db().getRepository(Interaction).findBy({ contactId: luca.id });
    expect(interactions.map((i) => i.statusId)).toEqual([statuses.notInterested.id]);
  });
});
