import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Appointment } from '../../src/appointments/appointment.entity';
import { Clock } from '../../src/common/time/clock';
import { createAgent, createCampaign } from '../factories/catalogue.factory';
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

/** Monday 30 November 2026, 08:30 in Rome: the week on screen is 30 Nov – 6 Dec. */
const MONDAY = new Date('2026-11-30T07:30:00Z');
const HOUR = 3_600_000;
const WIDE = { width: 1920, height: 1080 };
const DESK = { width: 1366, height: 768 };

describe('the agenda in a browser: a coordinator filters the week, moves one visit and cancels another', () => {
  let harness: BrowserHarness;
  const problems: PageProblem[][] = [];
  let coordinator: TestUser;
  const db = () => harness.app.get(DataSource);
  const clock = () => harness.app.get(Clock);

  async function newPage(): Promise<Page> {
    const opened = await harness.newPage();
    problems.push(opened.problems);
    return opened.page;
  }
  /** The appointments a grid shows. */
  const listed = async (page: Page) => {
    const cards = await page.locator('#agenda-grid [data-appointment]').all();
    const ids = await Promise.all(
      cards.map(async (c) => Number(await c.getAttribute('data-appointment'))),
    );
    return ids.sort((a, b) => a - b);
  };

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
    clock().set(MONDAY);
    problems.length = 0;
    coordinator = await createUser(harness.app, {
      role: 'coordinator',
      displayName: 'Carla Coordinatrice',
      password: 'coordinator-pass-123',
    });
  });
  afterEach(() => {
    clock().set(null);
    expect(problems.flat()).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('filters by campaign, opens a visit, moves it to a free slot, cancels another with a reason', async () => {
    const app = harness.app;
    const anna = await createUser(app, { role: 'operator', displayName: 'Anna Operatrice' });
    const luca = await createAgent(app, { name: 'Luca Ferri', zones: ['MI', 'MB'] });
    const marta = await createAgent(app, { name: 'Marta Colombo', zones: ['TO'] });
    const sara = await createAgent(app, {
      name: 'Sara Greco',
      zones: ['RM'],
      workingHours: [1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '08:00', end: '14:00' })),
    });
    const fibra = await createCampaign(
      app,
      { code: 'FIBRA', name: 'Fibra Nord' },
      { agentIds: [luca.id, marta.id], operatorIds: [anna.id] },
    );
    const luce = await createCampaign(
      app,
      { code: 'LUCE', name: 'Luce Casa Roma' },
      { agentIds: [sara.id], operatorIds: [anna.id] },
    );
    const contact = (
      campaignId: number,
      first: string,
      last: string,
      city: string,
      province: string,
      street: string,
    ) =>
      createContact(app, campaignId, {
        firstName: first,
        lastName: last,
        city,
        province,
        fields: { address: street },
      });
    const rossi = await contact(fibra.id, 'Mario', 'Rossi', 'Milano', 'MI', 'Via Roma 12');
    const bianchi = await contact(
      fibra.id,
      'Giulia',
      'Bianchi',
      'Torino',
      'TO',
      'Corso Francia 210',
    );
    const esposito = await contact(fibra.id, 'Luca', 'Esposito', 'Monza', 'MB', 'Via Italia 3');
    const conti = await contact(fibra.id, 'Anna', 'Conti', 'Torino', 'TO', 'Via Po 18');
    const ricci = await contact(luce.id, 'Paolo', 'Ricci', 'Roma', 'RM', 'Via Appia Nuova 1021');
    const repo = db().getRepository(Appointment);
    const book = (
      agentId: number,
      campaignId: number,
      contactId: number,
      startsAt: string,
      extra: Partial<Appointment> = {},
    ) =>
      repo.save({
        agentId,
        campaignId,
        contactId,
        operatorId: anna.id,
        startsAt: new Date(startsAt),
        endsAt: new Date(Date.parse(startsAt) + HOUR),
        state: 'booked' as const,
        overlaps: false,
        notes: null,
        ...extra,
      });
    // Rome is UTC+1 in December: 08:00Z is 09:00 on the agenda.
    const visit = await book(luca.id, fibra.id, rossi.id, '2026-12-01T08:00:00Z', {
      notes: 'Citofono Rossi, secondo piano. Interessato alla fibra 1 Gbit.',
    });
    const other = await book(marta.id, fibra.id, bianchi.id, '2026-12-02T13:00:00Z');
    await book(luca.id, fibra.id, esposito.id, '2026-12-01T09:00:00Z', { overlaps: true });
    await book(marta.id, fibra.id, conti.id, '2026-11-30T07:00:00Z', { state: 'done' });
    await book(luca.id, fibra.id, esposito.id, '2026-12-03T14:00:00Z', {
      state: 'cancelled',
      stateReason: 'Cliente irraggiungibile',
    });
    await book(marta.id, fibra.id, conti.id, '2026-12-04T10:00:00Z', { state: 'reschedule' });
    const roma = await book(sara.id, luce.id, ricci.id, '2026-12-05T09:00:00Z');

    // The coordinator finds the agenda in the menu: this week, every agent.
    const page = await newPage();
    await page.setViewportSize(WIDE);
    await signIn(page, coordinator);
    await Promise.all([
      page.waitForURL('**/agenda'),
      page.getByRole('link', { name: 'Agenda', exact: true }).click(),
    ]);
    expect(await page.locator('#agenda-range').innerText()).toMatch(/30 nov – 6 dic 2026/i);
    expect((await listed(page)).length).toBe(7);
    await screenshot(page, 'agenda-page-week-1920');
    await page.setViewportSize(DESK);
    await screenshot(page, 'agenda-page-week-1366');
    await page.setViewportSize(WIDE);

    // Filtered by campaign: Rome's visit goes, and so does Sara's row.
    await page.getByLabel('Campagna').selectOption({ label: 'Fibra Nord (FIBRA)' });
    await Promise.all([
      page.waitForURL(/campaignId=/),
      page.getByRole('button', { name: 'Filtra' }).click(),
    ]);
    const shown = await listed(page);
    expect(shown).toHaveLength(6);
    expect(shown).not.toContain(roma.id);
    expect(await page.locator(`tr[data-agent="${sara.id}"]`).count()).toBe(0);
    const card = page.locator(`[data-appointment="${visit.id}"]`);
    expect(await card.innerText()).toMatch(
      /09:00–10:00\s*Prenotato\s*Mario Rossi\s*Via Roma 12, Milano \(MI\)/,
    );
    expect(
      await page.locator(`tr[data-agent="${luca.id}"] [data-appointment="${visit.id}"]`).count(),
    ).toBe(1);
    await screenshot(page, 'agenda-page-week-campaign');

    // The day, from the column's head.
    await Promise.all([
      page.waitForURL(/view=day/),
      page.getByRole('link', { name: 'mar 01/12' }).click(),
    ]);
    expect(await page.locator('#agenda-range').innerText()).toMatch(/martedì 1 dicembre 2026/i);
    expect((await listed(page)).length).toBe(2);
    await screenshot(page, 'agenda-page-day');
    await page.goBack();

    // Mario Rossi's visit: its data, then a move to Marta's free Thursday 11:00.
    await Promise.all([page.waitForURL(`**/agenda/${visit.id}?**`), card.click()]);
    expect(await page.locator('#appointment-customer-name').innerText()).toBe('Mario Rossi');
    expect(await page.locator('#appointment-notes').innerText()).toContain('Citofono Rossi');
    expect(await page.locator('#appointment-operator').innerText()).toBe('Anna Operatrice');
    await screenshot(page, 'agenda-page-detail-1920');
    await page.setViewportSize(DESK);
    await screenshot(page, 'agenda-page-detail-1366');
    await page.setViewportSize(WIDE);

    // A taken time typed by hand: refused beside the picker, with the nearest free slots.
    await page.locator('.ag-manual summary').click();
    await page.getByLabel('Data', { exact: true }).fill('2026-12-02');
    await page.getByLabel('Ora', { exact: true }).fill('14:00');
    await page.getByLabel('Agente', { exact: true }).selectOption({ label: 'Marta Colombo' });
    await Promise.all([
      page.waitForURL(`**/agenda/${visit.id}?**`),
      page.locator('#move-submit').click(),
    ]);
    expect(await page.locator('#startsAt-error').innerText()).toContain(
      'Lo slot scelto è già occupato',
    );
    expect(await page.locator('#nearest-slots label').count()).toBe(3);
    await page.locator('#move').scrollIntoViewIfNeeded();
    await screenshot(page, 'agenda-page-move-taken');

    await page
      .locator(
        `#slot-picker tr[data-agent="${marta.id}"] label:has(input[value="${marta.id}|2026-12-03T11:00"])`,
      )
      .click();
    await page
      .getByLabel('Motivo dello spostamento (facoltativo)')
      .fill('Il cliente preferisce giovedì');
    await Promise.all([
      page.waitForURL(`**/agenda/${visit.id}?**`),
      page.locator('#move-submit').click(),
    ]);
    expect(await page.locator('.flash-success').innerText()).toBe(
      'Appuntamento spostato a gio 03/12/2026, 11:00 con Marta Colombo.',
    );
    expect(await page.locator('#appointment-agent').innerText()).toBe('Marta Colombo');
    expect(await page.locator('#appointment-reason').innerText()).toBe(
      'Il cliente preferisce giovedì',
    );
    await screenshot(page, 'agenda-page-moved');
    expect(await repo.findOneByOrFail({ id: visit.id })).toMatchObject({
      agentId: marta.id,
      startsAt: new Date('2026-12-03T10:00:00Z'),
      stateReason: 'Il cliente preferisce giovedì',
    });

    // Back on the filtered week the card sits in Marta's row, on Thursday.
    await Promise.all([
      page.waitForURL(/\/agenda\?.*campaignId=/),
      page.getByRole('link', { name: "← Torna all'agenda" }).click(),
    ]);
    const thursday = page.locator(`tr[data-agent="${marta.id}"] td.ag-cell`).nth(3);
    expect(await thursday.locator(`[data-appointment="${visit.id}"]`).innerText()).toContain(
      '11:00–12:00',
    );

    // Giulia Bianchi's visit is cancelled: first without a reason (refused beside it), then with one.
    await Promise.all([
      page.waitForURL(`**/agenda/${other.id}?**`),
      page.locator(`[data-appointment="${other.id}"]`).click(),
    ]);
    await page.locator('summary', { hasText: 'Annulla appuntamento' }).click();
    await Promise.all([
      page.waitForURL(`**/agenda/${other.id}?**`),
      page.getByRole('button', { name: "Annulla l'appuntamento" }).click(),
    ]);
    expect(await page.locator('#reason-error').innerText()).toBe(
      "Scrivi il motivo dell'annullamento.",
    );
    expect(await page.locator('#appointment-actions details[open]').count()).toBe(1);
    await screenshot(page, 'agenda-page-cancel-refused');
    await page.getByLabel("Motivo dell'annullamento").fill('Ha già firmato in negozio');
    await Promise.all([
      page.waitForURL(`**/agenda/${other.id}?**`),
      page.getByRole('button', { name: "Annulla l'appuntamento" }).click(),
    ]);
    expect(await page.locator('.flash-success').innerText()).toBe('Appuntamento annullato.');
    expect(await page.locator('#appointment-state').innerText()).toBe('Annullato');
    expect(await page.locator('#move').count()).toBe(0);
    await screenshot(page, 'agenda-page-cancelled');
    expect(await repo.findOneByOrFail({ id: other.id })).toMatchObject({
      state: 'cancelled',
      stateReason: 'Ha già firmato in negozio',
    });
  });
});
