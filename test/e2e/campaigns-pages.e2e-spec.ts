import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

type Fields = Array<[string, string]>;

/** A workflow row as the page's form names its fields. */
const row = (i: number, fields: Record<string, string>): Fields =>
  Object.entries(fields).map(([key, value]) => [`steps[${i}][${key}]`, value]);

describe('Campaign pages', () => {
  let app: NestExpressApplication;
  let admin: TestAgent;
  let statusIds: number[];
  let operatorId: number;
  const campaigns = () => app.get(DataSource).getRepository(Campaign);
  const stepsOf = (campaignId: number) =>
    app
      .get(DataSource)
      .getRepository(CampaignStep)
      .find({ where: { campaignId }, order: { position: 'ASC' } });

  /**
   * Posts the page's form like a browser (its CSRF token, urlencoded, Referer set) and
   * expects the 303 (to `location` when given: the form's own page when it was refused).
   */
  async function submit(
    browser: TestAgent,
    page: string,
    action: string,
    fields: Fields,
    location?: string,
  ): Promise<request.Response> {
    const html = (await browser.get(page).expect(200)).text;
    const response = await browser
      .post(action)
      .set('Host', 'crm.example')
      .set('Referer', `http://crm.example${page}`)
      .type('form')
      .send(new URLSearchParams([['_csrf', csrfFrom(html)], ...fields]).toString())
      .expect(303);
    if (location !== undefined) expect(response.headers.location).toBe(location);
    return response;
  }

  const settings = (code = 'LUCE_2026'): Fields => [
    ['code', code],
    ['name', 'Luce & gas <2026>'],
    ['timezone', 'Europe/Rome'],
    ...['d1', 'd3', 'd5'].flatMap<[string, string]>((day) => [
      [`week[${day}][first][start]`, '09:30'],
      [`week[${day}][first][end]`, '19:00'],
    ]),
    ['holidays', 'IT'],
    ['closedDates', ''],
    ['appointmentMinutes', '45'],
    ['overlapPolicy', 'warn'],
    ['privateCallbackGraceMinutes', '20'],
    ['statusIds', String(statusIds[0])],
    ['statusIds', String(statusIds[1])],
    ['operatorIds', String(operatorId)],
  ];

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await signedInAgent(app, await createUser(app, { role: 'admin', displayName: 'Anna' }));
    statusIds = [
      (await createStatus(app, { code: 'RICH', label: 'Richiamare', type: 'R', color: '#F79009' }))
        .id,
      (
        await createStatus(app, {
          code: 'NORISP',
          label: 'Non risponde',
          type: 'N',
          color: '#667085',
        })
      ).id,
    ];
    operatorId = (await createUser(app, { role: 'operator', displayName: 'Olga Operatrice' })).id;
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('lists campaigns with their state and how many statuses, operators and contacts they have', async () => {
    const campaign = await createCampaign(
      app,
      { code: 'FIBRA', name: 'Fibra <casa>', state: 'paused' },
      { statusIds, operatorIds: [operatorId] },
    );
    await app
      .get(DataSource)
      .getRepository(Contact)
      .insert(
        ['+393330000001', '+393330000002', '+393330000003'].map((phone) => ({
          campaignId: campaign.id,
          firstName: 'A',
          lastName: 'B',
          phone,
        })),
      );
    await createCampaign(app, { code: 'ACQUA', name: 'Acqua' });
    const page = await admin.get('/campaigns').expect(200);
    expect(page.text).toContain('href="/campaigns/new"');
    expect(page.text).toContain('Fibra &lt;casa&gt;');
    const fibra =
      /<tr>\s*<td><a href="\/campaigns\/\d+"><code>FIBRA<\/code>[\s\S]*?<\/tr>/.exec(
        page.text,
      )?.[0] ?? '';
    expect(fibra).toContain('cmp-state-paused">In pausa');
    expect([...fibra.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => m[1])).toEqual([
      '2',
      '1',
      '3',
    ]);
    const acqua =
      /<tr>\s*<td><a href="\/campaigns\/\d+"><code>ACQUA<\/code>[\s\S]*?<\/tr>/.exec(
        page.text,
      )?.[0] ?? '';
    expect(acqua).toContain('cmp-state-active">Attiva');
    expect([...acqua.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => m[1])).toEqual([
      '0',
      '0',
      '0',
    ]);
  });

  it('shows the new-campaign form with zones, days, statuses with their colour, and spare workflow rows', async () => {
    const page = await admin.get('/campaigns/new').expect(200);
    expect(page.text).toContain('<h1>Nuova campagna');
    expect(page.text).toMatch(/<option value="Europe\/Rome" selected>Europe\/Rome<\/option>/);
    expect(page.text).toContain('<option value="America/New_York">');
    for (const day of ['1', '2', '3', '4', '5']) {
      expect(page.text).toContain(`name="week[d${day}][first][start]" value="09:00"`);
      expect(page.text).toContain(`name="week[d${day}][first][end]" value="20:00"`);
      expect(page.text).toContain(`name="week[d${day}][second][start]" value=""`);
    }
    expect(page.text).toContain('name="week[d6][first][start]" value=""');
    expect(page.text).toMatch(/<option value="IT" selected>/);
    expect(page.text).toContain('style="background-color: #F79009"');
    expect(page.text).toContain('<code>RICH</code>');
    expect(page.text).toContain('Olga Operatrice');
    // Three empty rows, numbered, for a browser without scripts.
    expect(page.text.match(/data-spare/g)).toHaveLength(3);
    expect(page.text).toContain(
      'name="steps[2][position]" type="number" min="1" max="999" value="3"',
    );
    expect(page.text).toContain('data-preview-url="/api/v1/campaigns/script-preview"');
    expect(page.text).toContain('<script src="/assets/js/campaigns.js" defer></script>');
  });

  it('creates a campaign from the form without scripts: rows by order number, spare rows ignored', async () => {
    const response = await submit(admin, '/campaigns/new', '/campaigns', [
      ...settings(),
      ...row(0, { position: '3', kind: 'outcome', title: 'Esito' }),
      ...row(1, {
        position: '1',
        kind: 'script',
        title: 'Saluto',
        body: 'Buongiorno {{contact.firstName}}\r\nSono {{operator.name}}',
      }),
      ...row(2, {
        position: '2',
        kind: 'question',
        title: 'Fornitore',
        choices: 'Enel\r\n\r\n Eni \r\nAltro',
        required: 'on',
      }),
      ...row(3, { position: '4', kind: '', title: '', body: '', choices: '' }),
      ...row(4, { position: '5', kind: '', title: '', body: '', choices: '' }),
    ]);
    const campaign = await campaigns().findOneByOrFail({ code: 'LUCE_2026' });
    expect(response.headers.location).toBe(`/campaigns/${campaign.id}`);
    expect(campaign).toMatchObject({
      name: 'Luce & gas <2026>',
      callingHours: [1, 3, 5].map((day) => ({ day, start: '09:30', end: '19:00' })),
      holidays: 'IT',
      closedDates: [],
      appointmentMinutes: 45,
      overlapPolicy: 'warn',
      privateCallbackGraceMinutes: 20,
    });
    const steps = await stepsOf(campaign.id);
    expect(steps.map((s) => [s.position, s.kind, s.title, s.choices, s.required])).toEqual([
      [1, 'script', 'Saluto', null, false],
      [2, 'question', 'Fornitore', ['Enel', 'Eni', 'Altro'], true],
      [3, 'outcome', 'Esito', null, true],
    ]);
    expect(steps[0]?.body).toBe('Buongiorno {{contact.firstName}}\r\nSono {{operator.name}}');

    const detail = await admin.get(`/campaigns/${campaign.id}`).expect(200);
    expect(detail.text).toContain('Campagna LUCE_2026 creata.');
    expect(detail.text).toContain('Luce &amp; gas &lt;2026&gt;');
    // The script rendered with the sample contact (and the signed-in user as the operator).
    expect(detail.text).toContain(
      '<div class="wf-script-preview">Buongiorno Mario\nSono Anna</div>',
    );
    expect(detail.text).toContain('<li>Eni</li>');
    expect(detail.text).toContain(`href="/campaigns/${campaign.id}/contacts"`);
    expect(detail.text).toContain(`action="/campaigns/${campaign.id}/pause"`);
    expect(detail.text).toContain(`href="/campaigns/${campaign.id}/edit"`);
    expect(detail.text).toContain('Olga Operatrice');
  });

  it('takes more than twenty workflow rows (qs turns them into an object)', async () => {
    const rows: Fields = [];
    for (let i = 0; i < 24; i++)
      rows.push(...row(i, { position: String(i + 1), kind: 'notes', title: `Nota ${i + 1}` }));
    rows.push(...row(24, { position: '25', kind: 'outcome', title: 'Esito' }));
    await submit(admin, '/campaigns/new', '/campaigns', [...settings(), ...rows]);
    const campaign = await campaigns().findOneByOrFail({ code: 'LUCE_2026' });
    const steps = await stepsOf(campaign.id);
    expect(steps).toHaveLength(25);
    expect(steps[11]?.title).toBe('Nota 12');
    expect(steps[24]?.kind).toBe('outcome');
  });

  it('sends a refused form back with everything typed, nested workflow rows included, and the error in Italian', async () => {
    const fields: Fields = [
      ...settings(),
      ...row(0, {
        position: '1',
        kind: 'script',
        title: 'Saluto <b>',
        body: 'Ciao {{contact.firstName}} & benvenuto',
      }),
      ...row(1, {
        position: '2',
        kind: 'question',
        title: 'Fornitore',
        choices: 'Enel\r\nEni',
        required: 'on',
      }),
      ...row(2, { position: '3', kind: 'notes', title: 'Note finali' }),
    ];
    await submit(admin, '/campaigns/new', '/campaigns', fields, '/campaigns/new');
    expect(await campaigns().count()).toBe(0);

    const again = await admin.get('/campaigns/new').expect(200);
    expect(again.text).toContain('Alcuni campi non sono validi');
    expect(again.text).toContain(
      'id="steps-error">Il workflow deve avere esattamente un passo di esito (ora ne ha 0).',
    );
    expect(again.text).toContain('value="LUCE_2026"');
    expect(again.text).toContain('value="Luce &amp; gas &lt;2026&gt;"');
    expect(again.text).toContain('name="week[d3][first][start]" value="09:30"');
    expect(again.text).toContain('name="week[d2][first][start]" value=""');
    expect(again.text).toContain('name="week[d5][first][end]" value="19:00"');
    expect(again.text).toMatch(new RegExp(`name="statusIds" value="${statusIds[1]}" checked`));
    expect(again.text).toMatch(new RegExp(`name="operatorIds" value="${operatorId}" checked`));
    expect(again.text).toContain('<option value="warn" selected>');
    expect(again.text).toContain('name="steps[0][title]" maxlength="200" value="Saluto &lt;b&gt;"');
    expect(again.text).toContain('Ciao {{contact.firstName}} &amp; benvenuto</textarea>');
    expect(again.text).toMatch(
      /name="steps\[1\]\[kind\]"[^>]*>[\s\S]*?<option value="question" selected>/,
    );
    expect(again.text).toContain('Enel\r\nEni</textarea>');
    expect(again.text).toMatch(/name="steps\[1\]\[required\]" value="on" checked/);
    expect(again.text).toContain('value="Note finali"');
    // The server-side preview of the kept script, for browsers without scripts.
    expect(again.text).toContain(
      'data-preview aria-live="polite">Ciao Mario &amp; benvenuto</div>',
    );
  });

  it('shows a refused form too big for the session again straight away, losing nothing', async () => {
    const long = (i: number) => `Script ${i} {{contact.firstName}} ` + 'è'.repeat(15_000);
    const html = (await admin.get('/campaigns/new').expect(200)).text;
    const fields: Fields = [['_csrf', csrfFrom(html)], ...settings()];
    for (let i = 0; i < 4; i++)
      fields.push(
        ...row(i, { position: String(i + 1), kind: 'script', title: `S${i}`, body: long(i) }),
      );
    const refused = await admin
      .post('/campaigns')
      .set('Host', 'crm.example')
      .set('Referer', 'http://crm.example/campaigns/new')
      .type('form')
      .send(new URLSearchParams(fields).toString())
      .expect(400);
    expect(refused.text).toContain('<h1>Nuova campagna');
    expect(refused.text).toContain('Alcuni campi non sono validi');
    expect(refused.text).toContain(
      'id="steps-error">Il workflow deve avere esattamente un passo di esito',
    );
    expect(refused.text).toContain('value="LUCE_2026"');
    for (let i = 0; i < 4; i++) expect(refused.text).toContain(`${long(i)}</textarea>`);
    expect(await campaigns().count()).toBe(0);
    // Nothing was left behind for the next visit to the form.
    const fresh = await admin.get('/campaigns/new').expect(200);
    expect(fresh.text).not.toContain('value="LUCE_2026"');
    expect(fresh.text).not.toContain('Alcuni campi non sono validi');
  });

  it('puts an error on a workflow row beside that row, in the order the rows were saved', async () => {
    await submit(admin, '/campaigns/new', '/campaigns', [
      ...settings(),
      ...row(0, {
        position: '2',
        kind: 'script',
        title: 'Rotto',
        body: 'Ciao {{{contact.firstName}}}',
      }),
      ...row(1, { position: '1', kind: 'notes', title: 'Prima' }),
      ...row(2, { position: '3', kind: 'outcome', title: 'Esito' }),
    ]);
    const again = await admin.get('/campaigns/new').expect(200);
    // Sorted by order number, the broken script is the second row (steps.1).
    expect(again.text).toContain('name="steps[0][title]" maxlength="200" value="Prima"');
    expect(again.text).toMatch(
      /id="steps\.1\.body-error">Passo 2: lo script non è valido \(line 1: \{\{\{ \}\}\} and \{\{&amp; \}\} are not allowed/,
    );
    expect(again.text).toMatch(
      /id="step-1-body" name="steps\[1\]\[body\]"[^>]*aria-invalid="true"/,
    );
  });

  it('says a taken code beside the code field', async () => {
    await createCampaign(app, { code: 'LUCE_2026' });
    await submit(admin, '/campaigns/new', '/campaigns', [
      ...settings(),
      ...row(0, { kind: 'outcome', title: 'Esito' }),
    ]);
    const again = await admin.get('/campaigns/new').expect(200);
    expect(again.text).toContain(
      'id="code-error">Il codice LUCE_2026 è già usato da un&#x27;altra campagna.',
    );
  });

  it('says a translated validation rule beside a setting', async () => {
    await submit(admin, '/campaigns/new', '/campaigns', [
      ...settings().filter(([key]) => !key.startsWith('week[d1]') && key !== 'appointmentMinutes'),
      ['appointmentMinutes', 'tanti'],
      ...row(0, { kind: 'outcome', title: 'Esito' }),
    ]);
    const again = await admin.get('/campaigns/new').expect(200);
    expect(again.text).toMatch(/id="appointmentMinutes-error">Deve essere un numero intero\./);
    expect(again.text).toContain('value="tanti"');
    expect(await campaigns().count()).toBe(0);
  });

  it('edits a campaign through its form, keeping it whole when refused', async () => {
    const product = await createProduct(app, { code: 'KIT', name: 'Kit risparmio' });
    const created = await app.get(CampaignsService).create({
      code: 'GAS',
      name: 'Gas',
      steps: [
        { kind: 'script', title: 'Saluto', body: 'Salve {{contact.lastName}}' },
        { kind: 'outcome', title: 'Esito' },
      ],
      statusIds,
      productIds: [product.id],
    });
    const form = await admin.get(`/campaigns/${created.id}/edit`).expect(200);
    expect(form.text).toContain(`action="/campaigns/${created.id}"`);
    expect(form.text).toContain('name="steps[0][title]" maxlength="200" value="Saluto"');
    expect(form.text).toContain('Salve {{contact.lastName}}</textarea>');
    expect(form.text).toContain('data-preview aria-live="polite">Salve Rossi</div>');
    expect(form.text).toMatch(new RegExp(`name="productIds" value="${product.id}" checked`));
    expect(form.text).toContain(
      `data-preview-url="/api/v1/campaigns/${created.id}/script-preview"`,
    );
    expect(form.text.match(/data-spare/g)).toHaveLength(3);

    await submit(
      admin,
      `/campaigns/${created.id}/edit`,
      `/campaigns/${created.id}`,
      [
        ...settings('GAS'),
        ...row(0, { position: '1', kind: 'outcome', title: 'Esito' }),
        ...row(1, { position: '2', kind: 'outcome', title: 'Esito bis' }),
      ],
      `/campaigns/${created.id}/edit`,
    );
    expect((await stepsOf(created.id)).map((s) => s.title)).toEqual(['Saluto', 'Esito']);
    const refused = await admin.get(`/campaigns/${created.id}/edit`).expect(200);
    expect(refused.text).toContain('value="Esito bis"');
    expect(refused.text).toContain('(ora ne ha 2)');

    await submit(
      admin,
      `/campaigns/${created.id}/edit`,
      `/campaigns/${created.id}`,
      [
        ...settings('GAS'),
        ...row(0, { position: '1', kind: 'consent', title: 'Privacy', body: 'Acconsente?' }),
        ...row(1, { position: '2', kind: 'outcome', title: 'Esito' }),
      ],
      `/campaigns/${created.id}`,
    );
    expect((await stepsOf(created.id)).map((s) => s.kind)).toEqual(['consent', 'outcome']);
    const saved = await campaigns().findOneByOrFail({ id: created.id });
    expect(saved.name).toBe('Luce & gas <2026>');
    const detail = await admin.get(`/campaigns/${created.id}`).expect(200);
    expect(detail.text).toContain('Campagna GAS salvata.');
  });

  it('pauses and resumes from the detail page', async () => {
    const campaign = await createCampaign(app, { code: 'PAUSA' }, { statusIds });
    await submit(
      admin,
      `/campaigns/${campaign.id}`,
      `/campaigns/${campaign.id}/pause`,
      [],
      `/campaigns/${campaign.id}`,
    );
    expect((await campaigns().findOneByOrFail({ id: campaign.id })).state).toBe('paused');
    const paused = await admin.get(`/campaigns/${campaign.id}`).expect(200);
    expect(paused.text).toContain('Campagna PAUSA in pausa');
    expect(paused.text).toContain(`action="/campaigns/${campaign.id}/resume"`);
    await submit(admin, `/campaigns/${campaign.id}`, `/campaigns/${campaign.id}/resume`, []);
    expect((await campaigns().findOneByOrFail({ id: campaign.id })).state).toBe('active');
  });

  it('lets a coordinator read and pause, but not open the forms or save', async () => {
    const campaign = await createCampaign(app, { code: 'COORD' }, { statusIds });
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const list = await coordinator.get('/campaigns').expect(200);
    expect(list.text).not.toContain('href="/campaigns/new"');
    const detail = await coordinator.get(`/campaigns/${campaign.id}`).expect(200);
    expect(detail.text).not.toContain(`/campaigns/${campaign.id}/edit`);
    await coordinator.get('/campaigns/new').expect(403);
    await coordinator.get(`/campaigns/${campaign.id}/edit`).expect(403);
    // A refused form goes back to its page with the reason (the role) in a flash.
    await submit(coordinator, `/campaigns/${campaign.id}`, '/campaigns', [
      ...settings(),
      ...row(0, { kind: 'outcome', title: 'E' }),
    ]);
    expect(await campaigns().count()).toBe(1);
    await submit(coordinator, `/campaigns/${campaign.id}`, `/campaigns/${campaign.id}`, [
      ...settings('COORD'),
      ...row(0, { kind: 'outcome', title: 'E' }),
    ]);
    expect((await campaigns().findOneByOrFail({ id: campaign.id })).name).not.toBe(
      'Luce & gas <2026>',
    );
    await submit(coordinator, `/campaigns/${campaign.id}`, `/campaigns/${campaign.id}/pause`, []);
    expect((await campaigns().findOneByOrFail({ id: campaign.id })).state).toBe('paused');
  });

  it('refuses operators (403) and anonymous visitors (to sign in)', async () => {
    const campaign = await createCampaign(app);
    const operator = await signedInAgent(app, await createUser(app, { role: 'operator' }));
    await operator.get('/campaigns').expect(403);
    await operator.get(`/campaigns/${campaign.id}`).expect(403);
    await request(app.getHttpServer())
      .get('/campaigns')
      .expect(303)
      .expect('Location', '/login?next=%2Fcampaigns');
    await request(app.getHttpServer()).get(`/campaigns/${campaign.id}`).expect(303);
  });

  it('shows a stored script it cannot render as text with the reason, never a 500', async () => {
    const campaign = await createCampaign(app, { code: 'VECCHIA' });
    await app
      .get(DataSource)
      .getRepository(CampaignStep)
      .update({ campaignId: campaign.id, position: 1 }, { body: 'Ciao {{{contact.firstName}}}' });
    const detail = await admin.get(`/campaigns/${campaign.id}`).expect(200);
    expect(detail.text).toContain('Lo script non è valido: line 1:');
    expect(detail.text).toContain('Ciao {{{contact.firstName}}}');
    const form = await admin.get(`/campaigns/${campaign.id}/edit`).expect(200);
    expect(form.text).toContain('Ciao {{{contact.firstName}}}</textarea>');
  });

  it('takes a lunch break and closed dates from the hours grid, and puts a refused window back on its cell in Italian', async () => {
    const week = (day: string, first: [string, string], second: [string, string]): Fields => [
      [`week[${day}][first][start]`, first[0]],
      [`week[${day}][first][end]`, first[1]],
      [`week[${day}][second][start]`, second[0]],
      [`week[${day}][second][end]`, second[1]],
    ];
    const base = settings().filter(([key]) => !key.startsWith('week['));
    // Tuesday's afternoon starts before its morning ends: the second window of the list
    await submit(admin, '/campaigns/new', '/campaigns', [
      ...base.filter(([key]) => key !== 'closedDates'),
      ...week('d1', ['09:00', '13:00'], ['', '']),
      ...week('d2', ['09:00', '13:00'], ['12:30', '18:00']),
      ['closedDates', '2026-12-07'],
      ...row(0, { kind: 'outcome', title: 'Esito' }),
    ]);
    expect(await campaigns().count()).toBe(0);
    const again = await admin.get('/campaigns/new').expect(200);
    expect(again.text).toContain(
      'id="callingHours.2.start-error">Le fasce di un giorno non devono sovrapporsi.',
    );
    expect(again.text).toMatch(
      /name="week\[d2\]\[second\]\[start\]" value="12:30"[^>]*aria-invalid="true"/,
    );
    expect(again.text).toContain('2026-12-07</textarea>');

    await submit(admin, '/campaigns/new', '/campaigns', [
      ...base.filter(([key]) => key !== 'closedDates' && key !== 'holidays'),
      ...week('d1', ['09:00', '13:00'], ['14:00', '18:00']),
      ...week('d6', ['09:00', '12:00'], ['', '']),
      ['holidays', ''],
      ['closedDates', '2026-12-24\r\n2026-12-07'],
      ...row(0, { kind: 'outcome', title: 'Esito' }),
    ]);
    const saved = await campaigns().findOneByOrFail({ code: 'LUCE_2026' });
    expect(saved).toMatchObject({
      callingHours: [
        { day: 1, start: '09:00', end: '13:00' },
        { day: 1, start: '14:00', end: '18:00' },
        { day: 6, start: '09:00', end: '12:00' },
      ],
      holidays: null,
      closedDates: ['2026-12-07', '2026-12-24'],
    });
    const edit = await admin.get(`/campaigns/${saved.id}/edit`).expect(200);
    expect(edit.text).toContain('name="week[d1][second][start]" value="14:00"');
    expect(edit.text).toContain('<option value="" selected>');
    expect(edit.text).toContain('2026-12-07\n2026-12-24</textarea>');
  });

  it('answers 404 pages for an unknown campaign', async () => {
    const missing = await admin.get('/campaigns/999999').expect(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    await admin.get('/campaigns/999999/edit').expect(404);
    await admin.get('/campaigns/abc').expect(400);
  });

  it('previews a script through the API with the session cookie and the page CSRF header', async () => {
    const page = await admin.get('/campaigns/new').expect(200);
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)?.[1] ?? '';
    await admin
      .post('/api/v1/campaigns/script-preview')
      .send({ body: 'Ciao {{contact.firstName}}' })
      .expect(403);
    const preview = await admin
      .post('/api/v1/campaigns/script-preview')
      .set('X-CSRF-Token', token)
      .send({ body: 'Ciao {{contact.firstName}}, <b>{{contact.city}}</b>' })
      .expect(200);
    expect(preview.body).toEqual({ html: 'Ciao Mario, &lt;b&gt;Milano&lt;/b&gt;' });
  });
});
