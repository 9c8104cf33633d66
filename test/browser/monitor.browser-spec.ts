import { copyFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { OperatorState } from '../../src/monitor/operator-state.entity';
import { PauseReason } from '../../src/monitor/pause-reason.entity';
import { User } from '../../src/users/user.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser } from '../factories/user.factory';
import {
  type BrowserHarness,
  screenshot,
  signIn,
  startBrowserHarness,
  VIEWPORT,
} from '../support/browser';
import { removeSqliteData, resetDatabase } from '../support/test-app';

const WALL = { width: 1920, height: 1080 };

describe('the coordinators wall in a browser', () => {
  let harness: BrowserHarness;
  const db = () => harness.app.get(DataSource);

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  beforeEach(async () => {
    await resetDatabase(harness.app);
  });
  afterAll(async () => {
    await harness.close();
    removeSqliteData();
  });

  /** The tile of one operator on the wall. */
  const tile = (wall: Page, user: { id: number }) =>
    wall.locator(`.mon-tile[data-operator-id="${user.id}"]`);

  it('an outcome confirmed on the workstation recolours the operator tile on an open wall, without a reload', async () => {
    const app = harness.app;
    const sale = await createStatus(app, {
      code: 'NI',
      label: 'Non interessato',
      type: 'N',
      quick: true,
      quickOrder: 1,
      color: '#dc2626',
    });
    const later = await createStatus(app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
      quick: true,
      quickOrder: 2,
      color: '#2563eb',
    });
    const operator = await createUser(app, {
      role: 'operator',
      displayName: 'Giulia Operatrice',
      password: 'operator-pass-123',
    });
    const others: TestUser[] = [];
    for (const name of ['Bruno Neri', 'Carla Blu', 'Dario Gialli', 'Elena Rosa', 'Franco Verdi']) {
      others.push(await createUser(app, { role: 'operator', displayName: name }));
    }
    await db().getRepository(User).update({ id: operator.id }, { team: 'Nord' });
    const coordinator = await createUser(app, {
      role: 'coordinator',
      displayName: 'Chiara Coordinatrice',
      password: 'coordinator-pass-123',
    });
    const campaign = await createCampaign(
      app,
      { code: 'ENERGIA', name: 'Offerta luce e gas' },
      { statusIds: [sale.id, later.id], operatorIds: [operator.id, ...others.map((o) => o.id)] },
    );
    for (let i = 0; i < 4; i++) await createContact(app, campaign.id);

    const { page: wall, problems: wallProblems } = await harness.newPage();
    await wall.setViewportSize(WALL);
    await signIn(wall, coordinator);
    await wall.goto('/monitor');
    await tile(wall, operator).waitFor();
    await wall.locator('#mon-live[data-state="live"]').waitFor();
    expect(await tile(wall, operator).locator('.mon-state-text').innerText()).toBe('Non collegato');

    const { page: desk, problems: deskProblems } = await harness.newPage();
    await signIn(desk, operator);
    // Signed in: ready on the wall, without the wall reloading.
    await tile(wall, operator).locator('.mon-state-text', { hasText: 'Pronto' }).waitFor();
    await desk.goto('/work');
    await desk.locator('#op-state[data-state="ready"]').waitFor();
    await desk.keyboard.press('n');
    await desk.locator('#work-card').waitFor();
    await tile(wall, operator).locator('.mon-state-text', { hasText: 'In chiamata' }).waitFor();

    const started = Date.now();
    await desk.keyboard.press('1');
    await desk.locator('#work-result').waitFor({ state: 'visible' });
    await tile(wall, operator).locator('.mon-band-code', { hasText: 'NI' }).waitFor();
    expect(Date.now() - started).toBeLessThan(2000);
    // Ready again, counted from the outcome (not from signing in), on the wall and the bar.
    await tile(wall, operator).locator('.mon-state-text', { hasText: 'Pronto' }).waitFor();
    const readySince = await tile(wall, operator).locator('.mon-timer').getAttribute('data-since');
    expect(Date.parse(readySince ?? '')).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    await desk.locator('#op-state[data-state="ready"]').waitFor();
    expect(await desk.locator('#op-state-timer').innerText()).toMatch(/^0:0\d$/);
    const band = tile(wall, operator).locator('.mon-band');
    const bandColour = () =>
      wall.evaluate(
        `getComputedStyle(document.querySelector('.mon-tile[data-operator-id="${operator.id}"] .mon-band')).backgroundColor`,
      );
    expect(await bandColour()).toBe('rgb(220, 38, 38)');
    expect(await band.innerText()).toContain('Non interessato');
    // The type has an icon beside the code (never colour alone).
    expect(await band.locator('use').getAttribute('href')).toBe('#i-type-N');
    await screenshot(wall, 'monitor-mon-first-outcome');

    // A second outcome, of another colour: the same tile changes again.
    await desk.goto('/work');
    await desk.keyboard.press('n');
    await desk.locator('#work-card').waitFor();
    await desk.keyboard.press('2');
    await desk.locator('#work-result').waitFor({ state: 'visible' });
    await tile(wall, operator).locator('.mon-band-code', { hasText: 'NR' }).waitFor();
    expect(await bandColour()).toBe('rgb(37, 99, 235)');
    expect(await tile(wall, operator).locator('.mon-strip-part').count()).toBe(2);
    expect(await tile(wall, operator).locator('.mon-counts .mon-count-N b').innerText()).toBe('2');

    // The operator pauses from the top bar: the wall shows the reason.
    const reason = await db().getRepository(PauseReason).save({
      code: 'pausa',
      label: 'Pausa',
      labelEn: 'Break',
      maxMinutes: 15,
      position: 1,
      archivedAt: null,
    });
    await desk.reload();
    await desk.locator('#op-state-reason').selectOption(String(reason.id));
    await desk.locator('#op-state[data-state="paused"]').waitFor();
    await screenshot(desk, 'monitor-operator-paused');
    await tile(wall, operator)
      .locator('.mon-state-text', { hasText: 'In pausa · Pausa' })
      .waitFor();
    await screenshot(wall, 'monitor-wall');

    // The team filter narrows the wall to Giulia's team.
    await wall.locator('select[name="team"]').selectOption('Nord');
    await wall.waitForURL('**/monitor?team=Nord');
    // The other tiles leave (a function given as text would need eval, which the CSP refuses).
    await wall.locator('.mon-tile').nth(1).waitFor({ state: 'detached' });
    expect(await wall.locator('.mon-tile').count()).toBe(1);
    await screenshot(wall, 'monitor-mon-team');

    expect(wallProblems).toEqual([]);
    expect(deskProblems).toEqual([]);
  });

  it('says each status of the last hour whole beneath the strip, on a 1366x768 screen', async () => {
    const app = harness.app;
    const labels = [
      'Non interessato all’offerta',
      'Richiamare dopo le diciotto',
      'Segreteria telefonica',
      'Numero inesistente o disattivato',
      'Vendita',
    ];
    const colours = ['#dc2626', '#f79009', '#64748b', '#111827', '#12b76a'];
    const statuses = [];
    for (const [i, label] of labels.entries()) {
      statuses.push(
        await createStatus(app, {
          code: ['NI', 'RC', 'SEG', 'NUMX', 'OK'][i]!,
          label,
          type: i === 4 ? 'C' : i === 1 ? 'R' : 'N',
          color: colours[i]!,
        }),
      );
    }
    const coordinator = await createUser(app, {
      role: 'coordinator',
      password: 'coordinator-pass-123',
    });
    const now = new Date();
    const minute = Math.floor(now.getTime() / 60_000);
    const names = ['Giulia Operatrice', 'Bruno Neri', 'Carla Blu', 'Dario Gialli', 'Elena Rosa'];
    const operators: TestUser[] = [];
    for (const [n, name] of names.entries()) {
      const user = await createUser(app, { role: 'operator', displayName: name });
      operators.push(user);
      // The last hour as the outcomes leave it on the operator's row: more of the first ones.
      const recent = statuses
        .slice(0, 5 - (n % 3))
        .flatMap((status, i) =>
          Array.from({ length: 5 - i }, (_, k) => `${status.id}:${minute - 5 - i * 7 - k}`),
        )
        .join(' ');
      await db()
        .getRepository(OperatorState)
        .save({
          userId: user.id,
          state: 'ready',
          pauseReasonId: null,
          since: new Date(now.getTime() - 4 * 60_000),
          seenAt: now,
          lastStatusId: statuses[0]!.id,
          lastCampaignId: null,
          lastOutcomeAt: new Date(now.getTime() - 5 * 60_000),
          recent,
        });
    }
    await createCampaign(
      app,
      { code: 'ENERGIA', name: 'Offerta luce e gas' },
      {
        statusIds: statuses.map((s) => s.id),
        operatorIds: operators.map((o) => o.id),
      },
    );

    const { page: wall, problems } = await harness.newPage();
    await wall.setViewportSize(VIEWPORT);
    await signIn(wall, coordinator);
    await wall.goto('/monitor');
    await wall.locator('#mon-live[data-state="live"]').waitFor();
    const first = tile(wall, operators[0]!);
    await first.locator('.mon-legend-item').nth(4).waitFor();
    // Every label is there whole, and nothing of it is cut off by the tile.
    expect(await first.locator('.mon-legend-label').allInnerTexts()).toEqual(labels);
    expect(await first.locator('.mon-legend-code').allInnerTexts()).toEqual([
      'NI',
      'RC',
      'SEG',
      'NUMX',
      'OK',
    ]);
    expect(await first.locator('.mon-legend-count').allInnerTexts()).toEqual([
      '× 5',
      '× 4',
      '× 3',
      '× 2',
      '× 1',
    ]);
    const clipped = await wall.evaluate(
      `[...document.querySelectorAll('.mon-legend-item')].filter((item) => {
        const box = item.getBoundingClientRect();
        const tileBox = item.closest('.mon-tile').getBoundingClientRect();
        return item.scrollWidth > item.clientWidth + 1 || box.right > tileBox.right + 0.5;
      }).length`,
    );
    expect(clipped).toBe(0);
    // Four tiles to a row at this width.
    const tops = await wall
      .locator('.mon-tile')
      .evaluateAll((tiles) => tiles.map((t) => Math.round(t.getBoundingClientRect().top)));
    expect(tops.filter((top) => top === tops[0]).length).toBe(4);
    const shot = await screenshot(wall, 'monitor-legend-1366');
    copyFileSync(shot, '/tmp/esito-monitor-legend-1366.png');
    expect(problems).toEqual([]);
  });
});
