import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { PauseReasonsService } from '../../src/monitor/pause-reasons.service';
import { User } from '../../src/users/user.entity';
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

const MINUTE = 60_000;
/** Monday 30 November 2026, 09:00 in Rome. */
const MONDAY = new Date('2026-11-30T08:00:00Z');
/** The coordinators' desk screen. */
const DESK = { width: 1920, height: 1080 };

const STATUSES = [
  { code: 'OK', label: 'Vendita', type: 'C', color: '#16A34A' },
  { code: 'RC', label: 'Richiamare', type: 'R', color: '#F59E0B', callbackVisibility: 'private' },
  { code: 'NI', label: 'Non interessato', type: 'N', color: '#DC2626' },
  { code: 'NR', label: 'Non risponde', type: 'N', color: '#64748B' },
] as const;
type Code = (typeof STATUSES)[number]['code'];

/** An element whose computed style is read in the page (the tests' TypeScript has no DOM). */
type StyledElement = {
  ownerDocument: { defaultView: { getComputedStyle(el: unknown): Record<string, string> } };
};

/** Per operator, the outcomes of the morning in order. */
const MORNING: Record<'anna' | 'bruno' | 'ciro', Code[]> = {
  anna: ['OK', 'NI', 'NR', 'NR', 'OK', 'RC', 'NI', 'OK'],
  bruno: ['NR', 'NR', 'NI', 'RC', 'NR', 'OK'],
  ciro: ['NI', 'NR', 'NI'],
};

describe('reports in a browser: a coordinator reads the morning', () => {
  let harness: BrowserHarness;
  const problems: PageProblem[][] = [];
  let coordinator: TestUser;
  const tokens = new Map<string, string>();
  const statusIds = new Map<Code, number>();
  let campaignId: number;
  let productId: number;

  async function newPage(): Promise<Page> {
    const opened = await harness.newPage();
    problems.push(opened.problems);
    await opened.page.setViewportSize(DESK);
    return opened.page;
  }

  /** One outcome through the operator's API, two minutes after the last. */
  async function outcome(token: string, code: Code): Promise<void> {
    const app = harness.app;
    const http = () => request(app.getHttpServer());
    const auth = { Authorization: `Bearer ${token}` };
    const contact = await createContact(app, campaignId);
    await http().post('/api/v1/work/next').set(auth).send({ campaignId }).expect(200);
    app.get(Clock).advance(2 * MINUTE);
    const extra =
      code === 'OK'
        ? { cart: [{ productId, quantity: 1 }] }
        : code === 'RC'
          ? {
              callback: {
                at: new Date(app.get(Clock).now().getTime() + 3 * 3600_000).toISOString(),
              },
            }
          : {};
    await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set(auth)
      .send({ statusId: statusIds.get(code), ...extra })
      .expect(201);
  }

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    const app = harness.app;
    const clock = app.get(Clock);
    clock.set(MONDAY);
    await resetDatabase(app);
    problems.length = 0;
    coordinator = await createUser(app, {
      role: 'coordinator',
      displayName: 'Carla Coordinatrice',
      password: 'coordinator-pass-123',
    });
    const operators = [
      ['anna', 'Anna Rossi', 'Nord'],
      ['bruno', 'Bruno Verdi', 'Nord'],
      ['ciro', 'Ciro Esposito', 'Sud'],
    ] as const;
    const ids: number[] = [];
    for (const [key, displayName, team] of operators) {
      const user = await createUser(app, { role: 'operator', displayName });
      await app.get(DataSource).getRepository(User).update(user.id, { team });
      tokens.set(key, await tokenFor(app, user));
      ids.push(user.id);
    }
    for (const status of STATUSES) statusIds.set(status.code, (await createStatus(app, status)).id);
    productId = (await createProduct(app)).id;
    campaignId = (
      await createCampaign(
        app,
        { code: 'ENERGIA', name: 'Energia casa' },
        { statusIds: [...statusIds.values()], productIds: [productId], operatorIds: ids },
      )
    ).id;
    await app.get(PauseReasonsService).create({ code: 'pausa', label: 'Pausa', labelEn: 'Break' });

    // The morning: the operators take turns; half-hour steps spread them over the hours.
    for (let round = 0; round < 8; round++) {
      for (const key of ['anna', 'bruno', 'ciro'] as const) {
        const code = MORNING[key][round];
        if (code) await outcome(tokens.get(key)!, code);
      }
      clock.advance(20 * MINUTE);
    }
    // Ciro takes a break that is still going on.
    const reasons = await app.get(PauseReasonsService).list();
    await request(app.getHttpServer())
      .post('/api/v1/me/state')
      .set({ Authorization: `Bearer ${tokens.get('ciro')}` })
      .send({ state: 'paused', pauseReasonId: reasons[0]!.id })
      .expect(200);
    clock.advance(MINUTE);
  });
  afterEach(() => {
    expect(problems.flat()).toEqual([]);
  });
  afterAll(async () => {
    harness?.app.get(Clock).set(null);
    await harness?.close();
    removeSqliteData();
  });

  it('shows coloured bars with their codes, the table, each tab and a CSV with the filters', async () => {
    const page = await newPage();
    await signIn(page, coordinator);
    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.waitForURL('**/reports');

    // One bar per operator, in name order, as long as their outcomes.
    const rows = page.locator('#outcomes-bars .rp-bar-row');
    expect(await rows.count()).toBe(3);
    expect(await rows.locator('.rp-bar-label').allInnerTexts()).toEqual([
      'Anna Rossi',
      'Bruno Verdi',
      'Ciro Esposito',
    ]);
    expect(await rows.locator('.rp-bar-value').allInnerTexts()).toEqual(['8', '6', '3']);
    const widths = await rows
      .locator('.rp-bar')
      .evaluateAll((bars) => bars.map((bar) => Math.round(bar.getBoundingClientRect().width)));
    expect(widths[0]! / widths[1]!).toBeCloseTo(8 / 6, 1);
    expect(widths[0]! / widths[2]!).toBeCloseTo(8 / 3, 1);
    // Anna's segments: by type R, N, C then code; each in its status's colour.
    const segments = rows.first().locator('.rp-seg');
    const colours = await segments.evaluateAll((list) =>
      list.map((segment) => {
        const element = segment as unknown as StyledElement;
        return String(element.ownerDocument.defaultView.getComputedStyle(element).backgroundColor);
      }),
    );
    expect(colours).toEqual([
      'rgb(245, 158, 11)',
      'rgb(220, 38, 38)',
      'rgb(100, 116, 139)',
      'rgb(22, 163, 74)',
    ]);
    // And the codes written beside, for whoever does not tell the colours apart.
    expect(await rows.first().locator('.rp-code').allInnerTexts()).toEqual([
      'RC 1',
      'NI 2',
      'NR 2',
      'OK 3',
    ]);
    expect(await page.locator('#outcomes-table tfoot').innerText()).toMatch(
      /Totale\s+2\s+5\s+6\s+4\s+2\s+11\s+4\s+0\s+17/,
    );
    await screenshot(page, 'reports-outcomes');

    // Grouped by hour for the Nord team: the form keeps the choice, the CSV the filters.
    await page.locator('#groupBy').selectOption('hour');
    await page.locator('#team').selectOption('Nord');
    await Promise.all([
      page.waitForURL('**/reports?**'),
      page.getByRole('button', { name: 'Mostra' }).click(),
    ]);
    expect(await page.locator('#outcomes-chart-title').innerText()).toBe('Esiti per ora');
    expect(await rows.locator('.rp-bar-label').allInnerTexts()).toEqual([
      '09:00',
      '10:00',
      '11:00',
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#report-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('outcomes-by-hour_2026-11-30_2026-11-30.csv');
    const csv: string[][] = parse(readFileSync(await download.path()), { bom: true });
    expect(csv[0]).toEqual([
      'key',
      'label',
      'RC',
      'NI',
      'NR',
      'OK',
      'typeR',
      'typeN',
      'typeC',
      'typeT',
      'total',
    ]);
    // Anna and Bruno's 14 outcomes, over the three hours.
    expect(csv.slice(1).reduce((sum, row) => sum + Number(row[10]), 0)).toBe(14);
    await screenshot(page, 'reports-outcomes-hour');

    // Operator time: on contact, waiting and paused, written out beside each bar.
    await page.getByRole('link', { name: 'Tempi operatori' }).click();
    await page.locator('#time-bars').waitFor();
    // The team filter rides along: the Nord team alone.
    expect(await page.locator('#time-bars .rp-bar-label').allInnerTexts()).toEqual([
      'Anna Rossi',
      'Bruno Verdi',
    ]);
    expect(await page.locator('#time-bars .rp-code').first().innerText()).toMatch(
      /^In contatto \d+:\d{2}:\d{2}$/,
    );
    await page.locator('#team').selectOption('');
    await Promise.all([
      page.waitForURL('**/reports?**'),
      page.getByRole('button', { name: 'Mostra' }).click(),
    ]);
    expect(await page.locator('#time-table tbody tr').count()).toBe(3);
    expect(await page.locator('#time-bars .rp-bar-row').nth(2).innerText()).toMatch(
      /In pausa 0:01:00/,
    );
    await screenshot(page, 'reports-time');

    await page.getByRole('link', { name: 'Produzione' }).click();
    await page.locator('#production-bars').waitFor();
    expect(await page.locator('#production-table tbody tr').first().innerText()).toMatch(
      /Anna Rossi\s+Nord\s+3\s+0\s+1\s+4\s+8\s+37,5\s%/,
    );
    await screenshot(page, 'reports-production');

    // A range the wrong way round: said beside "Al", the form kept, a 400.
    const refused = await page.goto('/reports?from=2026-12-05&to=2026-11-30');
    expect(refused?.status()).toBe(400);
    expect(await page.locator('#to-error').innerText()).toBe(
      'La data finale non può precedere quella iniziale.',
    );
    expect(await page.locator('#to').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'reports-refused');
  });
});
