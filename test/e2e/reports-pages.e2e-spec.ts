import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { PauseReasonsService } from '../../src/monitor/pause-reasons.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { User } from '../../src/users/user.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, TestUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

const MINUTE = 60_000;
/** Monday 30 November 2026, 10:00 in Rome. */
const MONDAY = new Date('2026-11-30T09:00:00Z');

describe('Reports page (filters, tabs, bar charts, tables, CSV links, refusals)', () => {
  let app: NestExpressApplication;
  let clock: Clock;
  let operator: TestUser;
  let operatorToken: string;
  let coordinator: TestUser;
  let browser: TestAgent;
  let campaign: Campaign;
  let sale: OutcomeStatus;
  let no: OutcomeStatus;
  const http = () => request(app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${operatorToken}` });
  /** An attribute as a browser reads it (handlebars escapes `=` and `&`). */
  const attribute = (value: string | undefined) =>
    value?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const exportLink = (html: string) =>
    attribute(/id="report-export" href="([^"]+)"/.exec(html)?.[1]);
  /** The text of the bars' rows: label, figure and what is written beside each bar. */
  const barTexts = (html: string) =>
    [...html.matchAll(/<li class="rp-bar-row">([\s\S]*?)<\/li>/g)].map((m) =>
      m[1]!
        .replace(/<span class="rp-track"[\s\S]*?(<span class="rp-bar-value">)/, '$1')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );

  async function outcome(statusId: number): Promise<void> {
    const contact = await createContact(app, campaign.id);
    await http()
      .post('/api/v1/work/next')
      .set(auth())
      .send({ campaignId: campaign.id })
      .expect(200);
    clock.advance(2 * MINUTE);
    await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(auth())
      .send({ statusId })
      .expect(201);
  }

  beforeAll(async () => {
    app = await createTestApp();
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    operator = await createUser(app, { role: 'operator', displayName: 'Anna Rossi' });
    await app.get(DataSource).getRepository(User).update(operator.id, { team: 'Nord' });
    operatorToken = await tokenFor(app, operator);
    coordinator = await createUser(app, { role: 'coordinator', displayName: 'Carla Coord' });
    browser = await signedInAgent(app, coordinator);
    sale = await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C', color: '#16A34A' });
    no = await createStatus(app, {
      code: 'NI',
      label: 'Non interessato',
      labelEn: 'Not interested',
      type: 'N',
      color: '#DC2626',
    });
    campaign = await createCampaign(
      app,
      { code: 'ENERGIA', name: 'Energia casa' },
      { statusIds: [sale.id, no.id], operatorIds: [operator.id] },
    );
    await app.get(PauseReasonsService).create({ code: 'pausa', label: 'Pausa', labelEn: 'Break' });
    // N outcomes: a sale would need a cart, and this page is about the counts.
    await outcome(no.id);
    await outcome(no.id);
    await outcome(no.id);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('shows today’s outcomes by operator as coloured bars with the codes written beside', async () => {
    const page = await browser.get('/reports').expect(200);
    expect(page.text).toContain('<h1>Report</h1>');
    expect(page.text).toMatch(
      /<a href="\/reports" class="nav-link active" aria-current="page">Report<\/a>/,
    );
    expect(page.text).toMatch(/id="from" name="from" type="date" value="2026-11-30"/);
    expect(page.text).toMatch(/id="to" name="to" type="date" value="2026-11-30"/);
    expect(barTexts(page.text)).toEqual(['Anna Rossi 3 NI 3']);
    // The segment in the status's colour, its code inside, text readable on it.
    expect(page.text).toContain(
      'style="width: 100%; background-color: #DC2626; color: #FFFFFF;" title="NI · Non interessato: 3">NI</span>',
    );
    expect(page.text).toMatch(/<li data-status="NI">[\s\S]*?NI<\/b> Non interessato/);
    // The table under the chart: a column per status, per type, and the total.
    const table = /<section[^>]*id="outcomes-table"[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(table.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('Anna Rossi 3 0 3 0 0 3');

    const link = exportLink(page.text);
    expect(link).toBe('/api/v1/reports/outcomes?from=2026-11-30&to=2026-11-30&format=csv');
    // The browser downloads it with its session.
    const csv = await browser
      .get(link!)
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    expect(parse(csv.text, { bom: true })).toEqual([
      ['key', 'label', 'NI', 'typeR', 'typeN', 'typeC', 'typeT', 'total'],
      [String(operator.id), 'Anna Rossi', '3', '0', '3', '0', '0', '3'],
    ]);
  });

  it('keeps the filters in the tabs and the CSV link; groups by hour', async () => {
    const query = `from=2026-11-29&to=2026-11-30&campaignId=${campaign.id}&team=Nord&groupBy=hour`;
    const page = await browser.get(`/reports?${query}`).expect(200);
    expect(barTexts(page.text)).toEqual(['10:00 3 NI 3']);
    expect(page.text).toContain('Esiti per ora');
    expect(page.text).toMatch(/<option value="Nord" selected>Nord<\/option>/);
    expect(exportLink(page.text)).toBe(
      `/api/v1/reports/outcomes?from=2026-11-29&to=2026-11-30&campaignId=${campaign.id}&team=Nord&groupBy=hour&format=csv`,
    );
    const timeTab = attribute(/href="([^"]+)" data-tab="time"/.exec(page.text)?.[1]);
    expect(timeTab).toBe(
      `/reports?view=time&from=2026-11-29&to=2026-11-30&campaignId=${campaign.id}&team=Nord&groupBy=hour`,
    );

    // Operator time takes no campaign: it rides along, hidden, for the other tabs.
    const time = await browser.get(timeTab!).expect(200);
    expect(time.text).toMatch(
      /<a class="rp-tab rp-tab-active" href="[^"]+" data-tab="time" aria-current="page">/,
    );
    expect(time.text).not.toContain('id="campaignId"');
    expect(time.text).toContain(`<input type="hidden" name="campaignId" value="${campaign.id}">`);
    expect(exportLink(time.text)).toBe(
      '/api/v1/reports/operator-time?from=2026-11-29&to=2026-11-30&team=Nord&format=csv',
    );
  });

  it('shows operator time and production in their tabs', async () => {
    // Ready since 10:00 (asking for the first contact), 3 contacts of 2 minutes, 10 more
    // minutes of an open page, then a break going on for 2 minutes.
    await http().post('/api/v1/me/presence').set(auth()).expect(200);
    for (let i = 0; i < 10; i++) {
      clock.advance(MINUTE);
      await http().post('/api/v1/me/presence').set(auth()).expect(200);
    }
    const reasons = await app.get(PauseReasonsService).list();
    await http()
      .post('/api/v1/me/state')
      .set(auth())
      .send({ state: 'paused', pauseReasonId: reasons[0]!.id })
      .expect(200);
    clock.advance(2 * MINUTE);

    const time = await browser.get('/reports?view=time').expect(200);
    expect(barTexts(time.text)).toEqual([
      'Anna Rossi 0:18:00 In contatto 0:06:00 In attesa 0:10:00 In pausa 0:02:00',
    ]);
    const table = /<section[^>]*id="time-table"[\s\S]*?<\/section>/.exec(time.text)![0];
    expect(table.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Anna Rossi Nord 0:18:00 0:10:00 0:06:00 0:02:00 0:02:00',
    );
    expect(time.text).toContain('Giorni del fuso orario Europe/Rome');

    const production = await browser.get('/reports?view=production').expect(200);
    expect(barTexts(production.text)).toEqual(['Anna Rossi 3 Altri esiti 3']);
    expect(production.text).toMatch(/<td class="num">0,0\u00a0%<\/td>/);
    expect(exportLink(production.text)).toBe(
      '/api/v1/reports/production?from=2026-11-30&to=2026-11-30&format=csv',
    );
  });

  it('speaks English to an English-speaking coordinator', async () => {
    const english = await createUser(app, { role: 'coordinator', uiLanguage: 'en' });
    const agent = await signedInAgent(app, english);
    const page = await agent.get('/reports?groupBy=status').expect(200);
    expect(page.text).toContain('Outcomes by outcome');
    expect(page.text).toContain('Export CSV');
    expect(barTexts(page.text)).toEqual(['NI · Not interested 3 NI 3']);
  });

  it('says a refused filter beside its field, with a 400 and the form kept', async () => {
    const cases: Array<[string, string, string]> = [
      ['from=2026-02-30', 'from', 'Scrivi una data valida, ad esempio 2026-11-30.'],
      ['from=2026-12-01&to=2026-11-30', 'to', 'La data finale non può precedere quella iniziale.'],
      ['from=2025-01-01&to=2026-06-30', 'to', 'Il periodo può coprire al massimo 366 giorni.'],
      ['groupBy=week', 'groupBy', 'Valore non valido: controllalo.'],
      ['operatorId=abc', 'operatorId', 'Valore non valido: controllalo.'],
    ];
    for (const [query, field, said] of cases) {
      const res = await browser.get(`/reports?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.text).toMatch(
        new RegExp(`id="${field}"[^>]*aria-invalid="true" aria-describedby="${field}-error"`),
      );
      expect(res.text).toContain(
        `<p class="field-error rp-field-error" id="${field}-error">${said}</p>`,
      );
      expect(res.text).not.toContain('id="report-export"');
    }
    // What was typed stays in the form.
    const kept = await browser.get('/reports?from=2026-02-30&to=2026-03-01').expect(400);
    expect(kept.text).toMatch(/id="to" name="to" type="date" value="2026-03-01"/);
    // A tab that does not exist has no field: said above the form.
    const tab = await browser.get('/reports?view=weekly').expect(400);
    expect(tab.text).toContain('<p class="field-error rp-form-error" id="view-error">');
  });

  it('is for coordinators and admins: operators get 403, strangers sign in', async () => {
    const operatorPage = await signedInAgent(app, operator);
    await operatorPage.get('/reports').expect(403);
    await http().get('/reports').expect(303).expect('Location', '/login?next=%2Freports');
    const admin = await createUser(app, { role: 'admin' });
    await (await signedInAgent(app, admin)).get('/reports?view=production').expect(200);
  });
});
