import type { Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Callback } from '../../src/callbacks/callback.entity';
import { CallbacksService } from '../../src/callbacks/callbacks.service';
import { Clock } from '../../src/common/time/clock';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCallback } from '../factories/callback.factory';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser, tokenFor } from '../factories/user.factory';
import {
  type BrowserHarness,
  type PageProblem,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

const MINUTE = 60_000;

describe('callbacks in a browser: set on the workstation, escalated, opened by a colleague', () => {
  let harness: BrowserHarness;
  const problems: PageProblem[][] = [];
  let giulia: TestUser;
  let bruno: TestUser;
  let campaignId: number;
  const db = () => harness.app.get(DataSource);
  const clock = () => harness.app.get(Clock);

  async function newPage(): Promise<Page> {
    const opened = await harness.newPage();
    problems.push(opened.problems);
    return opened.page;
  }
  /** The ids of the callbacks a page lists (in one section, or anywhere). */
  const listed = async (page: Page, within = 'main') => {
    const rows = await page.locator(`${within} [data-callback]`).all();
    return Promise.all(rows.map(async (row) => Number(await row.getAttribute('data-callback'))));
  };

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    clock().set(null);
    await resetDatabase(harness.app);
    problems.length = 0;
    const app = harness.app;
    giulia = await createUser(app, {
      role: 'operator',
      displayName: 'Giulia Operatrice',
      password: 'giulia-pass-123',
    });
    bruno = await createUser(app, {
      role: 'operator',
      displayName: 'Bruno Operatore',
      password: 'bruno-pass-123',
    });
    const notInterested = await createStatus(app, {
      code: 'NI',
      label: 'Non interessato',
      type: 'N',
      quick: true,
      quickOrder: 1,
      color: '#dc2626',
    });
    const callbackStatus = await createStatus(app, {
      code: 'RIC',
      label: 'Richiamare',
      type: 'R',
      quick: true,
      quickOrder: 2,
      color: '#f59e0b',
      callbackVisibility: 'private',
    });
    const campaign = await createCampaign(
      app,
      { name: 'Fibra Nord', privateCallbackGraceMinutes: 30 },
      {
        statusIds: [notInterested.id, callbackStatus.id],
        operatorIds: [giulia.id, bruno.id],
      },
    );
    campaignId = campaign.id;
  });
  afterEach(() => {
    clock().set(null);
    expect(problems.flat()).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('a private callback is its owner’s until it goes public, then a colleague opens it onto the workstation', async () => {
    const maria = await createContact(harness.app, campaignId, {
      firstName: 'Maria',
      lastName: 'Rossi',
    });

    // Giulia: the next contact, R (key 2), "in 1 hour", private, a note, confirmed.
    const work = await newPage();
    await signIn(work, giulia);
    await work.goto('/work');
    await work.keyboard.press('n');
    await work.locator('#work-contact-name', { hasText: 'Maria Rossi' }).waitFor();
    await work.keyboard.press('2');
    await work.locator('[data-panel="R"]').waitFor({ state: 'visible' });
    await work.keyboard.press('Enter'); // the focused "in 1 hour" preset
    expect(await work.locator('#callback-at').inputValue()).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
    );
    expect(
      await work.locator('input[name="callback.visibility"][value="private"]').isChecked(),
    ).toBe(true);
    await work.locator('#callback-notes').fill('Vuole parlare col marito');
    await work.locator('#work-confirm').click();
    await work.locator('#work-result').waitFor({ state: 'visible' });
    const cb = await db().getRepository(Callback).findOneByOrFail({ contactId: maria.id });
    expect(cb).toMatchObject({ ownerId: giulia.id, visibility: 'private', state: 'scheduled' });

    // Giulia finds it among her upcoming callbacks, with its context.
    await work.getByRole('link', { name: 'Richiamate' }).click();
    await work.waitForURL('**/callbacks');
    expect(await listed(work, '#callbacks-upcoming')).toEqual([cb.id]);
    const card = work.locator(`[data-callback="${cb.id}"]`);
    expect(await card.locator('.cb-name').innerText()).toBe('Maria Rossi');
    expect(await card.locator('[data-field="notes"]').innerText()).toBe('Vuole parlare col marito');
    expect(await card.locator('[data-field="reason"]').innerText()).toBe('Richiamare');
    await screenshot(work, 'callbacks-operator-upcoming');

    // Bruno sees nothing of it: not on his page, not through the API.
    const page = await newPage();
    await signIn(page, bruno);
    await page.getByRole('link', { name: 'Richiamate' }).click();
    await page.waitForURL('**/callbacks');
    expect(await listed(page)).toEqual([]);
    expect(await page.locator('#callbacks-pool').innerText()).toContain(
      'Nessuna richiamata pubblica da fare.',
    );
    await screenshot(page, 'callbacks-operator-empty');
    const token = await tokenFor(harness.app, bruno);
    for (const scope of ['mine', 'public']) {
      const res = await request(harness.app.getHttpServer())
        .get(`/api/v1/callbacks?scope=${scope}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(res.body).toEqual([]);
    }

    // Past its time and the campaign's grace, the jobs make it public.
    clock().set(new Date(cb.dueAt.getTime() + 31 * MINUTE));
    const callbacks = harness.app.get(CallbacksService);
    expect(await callbacks.markDue()).toBe(1);
    expect(await callbacks.escalate()).toBe(1);
    expect(await db().getRepository(Callback).findOneByOrFail({ id: cb.id })).toMatchObject({
      visibility: 'public',
      state: 'due',
      escalationReason: 'overdue by 31 min',
    });

    // Bruno now finds it in the public pool and opens it: the workstation shows Maria.
    await page.reload();
    expect(await listed(page, '#callbacks-pool')).toEqual([cb.id]);
    const pooled = page.locator(`#callbacks-pool [data-callback="${cb.id}"]`);
    expect(await pooled.innerText()).toContain('Impostata da Giulia Operatrice');
    expect(await pooled.innerText()).toContain('in ritardo di 31 min');
    await screenshot(page, 'callbacks-operator-pool');
    await Promise.all([
      page.waitForURL('**/work'),
      pooled.getByRole('button', { name: 'Apri la richiamata di Maria Rossi' }).click(),
    ]);
    await page.locator('#work-contact-name', { hasText: 'Maria Rossi' }).waitFor();
    expect(await page.locator('#work-callback-context').innerText()).toContain(
      'Vuole parlare col marito',
    );
    await screenshot(page, 'callbacks-opened-on-workstation');
    expect(
      await db().getRepository(ContactLease).findOneByOrFail({ contactId: maria.id }),
    ).toMatchObject({ userId: bruno.id, callbackId: cb.id });

    // Being called by Bruno, Giulia's page no longer offers it.
    await work.goto('/callbacks');
    expect(await listed(work)).toEqual([]);
  });

  it('a coordinator reassigns one and is told beside the field why a cancel without a reason is refused', async () => {
    const app = harness.app;
    const coordinator = await createUser(app, {
      role: 'coordinator',
      displayName: 'Carla Coordinatrice',
      password: 'coordinator-pass-123',
    });
    const now = Date.now();
    const late = await createCallback(app, campaignId, {
      ownerId: giulia.id,
      visibility: 'private',
      state: 'due',
      dueAt: new Date(now - 50 * MINUTE),
      notes: 'Preferisce la mattina',
    });
    await createCallback(app, campaignId, {
      ownerId: bruno.id,
      visibility: 'private',
      dueAt: new Date(now + 90 * MINUTE),
    });
    await createCallback(app, campaignId, { dueAt: new Date(now - 5 * MINUTE), state: 'due' });
    const page = await newPage();
    await signIn(page, coordinator);
    await page.getByRole('link', { name: 'Richiamate' }).click();
    await page.waitForURL('**/callbacks');
    expect((await listed(page)).length).toBe(3);
    await screenshot(page, 'callbacks-coordinator-list');

    const row = () => page.locator(`tr[data-callback="${late.id}"]`);
    expect(await row().innerText()).toContain('a rischio');
    await row().locator('summary').click();
    await row().getByLabel('Riassegna a').selectOption({ label: 'Bruno Operatore' });
    await Promise.all([
      page.waitForURL('**/callbacks'),
      row().getByRole('button', { name: 'Riassegna', exact: true }).click(),
    ]);
    expect(await page.locator('.flash-success').innerText()).toContain(
      'riassegnata a Bruno Operatore',
    );
    expect(await row().innerText()).toContain('Bruno Operatore');

    await row().locator('summary').click();
    await Promise.all([
      page.waitForURL('**/callbacks'),
      row().getByRole('button', { name: 'Annulla la richiamata' }).click(),
    ]);
    await row().locator(`#reason-${late.id}-error`).waitFor();
    expect(await row().locator(`#reason-${late.id}-error`).innerText()).toBe(
      "Scrivi il motivo dell'annullamento.",
    );
    expect(await row().locator('details').getAttribute('open')).not.toBeNull();
    await screenshot(page, 'callbacks-coordinator-cancel-refused');
    await row().getByLabel("Motivo dell'annullamento").fill('Ha già firmato in negozio');
    await Promise.all([
      page.waitForURL('**/callbacks'),
      row().getByRole('button', { name: 'Annulla la richiamata' }).click(),
    ]);
    expect(await page.locator('.flash-success').innerText()).toContain('annullata');
    // The active list no longer shows it; the cancelled ones do.
    await row().waitFor({ state: 'detached' });
    await page.locator('#state').selectOption('cancelled');
    await Promise.all([
      page.waitForURL('**/callbacks?**'),
      page.getByRole('button', { name: 'Filtra' }).click(),
    ]);
    expect(await listed(page)).toEqual([late.id]);
    await screenshot(page, 'callbacks-coordinator-cancelled');
  });
});
