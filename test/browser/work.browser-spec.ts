import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Callback } from '../../src/callbacks/callback.entity';
import { zonedLocalToUtc } from '../../src/common/time/local-time';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  pageValueWhen,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

describe('the operator workstation in a browser', () => {
  let harness: BrowserHarness;
  let page: Page;
  let problems: PageProblem[];
  let operator: TestUser;
  let statuses: Record<'noAnswer' | 'notInterested' | 'callback' | 'sale' | 'visit', OutcomeStatus>;
  let campaignId: number;
  const db = () => harness.app.get(DataSource);

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    ({ page, problems } = await harness.newPage());
    operator = await createUser(harness.app, {
      role: 'operator',
      languages: ['it'],
      displayName: 'Giulia Operatrice',
      password: 'operator-pass-123',
    });
    const app = harness.app;
    statuses = {
      noAnswer: await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        type: 'N',
        quick: true,
        quickOrder: 1,
        color: '#6b7280',
      }),
      notInterested: await createStatus(app, {
        code: 'NI',
        label: 'Non interessato',
        type: 'N',
        quick: true,
        quickOrder: 2,
        color: '#dc2626',
      }),
      callback: await createStatus(app, {
        code: 'RIC',
        label: 'Richiamare',
        type: 'R',
        quick: true,
        quickOrder: 3,
        color: '#f59e0b',
        callbackVisibility: 'public',
      }),
      sale: await createStatus(app, {
        code: 'VEN',
        label: 'Vendita',
        type: 'C',
        color: '#16a34a',
      }),
      visit: await createStatus(app, {
        code: 'APP',
        label: 'Appuntamento',
        type: 'T',
        color: '#7c3aed',
      }),
    };
    const product = await createProduct(app, { code: 'FIB', name: 'Fibra 1 Giga' });
    const agent = await createAgent(app, { name: 'Marco Agente' });
    const campaign = await createCampaign(
      app,
      { name: 'Fibra Nord' },
      {
        statusIds: Object.values(statuses).map((s) => s.id),
        operatorIds: [operator.id],
        productIds: [product.id],
        agentIds: [agent.id],
      },
    );
    campaignId = campaign.id;
    // The factory's script and outcome, with a question and the notes between them.
    const steps = db().getRepository(CampaignStep);
    await steps.update({ campaignId, kind: 'outcome' }, { position: 4 });
    await steps.save([
      {
        campaignId,
        position: 2,
        kind: 'question',
        title: 'Con quale operatore è ora?',
        body: null,
        choices: ['TIM', 'Vodafone', 'Altro'],
        required: false,
      },
      {
        campaignId,
        position: 3,
        kind: 'notes',
        title: 'Note della chiamata',
        body: null,
        choices: null,
        required: false,
      },
    ]);
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  const contactName = (name: string) => page.locator('#work-contact-name', { hasText: name });
  /** An expression evaluated in the page (the tests' TypeScript has no DOM types). */
  const inPage = async (expression: string) => String(await page.evaluate(expression));
  const FOCUSED_ID = 'document.activeElement ? document.activeElement.id : ""';
  /**
   * Focus lands on `id`: waited for, because some moves come from events the browser fires
   * a task later (a dialog's close); then asserted, so a miss names where focus went.
   */
  const expectFocus = async (id: string) => {
    expect(await pageValueWhen(page, FOCUSED_ID, id)).toBe(id);
  };
  const outcomeColor = () => inPage('document.body.style.getPropertyValue("--outcome-color")');

  it('works a shift in miniature: quick N, a callback in 1 hour, a reload keeps the notes, STOP discards', async () => {
    const maria = await createContact(harness.app, campaignId, {
      firstName: 'Maria',
      lastName: 'Rossi',
    });
    const luca = await createContact(harness.app, campaignId, {
      firstName: 'Luca',
      lastName: 'Bianchi',
    });
    const anna = await createContact(harness.app, campaignId, {
      firstName: 'Anna',
      lastName: 'Verdi',
    });
    await signIn(page, operator);
    await page.getByRole('link', { name: 'Postazione' }).click();
    await page.waitForURL('**/work');
    await screenshot(page, 'work-empty');
    await expectFocus('work-next');

    // N: the next contact, its script with the name.
    await page.keyboard.press('n');
    await contactName('Maria Rossi').waitFor();
    await screenshot(page, 'work-contact');
    expect(await page.locator('.work-script-body').innerText()).toBe('Buongiorno Maria');
    expect(await page.locator('#work-phone').getAttribute('href')).toBe(`tel:${maria.phone}`);
    await expectFocus('work-contact-name');
    expect(await page.locator('.work-quick-btn').allInnerTexts()).toEqual([
      '1\nNR Non risponde\nN',
      '2\nNI Non interessato\nN',
      '3\nRIC Richiamare\nR',
    ]);

    // 2: a negative quick outcome, confirmed in one key press; the page takes its colour.
    await page.keyboard.press('2');
    const result = page.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    await screenshot(page, 'work-outcome-negative');
    expect(await result.locator('[data-result="code"]').innerText()).toBe('NI');
    expect(await result.locator('[data-result="label"]').innerText()).toBe('Non interessato');
    expect(await page.locator('#work-card').isHidden()).toBe(true);
    expect(await outcomeColor()).toBe('#dc2626');
    expect(await inPage('getComputedStyle(document.body).backgroundColor')).not.toBe(
      'rgb(243, 245, 248)',
    );
    await expectFocus('work-next');
    const first = await db().getRepository(Contact).findOneByOrFail({ id: maria.id });
    expect(first.state).toBe('final');
    expect(
      await db()
        .getRepository(Interaction)
        .findBy({ contactId: maria.id, statusId: statuses.notInterested.id }),
    ).toHaveLength(1);

    // Enter on "Next contact", then a callback: 3, "in 1 hour", Ctrl+Enter.
    await page.keyboard.press('Enter');
    await contactName('Luca Bianchi').waitFor();
    await page.keyboard.press('3');
    await page.locator('[data-panel="R"]').waitFor({ state: 'visible' });
    expect(await inPage('document.activeElement.textContent.trim()')).toBe('Tra 1 ora');
    expect(
      await page.locator('input[name="callback.visibility"][value="public"]').isChecked(),
    ).toBe(true);
    const before = Date.now();
    await page.keyboard.press('Enter');
    expect(await page.locator('#callback-at').inputValue()).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
    );
    await expectFocus('work-confirm');
    await screenshot(page, 'work-callback-form');
    await page.keyboard.press('Control+Enter');
    await result.waitFor({ state: 'visible' });
    await screenshot(page, 'work-outcome-callback');
    const callback = await db().getRepository(Callback).findOneByOrFail({ contactId: luca.id });
    const minutes = (callback.dueAt.getTime() - before) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(callback.visibility).toBe('public');
    const shown = new Intl.DateTimeFormat('it-IT', {
      weekday: 'short',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Rome',
    }).format(callback.dueAt);
    expect(await result.locator('[data-result="callback"]').innerText()).toBe(
      `${shown} · pubblico`,
    );
    expect(await result.locator('[data-result="state"]').innerText()).toBe('Da richiamare');
    expect(await outcomeColor()).toBe('#f59e0b');
    await expectFocus('work-next');

    // N, notes typed, the page reloaded: the notes are still there.
    await page.keyboard.press('n');
    await contactName('Anna Verdi').waitFor();
    await page.locator('#work-notes').focus();
    await page.keyboard.type('Cliente in ferie fino a lunedì');
    await page.locator('[data-draft-state="saved"]').waitFor();
    await page.reload();
    await contactName('Anna Verdi').waitFor();
    expect(await page.locator('#work-notes').inputValue()).toBe('Cliente in ferie fino a lunedì');
    await screenshot(page, 'work-draft-restored');

    // Esc in the notes does nothing: the call is not put at risk while typing.
    await page.locator('#work-notes').focus();
    await page.keyboard.press('Escape');
    const dialog = page.locator('#work-stop-dialog');
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.locator('#work-notes').inputValue()).toBe('Cliente in ferie fino a lunedì');
    await page.locator('#work-contact-name').focus();

    // Esc outside a field: STOP / CHIUDI asks first, with "keep working" focused; the
    // operator moves to the discard on purpose, and confirming discards everything.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.innerText()).toContain('andrà perso');
    await screenshot(page, 'work-stop-dialog');
    await expectFocus('work-stop-cancel');
    await page.keyboard.press('Tab');
    await expectFocus('work-stop-confirm');
    await page.keyboard.press('Enter');
    await page.locator('#work-empty').waitFor();
    await screenshot(page, 'work-discarded');
    await expectFocus('work-next');
    // The operator is told what happened, and Anna is not dealt straight back.
    expect(await page.locator('#work-message').innerText()).toBe(
      'Contatto rilasciato: non è stato salvato nulla. Non ti verrà riproposto subito.',
    );
    await page.keyboard.press('n');
    await page.locator('#work-message', { hasText: 'Nessun contatto' }).waitFor();
    await page.keyboard.press('n');
    await contactName('Anna Verdi').waitFor();
    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#work-empty').waitFor();
    const discarded = await db().getRepository(Contact).findOneByOrFail({ id: anna.id });
    expect(discarded.state).toBe('new');
    expect(await db().getRepository(Interaction).countBy({ contactId: anna.id })).toBe(0);
    expect(await db().getRepository(ContactLease).countBy({ contactId: anna.id })).toBe(0);
  });

  it('keeps what was typed and shows a refused callback beside its field; Esc then cancel keeps working', async () => {
    await createContact(harness.app, campaignId, { firstName: 'Paolo', lastName: 'Neri' });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await contactName('Paolo Neri').waitFor();

    // The full list, by keyboard: the R status, then a time already gone.
    await page.locator(`input[name="statusId"][value="${statuses.callback.id}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator('#callback-at').fill('2020-01-06T10:00');
    await page.locator('#callback-notes').fill('Chiedere del marito');
    await page.keyboard.press('Control+Enter');
    const error = page.locator('[data-error-for="callback.at"]');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toBe('La richiamata deve essere nel futuro.');
    expect(await page.locator('#callback-at').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#callback-notes').inputValue()).toBe('Chiedere del marito');
    await expectFocus('callback-at');
    await screenshot(page, 'work-callback-refused');
    // The refusal is the 400 the test asked for, not a fault of the page.
    expect(problems.filter((p) => !/400|Bad Request/.test(p.text))).toEqual([]);
    problems.length = 0;

    // Esc in the callback's time does nothing; outside it, then "keep working": nothing is lost.
    await page.keyboard.press('Escape');
    expect(await page.locator('#work-stop-dialog').isVisible()).toBe(false);
    await page.locator('#work-contact-name').focus();
    await page.keyboard.press('Escape');
    await page.locator('#work-stop-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#work-stop-dialog').waitFor({ state: 'hidden' });
    await expectFocus('work-stop');
    expect(await page.locator('#callback-notes').inputValue()).toBe('Chiedere del marito');

    // A sale: the cart with a live total, confirmed; the protocol number is shown.
    await page.locator(`input[name="statusId"][value="${statuses.sale.id}"]`).focus();
    await page.keyboard.press('Enter');
    await expectFocus('cart-search');
    await page.locator('#cart-quantity').fill('2');
    await page.locator('#cart-search').fill('fibra');
    await page.keyboard.press('Enter');
    expect(await page.locator('#cart-total').innerText()).toBe('48,56\u00a0€');
    await screenshot(page, 'work-cart');
    // The first Ctrl+Enter shows the review; the second, read back, confirms.
    await page.keyboard.press('Control+Enter');
    await expectFocus('cart-review');
    expect(await page.locator('#cart-review').innerText()).toContain('CONFERMA CONTRATTO');
    await page.keyboard.press('Control+Enter');
    const result = page.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="protocol"]').innerText()).toMatch(/^\d{4}\/\d{6}$/);
    expect(await result.locator('[data-result="total"]').innerText()).toBe('48,56\u00a0€');
    await screenshot(page, 'work-outcome-sale');
  });

  it("books an appointment in the agents' agenda; confirming before a slot is chosen asks for one", async () => {
    await createContact(harness.app, campaignId, { firstName: 'Sara', lastName: 'Galli' });
    await signIn(page, operator);
    await page.goto('/work');
    await page.keyboard.press('n');
    await contactName('Sara Galli').waitFor();
    await page.locator(`input[name="statusId"][value="${statuses.visit.id}"]`).focus();
    await page.keyboard.press('Enter');
    // The agenda takes the focus on the agent's first free slot.
    await page.locator('#agenda-grid tbody.work-agenda-agent').waitFor();
    expect(
      await pageValueWhen(
        page,
        'document.activeElement.classList.contains("work-agenda-slot")',
        'true',
      ),
    ).toBe('true');
    await page.keyboard.press('Control+Enter');
    const hint = page.locator('#agenda-hint');
    await hint.waitFor({ state: 'visible' });
    expect(await hint.innerText()).toBe("Scegli un orario libero nell'agenda.");

    // The next working day at 10:00 in Rome, when the agent works (maybe in the next week).
    const day = new Date();
    do day.setUTCDate(day.getUTCDate() + 1);
    while ([0, 6].includes(day.getUTCDay()));
    const start = zonedLocalToUtc(`${day.toISOString().slice(0, 10)}T10:00`, 'Europe/Rome');
    const slot = page.locator(`.work-agenda-slot[data-start="${start!.toISOString()}"]`);
    if ((await slot.count()) === 0) await page.locator('#agenda-next').click();
    await slot.click();
    await page.locator('#agenda-review').waitFor({ state: 'visible' });
    expect(await hint.isHidden()).toBe(true);
    await page.locator('#appointment-notes').fill('Interessato alla fibra, citofono Galli');
    await screenshot(page, 'work-appointment-form');
    await page.keyboard.press('Control+Enter');
    const result = page.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    await screenshot(page, 'work-outcome-appointment');
    expect(await result.locator('[data-result="appointment"]').innerText()).toMatch(
      /^\w{3} \d{2}\/\d{2}\/\d{4}, 10:00 · Marco Agente$/,
    );
  });
});
