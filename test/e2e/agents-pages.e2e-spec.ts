import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import TestAgent from 'supertest/lib/agent';
import { AgentAbsence } from '../../src/agents/agent-absence.entity';
import { Agent } from '../../src/agents/agent.entity';
import { createAgent } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** The weekly editor's rows as a browser sends them: day 1 rows 0-1, day 2 rows 2-3, … */
function week(windows: Record<number, Array<[string, string]>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let day = 1; day <= 7; day++) {
    for (let slot = 0; slot < 2; slot++) {
      const row = (day - 1) * 2 + slot;
      const [start, end] = windows[day]?.[slot] ?? ['', ''];
      fields[`workingHours[${row}][day]`] = String(day);
      fields[`workingHours[${row}][start]`] = start;
      fields[`workingHours[${row}][end]`] = end;
    }
  }
  return fields;
}

describe('Agent pages (admin)', () => {
  let app: NestExpressApplication;
  let browser: TestAgent;
  const agents = () => app.get(DataSource).getRepository(Agent);
  const absences = () => app.get(DataSource).getRepository(AgentAbsence);

  /** Posts a form like a browser and expects the 303 to `location`. */
  async function submit(
    page: string,
    action: string,
    fields: Record<string, string>,
    location: RegExp | string,
  ): Promise<void> {
    const html = (await browser.get(page).expect(200)).text;
    // supertest listens on a new port per request: name one host for Host and Referer.
    await browser
      .post(action)
      .type('form')
      .set('Host', 'esito.test')
      .set('Referer', `http://esito.test${page}`)
      .send({ _csrf: csrfFrom(html), ...fields })
      .expect(303)
      .expect((response) => {
        const target = String(response.headers.location);
        if (typeof location === 'string') expect(target).toBe(location);
        else expect(target).toMatch(location);
      });
  }

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    browser = await signedInAgent(app, await createUser(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('lists agents with zones and a summary of their week', async () => {
    await createAgent(app, {
      name: 'Lucia Neri',
      zones: ['MI', 'MB'],
      workingHours: [
        ...[1, 2, 3, 4, 5].flatMap((day) => [
          { day, start: '09:00', end: '13:00' },
          { day, start: '14:00', end: '18:00' },
        ]),
        { day: 6, start: '09:00', end: '12:00' },
      ],
    });
    const list = await browser.get('/agents').expect(200);
    expect(list.text).toContain('<h1>Agenti</h1>');
    expect(list.text).toContain('Lucia Neri');
    expect(list.text).toContain('<span class="tag">MB</span>');
    expect(list.text).toMatch(/Lun<\/span>|Lun–Ven/);
    expect(list.text).toContain('Lun–Ven</span>');
    expect(list.text).toContain('09:00–13:00');
    expect(list.text).toContain('Sab</span>');
  });

  it('offers a week of rows, Monday to Friday 09:00-18:00 by default', async () => {
    const form = await browser.get('/agents/new').expect(200);
    for (const day of [
      'Lunedì',
      'Martedì',
      'Mercoledì',
      'Giovedì',
      'Venerdì',
      'Sabato',
      'Domenica',
    ])
      expect(form.text).toContain(`<th scope="row">${day}</th>`);
    expect(form.text.match(/name="workingHours\[\d+\]\[start\]"/g)).toHaveLength(14);
    expect(form.text).toContain(
      'name="workingHours[0][start]" class="input-time" inputmode="numeric" maxlength="5" placeholder="hh:mm" value="09:00"',
    );
    expect(form.text).toContain(
      'name="workingHours[11][start]" class="input-time" inputmode="numeric" maxlength="5" placeholder="hh:mm" value=""',
    );
  });

  it('creates an agent from the form: empty rows are ignored, zones split and upper-cased', async () => {
    await submit(
      '/agents/new',
      '/agents',
      {
        name: 'Paolo Verdi',
        email: 'paolo@example.com',
        phone: '+39 02 1234 5678',
        zones: 'mi, mb  lo',
        active: 'true',
        ...week({
          1: [
            ['14:00', '18:00'],
            ['09:00', '13:00'],
          ],
          6: [['09:00', '12:00']],
        }),
      },
      /^\/agents\/\d+$/,
    );
    const agent = await agents().findOneByOrFail({ name: 'Paolo Verdi' });
    expect(agent).toMatchObject({
      zones: ['MI', 'MB', 'LO'],
      active: true,
      workingHours: [
        { day: 1, start: '09:00', end: '13:00' },
        { day: 1, start: '14:00', end: '18:00' },
        { day: 6, start: '09:00', end: '12:00' },
      ],
    });
    const page = await browser.get(`/agents/${agent.id}`).expect(200);
    expect(page.text).toContain('Agente Paolo Verdi creato.');
    expect(page.text).toContain('value="MI, MB, LO"');
  });

  it('sends a refused week back with the error beside the right row and the typed times', async () => {
    await submit(
      '/agents/new',
      '/agents',
      {
        name: 'Sara',
        zones: 'MI',
        ...week({
          2: [
            ['09:00', '13:00'],
            ['12:00', '15:00'],
          ],
        }),
      },
      '/agents/new',
    );
    const again = await browser.get('/agents/new').expect(200);
    // Tuesday's second row is row 3: the overlap is named there.
    expect(again.text).toMatch(
      /id="wh-3-error">Questa fascia si sovrappone a un&#x27;altra dello stesso giorno\.</,
    );
    expect(again.text).toContain(
      'name="workingHours[3][start]" class="input-time" inputmode="numeric" maxlength="5" placeholder="hh:mm" value="12:00" aria-invalid="true"',
    );
    expect(again.text).toContain('value="Sara"');
    expect(await agents().count()).toBe(0);

    await submit(
      '/agents/new',
      '/agents',
      { name: 'Sara', ...week({ 4: [['18:00', '09:00']] }) },
      '/agents/new',
    );
    const reversed = await browser.get('/agents/new').expect(200);
    expect(reversed.text).toMatch(/id="wh-6-error">La fine deve essere dopo l&#x27;inizio\.</);

    await submit(
      '/agents/new',
      '/agents',
      { name: 'Sara', ...week({ 7: [['9', '']] }) },
      '/agents/new',
    );
    const half = await browser.get('/agents/new').expect(200);
    expect(half.text).toMatch(/id="wh-12-error">Orario non valido: usa HH:MM tra 00:00 e 24:00\.</);

    await submit('/agents/new', '/agents', { zones: 'MI, MI', ...week({}) }, '/agents/new');
    const missing = await browser.get('/agents/new').expect(200);
    expect(missing.text).toMatch(/id="name-error">Campo obbligatorio\.</);
    expect(await agents().count()).toBe(0);
  });

  it('saves the whole agent from its page: emptied rows go, an unticked box deactivates', async () => {
    const agent = await createAgent(app, { name: 'Gino', email: 'g@example.com' });
    const page = await browser.get(`/agents/${agent.id}`).expect(200);
    expect(page.text).toContain('value="g@example.com"');
    await submit(
      `/agents/${agent.id}`,
      `/agents/${agent.id}`,
      { name: 'Gino Rossi', zones: '', ...week({ 3: [['10:00', '24:00']] }) },
      `/agents/${agent.id}`,
    );
    expect(await agents().findOneByOrFail({ id: agent.id })).toMatchObject({
      name: 'Gino Rossi',
      email: null,
      zones: [],
      active: false,
      workingHours: [{ day: 3, start: '10:00', end: '24:00' }],
    });
    await submit(`/agents/${agent.id}`, `/agents/${agent.id}/activate`, {}, `/agents/${agent.id}`);
    expect((await agents().findOneByOrFail({ id: agent.id })).active).toBe(true);
    await submit(
      `/agents/${agent.id}`,
      `/agents/${agent.id}/deactivate`,
      {},
      `/agents/${agent.id}`,
    );
    expect((await agents().findOneByOrFail({ id: agent.id })).active).toBe(false);
  });

  it('adds absences in Rome time (stored in UTC), shows and removes them', async () => {
    const agent = await createAgent(app);
    const page = `/agents/${agent.id}`;
    await submit(
      page,
      `${page}/absences`,
      { startsAt: '2026-08-10T09:00', endsAt: '2026-08-21T18:00', reason: 'Ferie' },
      page,
    );
    await submit(
      page,
      `${page}/absences`,
      { startsAt: '2026-01-15T09:00', endsAt: '2026-01-15T13:00' },
      page,
    );
    const stored = await absences().find({ order: { startsAt: 'ASC' } });
    expect(stored.map((a) => [a.startsAt.toISOString(), a.endsAt.toISOString(), a.reason])).toEqual(
      [
        ['2026-01-15T08:00:00.000Z', '2026-01-15T12:00:00.000Z', null],
        ['2026-08-10T07:00:00.000Z', '2026-08-21T16:00:00.000Z', 'Ferie'],
      ],
    );
    const shown = await browser.get(page).expect(200);
    expect(shown.text).toContain('Assenza aggiunta.');
    expect(shown.text).toContain('lun 10/08/2026, 09:00 → ven 21/08/2026, 18:00');
    expect(shown.text).toContain('Ferie');

    const [first] = stored;
    await submit(page, `${page}/absences/${first!.id}/delete`, {}, page);
    expect(await absences().count()).toBe(1);
  });

  it('refuses a bad absence beside its field, leaving the agent form alone', async () => {
    const agent = await createAgent(app, { name: 'Ugo' });
    const page = `/agents/${agent.id}`;
    await submit(
      page,
      `${page}/absences`,
      { startsAt: '2026-05-02T10:00', endsAt: '2026-05-01T10:00', reason: 'Malattia' },
      page,
    );
    const refused = await browser.get(page).expect(200);
    expect(refused.text).toMatch(/id="endsAt-error">endsAt must be after startsAt</);
    expect(refused.text).toContain('value="2026-05-02T10:00"');
    expect(refused.text).toContain('value="Malattia"');
    expect(refused.text).toContain('value="Ugo"');

    // 29 March 2026 02:30 never happens in Rome (clocks go forward).
    await submit(
      page,
      `${page}/absences`,
      { startsAt: '2026-03-29T02:30', endsAt: '2026-03-29T05:00' },
      page,
    );
    expect((await browser.get(page).expect(200)).text).toMatch(
      /id="startsAt-error">startsAt is not a date and time that exists in Europe\/Rome</,
    );
    await submit(page, `${page}/absences`, { startsAt: 'domani', endsAt: '' }, page);
    const garbage = await browser.get(page).expect(200);
    expect(garbage.text).toMatch(/id="startsAt-error">[^<]+</);
    expect(garbage.text).toMatch(/id="endsAt-error">Campo obbligatorio\.</);
    expect(await absences().count()).toBe(0);
  });

  it('answers 404 for an unknown agent and 403 for other roles', async () => {
    await browser.get('/agents/999999').expect(404);
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    expect((await coordinator.get('/agents').expect(403)).text).toContain('Accesso negato');
  });
});
