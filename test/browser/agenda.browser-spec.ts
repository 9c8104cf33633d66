import { join } from 'node:path';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { AgentAbsence } from '../../src/agents/agent-absence.entity';
import type { Agent } from '../../src/agents/agent.entity';
import { Appointment } from '../../src/appointments/appointment.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import type { Contact } from '../../src/contacts/contact.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createAppointment } from '../factories/appointment.factory';
import { createAgent, createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser } from '../factories/user.factory';
import {
  ARTIFACTS_DIR,
  type BrowserHarness,
  type PageProblem,
  pageValueWhen,
  screenshot,
  signIn,
  startBrowserHarness,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

/** Monday 30 November 2026, 10:30 in Rome: the slots of 09:00 and 10:00 are gone. */
const NOW = new Date('2026-11-30T09:30:00Z');
/** A slot of the week, by its Rome wall-clock time (UTC+1 in winter). */
const rome = (day: number, hour: number) =>
  new Date(Date.UTC(2026, 10, 30 + day, hour - 1)).toISOString();

describe('the agenda of an appointment on the operator workstation', () => {
  let harness: BrowserHarness;
  const problems: PageProblem[][] = [];
  let giulia: TestUser;
  let bruno: TestUser;
  let visit: OutcomeStatus;
  let campaign: Campaign;
  let marco: Agent;
  let luca: Agent;
  let maria: Contact;
  const db = () => harness.app.get(DataSource);

  async function newPage(): Promise<Page> {
    const opened = await harness.newPage();
    problems.push(opened.problems);
    // The page and the server agree on what "now" is.
    await opened.page.clock.setFixedTime(NOW);
    return opened.page;
  }

  /** A page of `user` on the workstation with the next contact, `name`, leased. */
  async function workOn(user: TestUser, name: string): Promise<Page> {
    const page = await newPage();
    await signIn(page, user);
    await page.goto('/work');
    await page.keyboard.press('n');
    await page.locator('#work-contact-name', { hasText: name }).waitFor();
    return page;
  }

  /** Key 1 (the T status), then the agenda drawn with both agents. */
  async function openAgenda(page: Page): Promise<void> {
    await page.keyboard.press('1');
    await page.locator('[data-panel="T"]').waitFor({ state: 'visible' });
    await page.locator('#agenda-grid tbody.work-agenda-agent').nth(1).waitFor();
  }

  const slot = (page: Page, agent: Agent, start: string) =>
    page.locator(`.work-agenda-slot[data-agent-id="${agent.id}"][data-start="${start}"]`);
  /** The slot with the focus, once it is `expected` (the grid may still be drawing). */
  const focused = (page: Page, expected: string) =>
    pageValueWhen(page, 'document.activeElement && document.activeElement.dataset.start', expected);
  /** The refusals a test provokes on purpose are not faults of the page. */
  const expected = (status: number) => {
    for (const list of problems) {
      const rest = list.filter((p) => !p.text.includes(String(status)));
      list.splice(0, list.length, ...rest);
    }
  };

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    const app = harness.app;
    app.get(Clock).set(NOW);
    await resetDatabase(app);
    problems.length = 0;
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
    visit = await createStatus(app, {
      code: 'APP',
      label: 'Appuntamento',
      type: 'T',
      quick: true,
      quickOrder: 1,
      color: '#7c3aed',
    });
    // Alphabetically Luca comes first; Marco covers the customers' province, so he leads.
    luca = await createAgent(app, { name: 'Luca Verdi', zones: ['TO'] });
    marco = await createAgent(app, { name: 'Marco Bianchi', zones: ['MI', 'MB'] });
    campaign = await createCampaign(
      app,
      { name: 'Fibra Nord' },
      { statusIds: [visit.id], operatorIds: [giulia.id, bruno.id], agentIds: [luca.id, marco.id] },
    );
    maria = await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      city: 'Milano',
      province: 'MI',
      fields: { indirizzo: 'Via Dante 12', cap: '20121' },
    });
    await createContact(app, campaign.id, {
      firstName: 'Paolo',
      lastName: 'Neri',
      city: 'Monza',
      province: 'MB',
    });
    // Marco already visits someone on Monday at 11:00; Luca is on holiday all week.
    const done = await createContact(app, campaign.id, { lastName: 'Servito', state: 'done' });
    await createAppointment(app, {
      agentId: marco.id,
      campaignId: campaign.id,
      contactId: done.id,
      startsAt: rome(0, 11),
    });
    await db()
      .getRepository(AgentAbsence)
      .save({
        agentId: luca.id,
        startsAt: new Date(rome(0, 0)),
        endsAt: new Date(rome(6, 0)),
        reason: 'Ferie',
      });
  });
  afterEach(() => {
    harness.app.get(Clock).set(null);
    expect(problems.flat()).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
    removeSqliteData();
  });

  it('books the zone agent from the keyboard with a summary; the next operator finds the slot taken', async () => {
    const work = await workOn(giulia, 'Maria Rossi');
    await openAgenda(work);

    // Marco (covers MI) first, marked; the week of today, Monday to Sunday, in words.
    expect(await work.locator('.work-agenda-name').allInnerTexts()).toEqual([
      'Marco Bianchi',
      'Luca Verdi',
    ]);
    const [marcoRows, lucaRows] = [
      work.locator(`tbody[data-agent-id="${marco.id}"]`),
      work.locator(`tbody[data-agent-id="${luca.id}"]`),
    ];
    expect(await marcoRows.locator('.work-agenda-inzone').innerText()).toBe('in zona');
    expect(await lucaRows.locator('.work-agenda-inzone').count()).toBe(0);
    expect(await work.locator('#agenda-week').innerText()).toBe('30 nov – 6 dic 2026');
    expect(await work.locator('#agenda-grid thead th').allInnerTexts()).toEqual([
      'lun 30 nov',
      'mar 1 dic',
      'mer 2 dic',
      'gio 3 dic',
      'ven 4 dic',
      'sab 5 dic',
      'dom 6 dic',
    ]);
    expect(await work.locator('#agenda-prev').isDisabled()).toBe(true);
    // Monday: 09:00 and 10:00 are past, 11:00 is taken; 12:00 is Marco's next free slot,
    // highlighted, and where the keyboard lands.
    const nextFree = slot(work, marco, rome(0, 12));
    expect(await nextFree.getAttribute('class')).toContain('is-next');
    expect(await nextFree.innerText()).toBe('★\n12:00');
    expect(await focused(work, rome(0, 12))).toBe(rome(0, 12));
    expect(await marcoRows.locator('.work-agenda-next').innerText()).toBe(
      '★ Primo libero: lun 30 nov, 12:00',
    );
    for (const [hour, state] of [
      [9, 'past'],
      [10, 'past'],
      [11, 'taken'],
    ] as const) {
      const button = slot(work, marco, rome(0, hour));
      expect(await button.getAttribute('data-state')).toBe(state);
      expect(await button.isDisabled()).toBe(true);
    }
    expect(await slot(work, marco, rome(0, 11)).innerText()).toBe('✕\n11:00');
    // Nobody works at the weekend; Luca is away all week: his next free slot is in the next one.
    expect(await marcoRows.locator('td').nth(5).innerText()).toBe('—\nnessun orario');
    expect(await lucaRows.locator('button.work-agenda-slot').count()).toBe(0);
    expect(await lucaRows.locator('.work-agenda-day').allInnerTexts()).toEqual(
      Array(5).fill('⊘\nassente'),
    );
    expect(await lucaRows.locator('.work-agenda-next').innerText()).toBe(
      'Primo libero: lun 7 dic, 09:00 vai alla settimana →',
    );
    await screenshot(work, 'agenda-grid');
    // What the operator sees without scrolling once the agenda has the focus.
    await work.screenshot({ path: join(ARTIFACTS_DIR, 'agenda-grid-viewport.png') });

    // Right: Tuesday at the nearest time; up twice: Tuesday 10:00. Enter picks it.
    await work.keyboard.press('ArrowRight');
    expect(await focused(work, rome(1, 12))).toBe(rome(1, 12));
    await work.keyboard.press('ArrowUp');
    await work.keyboard.press('ArrowUp');
    expect(await focused(work, rome(1, 10))).toBe(rome(1, 10));
    await work.keyboard.press('Enter');
    const review = work.locator('#agenda-review');
    await review.waitFor({ state: 'visible' });
    expect(await work.evaluate('document.activeElement.id')).toBe('agenda-review');
    expect(await work.locator('#agenda-pick').isHidden()).toBe(true);
    const summary = (name: string) => review.locator(`[data-summary="${name}"]`).innerText();
    expect(await summary('agent')).toBe('Marco Bianchi');
    expect(await review.locator('.work-agenda-inzone').isVisible()).toBe(true);
    expect(await summary('when')).toBe('martedì 1 dicembre 2026, 10:00–11:00');
    expect(await summary('customer')).toBe(`Maria Rossi · ${maria.phone}`);
    expect(await summary('address')).toBe('Via Dante 12, 20121 Milano (MI)');
    expect(await summary('notes')).toBe('nessuna');
    // The notes for the agent, above the summary, are read back in it as they are typed.
    await work
      .locator('#appointment-notes')
      .fill('Interessata alla fibra; citofono Rossi, 2° piano');
    expect(await summary('notes')).toBe('Interessata alla fibra; citofono Rossi, 2° piano');
    await screenshot(work, 'agenda-summary');

    // Back to the grid and again: the slot chosen is marked and keeps the focus.
    await review.getByRole('button', { name: 'Cambia orario' }).click();
    await work.locator('#agenda-grid').waitFor({ state: 'visible' });
    const chosen = slot(work, marco, rome(1, 10));
    expect(await chosen.getAttribute('class')).toContain('is-selected');
    expect(await chosen.getAttribute('aria-pressed')).toBe('true');
    expect(await focused(work, rome(1, 10))).toBe(rome(1, 10));
    await work.keyboard.press('Control+Enter');
    await review.waitFor({ state: 'visible' });
    await review.getByRole('button', { name: 'CONFERMA APPUNTAMENTO' }).click();
    const result = work.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="appointment"]').innerText()).toBe(
      'mar 01/12/2026, 10:00 · Marco Bianchi',
    );
    await screenshot(work, 'agenda-booked');
    const booked = await db().getRepository(Appointment).findOneByOrFail({ contactId: maria.id });
    expect(booked.agentId).toBe(marco.id);
    expect(booked.startsAt.toISOString()).toBe(rome(1, 10));
    expect(booked.notes).toBe('Interessata alla fibra; citofono Rossi, 2° piano');

    // Bruno, on the next contact: Tuesday 10:00 is taken now and cannot be picked.
    const next = await workOn(bruno, 'Paolo Neri');
    await openAgenda(next);
    const taken = slot(next, marco, rome(1, 10));
    expect(await taken.getAttribute('data-state')).toBe('taken');
    expect(await taken.isDisabled()).toBe(true);
    expect(await taken.getAttribute('aria-label')).toBe(
      'Marco Bianchi, martedì 1 dicembre 2026, 10:00–11:00, occupato',
    );
    expect(await slot(next, marco, rome(1, 11)).isEnabled()).toBe(true);
    await screenshot(next, 'agenda-taken');

    // Luca's next free slot is in the next week: the link goes there, onto that slot.
    await next.locator(`tbody[data-agent-id="${luca.id}"] .work-agenda-jump`).click();
    await next.locator('#agenda-week', { hasText: '7 dic – 13 dic 2026' }).waitFor();
    expect(await focused(next, rome(7, 9))).toBe(rome(7, 9));
    expect(await next.locator('#agenda-prev').isEnabled()).toBe(true);
    await slot(next, luca, rome(7, 9)).click();
    expect(await next.locator('[data-summary="when"]').innerText()).toBe(
      'lunedì 7 dicembre 2026, 09:00–10:00',
    );
    // No street in the list: the summary gives what there is.
    expect(await next.locator('[data-summary="address"]').innerText()).toBe('Monza (MB)');
    await screenshot(next, 'agenda-next-week-summary');
    await next.keyboard.press('Control+Enter');
    await next.locator('#work-result').waitFor({ state: 'visible' });
    expect(await next.locator('[data-result="appointment"]').innerText()).toBe(
      'lun 07/12/2026, 09:00 · Luca Verdi',
    );
  });

  it('keeps the chosen slot over a reload; taken meanwhile, it offers the nearest free ones', async () => {
    const work = await workOn(giulia, 'Maria Rossi');
    // Ctrl+Enter before a slot is chosen asks for one.
    await openAgenda(work);
    await work.keyboard.press('Control+Enter');
    expect(await work.locator('#agenda-hint').innerText()).toBe(
      "Scegli un orario libero nell'agenda.",
    );
    await slot(work, marco, rome(1, 10)).click();
    await work.locator('#appointment-notes').fill('Preferisce la mattina');
    await work.locator('[data-draft-state="saved"]').waitFor();

    // A reload restores the draft: the status, the agenda on the chosen slot, its summary.
    await work.reload();
    await work.locator('#agenda-review').waitFor({ state: 'visible' });
    expect(await work.locator('[data-summary="when"]').innerText()).toBe(
      'martedì 1 dicembre 2026, 10:00–11:00',
    );
    expect(await work.locator('[data-summary="notes"]').innerText()).toBe('Preferisce la mattina');

    // Someone else books Marco at that time; the confirmation is refused with a 409.
    const other = await createContact(harness.app, campaign.id, { state: 'done' });
    await createAppointment(harness.app, {
      agentId: marco.id,
      campaignId: campaign.id,
      contactId: other.id,
      startsAt: rome(1, 10),
    });
    await work.locator('#agenda-confirm').click();
    const conflict = work.locator('#appointment-slots');
    await conflict.waitFor({ state: 'visible' });
    expect(await work.locator('#agenda-conflict-message').innerText()).toBe(
      'Marco Bianchi ha già un appuntamento mar 01/12/2026, 10:00: scegli uno degli slot liberi più vicini.',
    );
    // The agenda is read again: the slot is taken; the nearest free ones are offered.
    await work
      .locator(`.work-agenda-slot[data-start="${rome(1, 10)}"][data-state="taken"]`)
      .waitFor();
    expect(await slot(work, marco, rome(1, 10)).isDisabled()).toBe(true);
    const choices = conflict.locator('#agenda-choices button');
    expect(await choices.allInnerTexts()).toEqual([
      'mar 1 dic, 09:00',
      'mar 1 dic, 11:00',
      'mar 1 dic, 12:00',
    ]);
    expect(await work.evaluate('document.activeElement.textContent')).toBe('mar 1 dic, 09:00');
    await screenshot(work, 'agenda-conflict');
    expected(409);

    await choices.nth(1).click();
    expect(await work.locator('[data-summary="when"]').innerText()).toBe(
      'martedì 1 dicembre 2026, 11:00–12:00',
    );
    expect(await conflict.isHidden()).toBe(true);
    await work.keyboard.press('Control+Enter');
    await work.locator('#work-result').waitFor({ state: 'visible' });
    const booked = await db().getRepository(Appointment).findOneByOrFail({ contactId: maria.id });
    expect(booked.startsAt.toISOString()).toBe(rome(1, 11));
    expect(booked.notes).toBe('Preferisce la mattina');
  });

  it('under the policy warn a taken slot can be booked, once the overlap is acknowledged', async () => {
    await db().getRepository(Campaign).update({ id: campaign.id }, { overlapPolicy: 'warn' });
    const work = await workOn(giulia, 'Maria Rossi');
    await openAgenda(work);
    const taken = slot(work, marco, rome(0, 11));
    expect(await taken.isEnabled()).toBe(true);
    expect(await taken.getAttribute('aria-label')).toBe(
      'Marco Bianchi, lunedì 30 novembre 2026, 11:00–12:00, occupato, prenotabile con conferma',
    );
    await taken.click();
    expect(await work.locator('#agenda-overlap').innerText()).toBe(
      "Questo orario si sovrappone a un altro appuntamento dell'agente.",
    );
    // Not acknowledged: asked for, nothing sent.
    await work.keyboard.press('Control+Enter');
    expect(await work.locator('#agenda-review [data-error-for="appointment"]').innerText()).toBe(
      "Conferma che vuoi sovrapporre l'appuntamento.",
    );
    expect(await work.evaluate('document.activeElement.id')).toBe('appointment-ack');
    await screenshot(work, 'agenda-overlap-warn');
    await work.keyboard.press('Space');
    await work.keyboard.press('Control+Enter');
    const result = work.locator('#work-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.locator('[data-result="appointment"]').innerText()).toBe(
      'lun 30/11/2026, 11:00 · Marco Bianchi (si sovrappone a un altro appuntamento)',
    );
  });
  it("the booked visit is in the agent's calendar feed, issued from the agent's page", async () => {
    const work = await workOn(giulia, 'Maria Rossi');
    await openAgenda(work);
    await slot(work, marco, rome(1, 10)).click();
    const review = work.locator('#agenda-review');
    await review.waitFor({ state: 'visible' });
    await work.locator('#appointment-notes').fill('Citofono Rossi');
    await review.getByRole('button', { name: 'CONFERMA APPUNTAMENTO' }).click();
    await work.locator('#work-result').waitFor({ state: 'visible' });

    // The admin issues Marco's feed link on his page (confirming the dialog).
    const admin = await newPage();
    await signIn(admin, await createUser(harness.app, { role: 'admin' }));
    await admin.goto(`/agents/${marco.id}`);
    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.locator('#calendar').getByRole('button').first().click();
    const url = await admin.locator('#calendar-url').inputValue();
    expect(url).toMatch(/^http:\/\/[^/]+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await admin.locator('#calendar').scrollIntoViewIfNeeded();
    await screenshot(admin, 'agenda-calendar-link');

    // What a phone calendar subscribing to that URL receives, read by an iCalendar parser.
    const feed = await admin.request.get(url);
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const events = calendar.getAllSubcomponents('vevent');
    expect(events).toHaveLength(2); // Monday's visit and Maria's
    const visit = events.find((e) =>
      String(e.getFirstPropertyValue('summary')).includes('Maria Rossi'),
    );
    expect(visit).toBeDefined();
    const start = visit!.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe(rome(1, 10));
    expect(visit!.getFirstPropertyValue('location')).toBe('Via Dante 12, 20121 Milano (MI)');
    expect(String(visit!.getFirstPropertyValue('description'))).toContain('Citofono Rossi');
    expect(visit!.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });
});
