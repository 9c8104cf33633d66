import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignStatus } from '../../src/campaigns/campaign-status.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { User } from '../../src/users/user.entity';
import { createAgent, createProduct, createStatus } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

type Body = Record<string, unknown>;

describe('Campaigns API', () => {
  let app: NestExpressApplication;
  let admin: string;
  let coordinator: string;
  let ids: {
    statuses: number[];
    quickOne: number;
    quickOneToo: number;
    archived: number;
    product: number;
    inactiveProduct: number;
    agent: number;
    operators: number[];
    coordinatorUser: number;
    disabledOperator: number;
  };
  const http = () => request(app.getHttpServer());
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const count = (entity: typeof Campaign | typeof CampaignStep | typeof CampaignStatus) =>
    app.get(DataSource).getRepository(entity).count();

  const steps = () => [
    {
      kind: 'script',
      title: 'Saluto',
      body: 'Buongiorno {{contact.firstName}} {{contact.lastName}}',
    },
    {
      kind: 'consent',
      title: 'Registrazione',
      body: 'Posso registrare la chiamata?',
      required: true,
    },
    { kind: 'question', title: 'Fornitore attuale', choices: ['Enel', 'Eni', 'Altro'] },
    { kind: 'notes', title: 'Note' },
    { kind: 'outcome', title: 'Esito' },
  ];
  const valid = (overrides: Body = {}): Body => ({
    code: 'ENERGIA_2026',
    name: 'Energia casa 2026',
    timezone: 'Europe/Rome',
    callingHours: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00' },
    steps: steps(),
    statusIds: ids.statuses,
    productIds: [ids.product],
    agentIds: [ids.agent],
    operatorIds: ids.operators,
    appointmentMinutes: 45,
    travelBufferMinutes: 15,
    overlapPolicy: 'warn',
    privateCallbackGraceMinutes: 15,
    ...overrides,
  });
  const create = (body: Body, token = admin) =>
    http().post('/api/v1/campaigns').set(auth(token)).send(body);

  beforeAll(async () => {
    app = await createTestApp();
  });
  /** An empty database with users, statuses, a product and an agent to link to. */
  async function setup(): Promise<void> {
    await resetDatabase(app);
    admin = await tokenFor(
      app,
      await createUser(app, { role: 'admin', displayName: 'Anna Admin' }),
    );
    const coordinatorUser = await createUser(app, { role: 'coordinator' });
    coordinator = await tokenFor(app, coordinatorUser);
    const callback = await createStatus(app, { type: 'R', quick: true, quickOrder: 1 });
    const negative = await createStatus(app, { type: 'N', quick: true, quickOrder: 2 });
    const close = await createStatus(app, { type: 'C' });
    const clash = await createStatus(app, { type: 'N', quick: true, quickOrder: 1 });
    const archived = await createStatus(app, { archivedAt: new Date() });
    const operatorA = await createUser(app, { role: 'operator' });
    const operatorB = await createUser(app, { role: 'operator' });
    const disabled = await createUser(app, { role: 'operator' });
    await app.get(DataSource).getRepository(User).update({ id: disabled.id }, { active: false });
    ids = {
      statuses: [callback.id, negative.id, close.id],
      quickOne: callback.id,
      quickOneToo: clash.id,
      archived: archived.id,
      product: (await createProduct(app)).id,
      inactiveProduct: (await createProduct(app, { active: false })).id,
      agent: (await createAgent(app)).id,
      operators: [operatorA.id, operatorB.id],
      coordinatorUser: coordinatorUser.id,
      disabledOperator: disabled.id,
    };
  }
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe('creating', () => {
    beforeEach(setup);

    it('creates a campaign with its ordered workflow and links (201) and reads it back', async () => {
      const created = await create(valid()).expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        code: 'ENERGIA_2026',
        name: 'Energia casa 2026',
        timezone: 'Europe/Rome',
        callingHours: [1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '09:00', end: '20:00' })),
        holidays: 'IT',
        closedDates: [],
        appointmentMinutes: 45,
        travelBufferMinutes: 15,
        overlapPolicy: 'warn',
        privateCallbackGraceMinutes: 15,
        state: 'active',
        purpose: 'marketing',
        steps: [
          {
            id: expect.any(Number),
            position: 1,
            kind: 'script',
            title: 'Saluto',
            body: 'Buongiorno {{contact.firstName}} {{contact.lastName}}',
            choices: null,
            required: false,
            consentPurpose: null,
            contractField: null,
          },
          {
            id: expect.any(Number),
            position: 2,
            kind: 'consent',
            title: 'Registrazione',
            body: 'Posso registrare la chiamata?',
            choices: null,
            required: true,
            consentPurpose: null,
            contractField: null,
          },
          {
            id: expect.any(Number),
            position: 3,
            kind: 'question',
            title: 'Fornitore attuale',
            body: null,
            choices: ['Enel', 'Eni', 'Altro'],
            required: false,
            consentPurpose: null,
            contractField: null,
          },
          expect.objectContaining({ position: 4, kind: 'notes', title: 'Note' }),
          // The outcome is always required.
          expect.objectContaining({ position: 5, kind: 'outcome', title: 'Esito', required: true }),
        ],
        statusIds: [...ids.statuses].sort((a, b) => a - b),
        productIds: [ids.product],
        agentIds: [ids.agent],
        operatorIds: [...ids.operators].sort((a, b) => a - b),
        // No wrap-up unless given (test/e2e/wrap-up.e2e-spec.ts).
        wrapUpSeconds: null,
        wrapUpStatusId: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const one = await http()
        .get(`/api/v1/campaigns/${created.body.id}`)
        .set(auth(admin))
        .expect(200);
      expect(one.body).toEqual(created.body);
      const list = await http().get('/api/v1/campaigns').set(auth(coordinator)).expect(200);
      expect(list.body).toEqual([created.body]);
    });

    it('applies the defaults, upper-cases the code and spells the time zone canonically', async () => {
      const created = await create({
        code: ' estate-2026 ',
        name: 'Estate',
        timezone: 'europe/london',
        steps: [{ kind: 'outcome', title: 'Esito' }],
        statusIds: [ids.statuses[0]],
      }).expect(201);
      expect(created.body).toMatchObject({
        code: 'ESTATE-2026',
        timezone: 'Europe/London',
        callingHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '20:00' })),
        holidays: 'IT',
        closedDates: [],
        appointmentMinutes: 60,
        travelBufferMinutes: 0,
        overlapPolicy: 'reject',
        privateCallbackGraceMinutes: 30,
        state: 'active',
        purpose: 'marketing',
        productIds: [],
        agentIds: [],
        operatorIds: [],
      });
      const withoutZone = await create({
        code: 'ROMA',
        name: 'Roma',
        callingHours: { days: [7, 1], start: '00:00', end: '24:00' },
        steps: [{ kind: 'outcome', title: 'Esito' }],
        statusIds: [ids.statuses[0]],
      }).expect(201);
      expect(withoutZone.body.timezone).toBe('Europe/Rome');
      expect(withoutZone.body.callingHours).toEqual([
        { day: 1, start: '00:00', end: '24:00' },
        { day: 7, start: '00:00', end: '24:00' },
      ]);
    });

    it('answers 409 naming code for a code already taken (whatever its case)', async () => {
      await create(valid()).expect(201);
      const again = await create(valid({ code: 'energia_2026', name: 'Altro' })).expect(409);
      expect(again.body).toEqual({
        statusCode: 409,
        message: 'code: campaign code "ENERGIA_2026" is already taken',
      });
      expect(await count(Campaign)).toBe(1);
      expect(await count(CampaignStep)).toBe(5);
    });

    it('of ten admins creating the same code at once, exactly one succeeds and nothing else is left', async () => {
      const attempts = await Promise.all(Array.from({ length: 10 }, () => create(valid())));
      expect(attempts.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      for (const loser of attempts.filter((r) => r.status === 409)) {
        expect(loser.body.message).toBe('code: campaign code "ENERGIA_2026" is already taken');
      }
      expect(await count(Campaign)).toBe(1);
      // The losers' steps and links were rolled back with their campaign.
      expect(await count(CampaignStep)).toBe(5);
      expect(await count(CampaignStatus)).toBe(3);
    });
  });

  describe('bad input gets a 400 naming the field, never a 500, and stores nothing', () => {
    // Nothing is stored by these, so they share one setup (each checks that still nothing is).
    beforeAll(setup);

    const step = (overrides: Body) => [{ kind: 'outcome', title: 'Esito' }, overrides];
    const cases: Array<[string, () => Body, RegExp]> = [
      [
        'no outcome step',
        () => valid({ steps: steps().filter((s) => s.kind !== 'outcome') }),
        /^steps: a campaign needs exactly one outcome step \(found 0\)$/,
      ],
      [
        'two outcome steps',
        () => valid({ steps: [...steps(), { kind: 'outcome', title: 'Di nuovo' }] }),
        /^steps: a campaign needs exactly one outcome step \(found 2\)$/,
      ],
      ['no steps at all', () => valid({ steps: [] }), /^steps: a campaign needs exactly one/],
      ['steps missing', () => valid({ steps: undefined }), /^steps is required$/],
      ['steps not a list', () => valid({ steps: 'outcome' }), /^steps must be an array/],
      [
        'a step that is not an object',
        () => valid({ steps: ['outcome'] }),
        /^steps must be a list of step objects$/,
      ],
      [
        'too many steps',
        () =>
          valid({
            steps: [
              { kind: 'outcome', title: 'Esito' },
              ...Array.from({ length: 50 }, (_, i) => ({ kind: 'notes', title: `N${i}` })),
            ],
          }),
        /^steps must be at most 50/,
      ],
      [
        'an unknown step kind',
        () => valid({ steps: step({ kind: 'survey', title: 'X' }) }),
        /^steps\.1\.kind must be one of: script, question, consent, notes, outcome$/,
      ],
      [
        'an empty step title',
        () => valid({ steps: step({ kind: 'notes', title: '   ' }) }),
        /^steps\.1\.title must not be empty$/,
      ],
      [
        'a step title over 200 characters',
        () => valid({ steps: step({ kind: 'notes', title: 'T'.repeat(201) }) }),
        /^steps\.1\.title must be at most 200 characters$/,
      ],
      [
        'a body over 20000 characters',
        () => valid({ steps: step({ kind: 'notes', title: 'N', body: 'b'.repeat(20_001) }) }),
        /^steps\.1\.body must be at most 20000 characters$/,
      ],
      [
        'choices on a script step',
        () => valid({ steps: step({ kind: 'script', title: 'S', body: 'Ciao', choices: ['a'] }) }),
        /^steps\.1\.choices: choices are only allowed on question steps$/,
      ],
      [
        'choices that are not texts',
        () => valid({ steps: step({ kind: 'question', title: 'Q', choices: [1, 2] }) }),
        /^steps\.1\.choices must be texts$/,
      ],
      [
        'a script that does not compile',
        () =>
          valid({ steps: step({ kind: 'script', title: 'S', body: 'Ciao {{#if contact.city}' }) }),
        /^steps\.1\.body: the script does not compile: Parse error on line 1/,
      ],
      [
        'a script with a triple-stash',
        () =>
          valid({
            steps: step({ kind: 'script', title: 'S', body: 'Ciao {{{contact.firstName}}}' }),
          }),
        /^steps\.1\.body: the script does not compile: line 1: \{\{\{ \}\}\} and \{\{& \}\} are not allowed/,
      ],
      [
        'a script with a partial',
        () => valid({ steps: step({ kind: 'script', title: 'S', body: '{{> layout}}' }) }),
        /^steps\.1\.body: the script does not compile: line 1: partials/,
      ],
      [
        'a script without text',
        () => valid({ steps: step({ kind: 'script', title: 'S' }) }),
        /^steps\.1\.body: a script step needs its text$/,
      ],
      [
        'an unknown field in a step',
        () => valid({ steps: step({ kind: 'notes', title: 'N', colour: 'red' }) }),
        /property colour should not exist/,
      ],
      [
        'an unknown time zone',
        () => valid({ timezone: 'Mars/Olympus' }),
        /^timezone must be an IANA time zone such as Europe\/Rome$/,
      ],
      [
        'an offset instead of a zone',
        () => valid({ timezone: '+01:00' }),
        /^timezone must be an IANA/,
      ],
      [
        'an abbreviation instead of a zone',
        () => valid({ timezone: 'CET' }),
        /^timezone must be an IANA/,
      ],
      [
        'a time zone that is not a text',
        () => valid({ timezone: 1 }),
        /^timezone must be a string/,
      ],
      [
        'calling hours without days',
        () => valid({ callingHours: { days: [], start: '09:00', end: '18:00' } }),
        /^callingHours\.days must name at least one day$/,
      ],
      [
        'day 0',
        () => valid({ callingHours: { days: [0, 1], start: '09:00', end: '18:00' } }),
        /^callingHours\.days must be days 1-7/,
      ],
      [
        'day 8',
        () => valid({ callingHours: { days: [8], start: '09:00', end: '18:00' } }),
        /^callingHours\.days must be days 1-7/,
      ],
      [
        'a repeated day',
        () => valid({ callingHours: { days: [1, 1], start: '09:00', end: '18:00' } }),
        /^callingHours\.days must not repeat a day$/,
      ],
      [
        'a start that is not HH:MM',
        () => valid({ callingHours: { days: [1], start: '9:00', end: '18:00' } }),
        /^callingHours\.start must be a time HH:MM between 00:00 and 23:59$/,
      ],
      [
        'a start of 24:00',
        () => valid({ callingHours: { days: [1], start: '24:00', end: '24:00' } }),
        /^callingHours\.start must be a time HH:MM/,
      ],
      [
        'an end of 24:30',
        () => valid({ callingHours: { days: [1], start: '09:00', end: '24:30' } }),
        /^callingHours\.end must be a time HH:MM between 00:00 and 24:00$/,
      ],
      [
        'an end before the start',
        () => valid({ callingHours: { days: [1], start: '20:00', end: '09:00' } }),
        /^callingHours\.end must be after callingHours\.start$/,
      ],
      [
        'an end equal to the start',
        () => valid({ callingHours: { days: [1], start: '09:00', end: '09:00' } }),
        /^callingHours\.end must be after callingHours\.start$/,
      ],
      [
        'calling hours that are not an object',
        () => valid({ callingHours: '9-18' }),
        /^callingHours must be a list of windows \[\{day, start, end\}\] \(or the old \{days, start, end\}\)$/,
      ],
      [
        'calling hours missing a field',
        () => valid({ callingHours: { days: [1], start: '09:00' } }),
        /^callingHours\.end is required$/,
      ],
      [
        'no statuses',
        () => valid({ statusIds: [] }),
        /^statusIds must name at least one outcome status$/,
      ],
      ['statuses missing', () => valid({ statusIds: undefined }), /^statusIds is required$/],
      [
        'statuses not ids',
        () => valid({ statusIds: ['uno'] }),
        /^statusIds must contain positive integer ids$/,
      ],
      [
        'a repeated status',
        () => valid({ statusIds: [ids.statuses[0], ids.statuses[0]] }),
        /^statusIds must not repeat an id$/,
      ],
      [
        'an unknown status',
        () => valid({ statusIds: [ids.statuses[0], 999999] }),
        /^statusIds: unknown status ids 999999$/,
      ],
      [
        'an archived status',
        () => valid({ statusIds: [ids.statuses[0], ids.archived] }),
        /^statusIds: archived status ids \d+$/,
      ],
      [
        'two quick statuses on the same key',
        () => valid({ statusIds: [ids.quickOne, ids.quickOneToo] }),
        /^statusIds: quick statuses ST\d+, ST\d+ share quick key 1; a campaign needs distinct keys$/,
      ],
      [
        'an unknown product',
        () => valid({ productIds: [999999] }),
        /^productIds: unknown product ids 999999$/,
      ],
      [
        'an inactive product',
        () => valid({ productIds: [ids.inactiveProduct] }),
        /^productIds: inactive product ids \d+$/,
      ],
      [
        'products not a list',
        () => valid({ productIds: 3 }),
        /^productIds must be an array of ids$/,
      ],
      [
        'an unknown agent',
        () => valid({ agentIds: [999999] }),
        /^agentIds: unknown agent ids 999999$/,
      ],
      [
        'a coordinator as operator',
        () => valid({ operatorIds: [ids.coordinatorUser] }),
        /^operatorIds: ids \d+ are not active users with the operator role$/,
      ],
      [
        'a disabled operator',
        () => valid({ operatorIds: [ids.operators[0], ids.disabledOperator] }),
        /^operatorIds: ids \d+ are not active users with the operator role$/,
      ],
      [
        'an unknown user as operator',
        () => valid({ operatorIds: [999999] }),
        /^operatorIds: ids 999999 are not active users with the operator role$/,
      ],
      [
        'appointments of 4 minutes',
        () => valid({ appointmentMinutes: 4 }),
        /^appointmentMinutes must be between 5 and 480$/,
      ],
      [
        'appointments of 481 minutes',
        () => valid({ appointmentMinutes: 481 }),
        /^appointmentMinutes must be between 5 and 480$/,
      ],
      [
        'appointments of 30.5 minutes',
        () => valid({ appointmentMinutes: 30.5 }),
        /^appointmentMinutes must be an integer$/,
      ],
      [
        'appointments as a text',
        () => valid({ appointmentMinutes: '60' }),
        /^appointmentMinutes must be an integer$/,
      ],
      [
        'a negative travel time',
        () => valid({ travelBufferMinutes: -5 }),
        /^travelBufferMinutes must be between 0 and 240$/,
      ],
      [
        'a travel time of 4 hours and a minute',
        () => valid({ travelBufferMinutes: 241 }),
        /^travelBufferMinutes must be between 0 and 240$/,
      ],
      [
        'an unknown overlap policy',
        () => valid({ overlapPolicy: 'maybe' }),
        /^overlapPolicy must be one of: reject, warn, allow$/,
      ],
      [
        'a negative grace',
        () => valid({ privateCallbackGraceMinutes: -1 }),
        /^privateCallbackGraceMinutes must be between 0 and 1440$/,
      ],
      [
        'a grace over a day',
        () => valid({ privateCallbackGraceMinutes: 1441 }),
        /^privateCallbackGraceMinutes must be between 0 and 1440$/,
      ],
      [
        'a code with spaces',
        () => valid({ code: 'BAD CODE' }),
        /^code must be 1-32 characters: upper-case letters, digits, _ or -$/,
      ],
      ['a code too long', () => valid({ code: 'C'.repeat(33) }), /^code must be 1-32 characters/],
      ['an empty code', () => valid({ code: '' }), /^code must be 1-32 characters/],
      ['code missing', () => valid({ code: undefined }), /^code is required$/],
      ['an empty name', () => valid({ name: ' ' }), /^name must not be empty$/],
      [
        'a name too long',
        () => valid({ name: 'N'.repeat(201) }),
        /^name must be at most 200 characters$/,
      ],
      ['an unknown field', () => valid({ color: 'red' }), /^property color should not exist$/],
      [
        'a state given on creation',
        () => valid({ state: 'paused' }),
        /^property state should not exist$/,
      ],
    ];

    it.each(cases)('%s', async (_name, body, message) => {
      const response = await create(body()).expect(400);
      expect(response.body.statusCode).toBe(400);
      const messages = [].concat(response.body.message);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(await count(Campaign)).toBe(0);
      expect(await count(CampaignStep)).toBe(0);
    });

    it('a body that is not an object', async () => {
      const response = await http()
        .post('/api/v1/campaigns')
        .set(auth(admin))
        .send([valid()])
        .expect(400);
      expect(response.body.message).toEqual(['body must be a JSON object']);
    });
  });

  describe('PUT replaces the whole campaign in one transaction', () => {
    beforeEach(setup);

    it('replaces settings, workflow and links', async () => {
      const created = (await create(valid())).body;
      const replaced = await http()
        .put(`/api/v1/campaigns/${created.id}`)
        .set(auth(admin))
        .send(
          valid({
            code: 'ENERGIA_2027',
            name: 'Energia 2027',
            timezone: 'Europe/Madrid',
            callingHours: { days: [6, 7], start: '10:00', end: '13:00' },
            steps: [
              { kind: 'question', title: 'Interessato?', choices: ['Sì', 'No'], required: true },
              { kind: 'outcome', title: 'Esito finale' },
            ],
            statusIds: [ids.statuses[2]],
            productIds: [],
            agentIds: [],
            operatorIds: [ids.operators[1]],
            appointmentMinutes: 90,
            overlapPolicy: 'allow',
            privateCallbackGraceMinutes: 0,
          }),
        )
        .expect(200);
      expect(replaced.body).toMatchObject({
        id: created.id,
        code: 'ENERGIA_2027',
        name: 'Energia 2027',
        timezone: 'Europe/Madrid',
        callingHours: [
          { day: 6, start: '10:00', end: '13:00' },
          { day: 7, start: '10:00', end: '13:00' },
        ],
        appointmentMinutes: 90,
        overlapPolicy: 'allow',
        privateCallbackGraceMinutes: 0,
        state: 'active',
        statusIds: [ids.statuses[2]],
        productIds: [],
        agentIds: [],
        operatorIds: [ids.operators[1]],
      });
      expect(replaced.body.steps).toEqual([
        expect.objectContaining({
          position: 1,
          kind: 'question',
          choices: ['Sì', 'No'],
          required: true,
        }),
        expect.objectContaining({ position: 2, kind: 'outcome', title: 'Esito finale' }),
      ]);
      const read = await http().get(`/api/v1/campaigns/${created.id}`).set(auth(admin)).expect(200);
      expect(read.body).toEqual(replaced.body);
      expect(await count(CampaignStep)).toBe(2);
      expect(await count(CampaignStatus)).toBe(1);
    });

    it('keeps its own code without a conflict and keeps the paused state', async () => {
      const created = (await create(valid())).body;
      await http().post(`/api/v1/campaigns/${created.id}/pause`).set(auth(admin)).expect(200);
      const replaced = await http()
        .put(`/api/v1/campaigns/${created.id}`)
        .set(auth(admin))
        .send(valid({ name: 'Rinominata' }))
        .expect(200);
      expect(replaced.body).toMatchObject({
        code: 'ENERGIA_2026',
        name: 'Rinominata',
        state: 'paused',
      });
    });

    const refusals: Array<[string, () => Body, number, RegExp]> = [
      [
        'two outcome steps',
        () => valid({ steps: [...steps(), { kind: 'outcome', title: 'X' }] }),
        400,
        /^steps: /,
      ],
      [
        'an archived status',
        () => valid({ statusIds: [ids.archived] }),
        400,
        /^statusIds: archived/,
      ],
      [
        'a coordinator as operator',
        () => valid({ operatorIds: [ids.coordinatorUser] }),
        400,
        /^operatorIds: /,
      ],
      ['a bad time zone', () => valid({ timezone: 'Nowhere/Land' }), 400, /^timezone /],
      [
        'hours the wrong way round',
        () => valid({ callingHours: { days: [1], start: '18:00', end: '08:00' } }),
        400,
        /^callingHours\.end must be after/,
      ],
      [
        'a script that does not compile',
        () =>
          valid({
            steps: [
              { kind: 'script', title: 'S', body: '{{#each x}}' },
              { kind: 'outcome', title: 'E' },
            ],
          }),
        400,
        /^steps\.0\.body: /,
      ],
      // Found only by the unique index, after the old steps and links were deleted in the same transaction.
      [
        'the code of another campaign',
        () => valid({ code: 'ALTRA' }),
        409,
        /^code: campaign code "ALTRA" is already taken$/,
      ],
    ];

    it.each(refusals)(
      'a PUT refused for %s leaves the old campaign intact',
      async (_name, body, status, message) => {
        await create(valid({ code: 'ALTRA', name: 'Altra campagna' })).expect(201);
        const created = (await create(valid())).body;
        const before = (await http().get(`/api/v1/campaigns/${created.id}`).set(auth(admin))).body;
        const refused = await http()
          .put(`/api/v1/campaigns/${created.id}`)
          .set(auth(admin))
          .send({ ...body(), name: 'Non salvare' })
          .expect(status);
        expect([].concat(refused.body.message)).toEqual(
          expect.arrayContaining([expect.stringMatching(message)]),
        );
        const after = (await http().get(`/api/v1/campaigns/${created.id}`).set(auth(admin))).body;
        expect(after).toEqual(before);
        expect(await count(CampaignStep)).toBe(10);
      },
    );

    it('answers 404 for an unknown campaign and 400 for a bad id', async () => {
      const missing = await http()
        .put('/api/v1/campaigns/999999')
        .set(auth(admin))
        .send(valid())
        .expect(404);
      expect(missing.body).toEqual({ statusCode: 404, message: 'campaign 999999 not found' });
      expect(await count(Campaign)).toBe(0);
      await http().put('/api/v1/campaigns/abc').set(auth(admin)).send(valid()).expect(400);
      await http().get('/api/v1/campaigns/0').set(auth(admin)).expect(400);
      expect(
        (await http().get('/api/v1/campaigns/999999').set(auth(admin)).expect(404)).body.message,
      ).toBe('campaign 999999 not found');
    });

    it('two admins saving the same campaign at once both succeed, one after the other', async () => {
      const created = (await create(valid())).body;
      const save = (name: string, titles: string[]) =>
        http()
          .put(`/api/v1/campaigns/${created.id}`)
          .set(auth(admin))
          .send(
            valid({
              name,
              steps: [
                ...titles.map((title) => ({ kind: 'notes', title })),
                { kind: 'outcome', title: 'Esito' },
              ],
            }),
          );
      const results = await Promise.all([
        save('Prima', ['A1', 'A2', 'A3']),
        save('Seconda', ['B1']),
        save('Terza', ['C1', 'C2']),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const final = (await http().get(`/api/v1/campaigns/${created.id}`).set(auth(admin))).body;
      // Whoever saved last, the workflow is wholly theirs: never a mix of two saves.
      const prefix = final.steps[0].title[0];
      const expected = { P: ['A1', 'A2', 'A3'], S: ['B1'], T: ['C1', 'C2'] }[
        final.name[0] as 'P' | 'S' | 'T'
      ];
      expect(final.steps.map((s: { title: string }) => s.title)).toEqual([...expected, 'Esito']);
      expect(prefix).toBe(expected[0]?.[0]);
      expect(await count(CampaignStep)).toBe(expected.length + 1);
    });
  });

  describe('pause and resume', () => {
    beforeEach(setup);

    it('pauses and resumes; both are idempotent; a coordinator may too', async () => {
      const { id } = (await create(valid())).body;
      const paused = await http()
        .post(`/api/v1/campaigns/${id}/pause`)
        .set(auth(admin))
        .expect(200);
      expect(paused.body).toMatchObject({ id, state: 'paused' });
      const again = await http()
        .post(`/api/v1/campaigns/${id}/pause`)
        .set(auth(coordinator))
        .expect(200);
      expect(again.body.state).toBe('paused');
      const resumed = await http()
        .post(`/api/v1/campaigns/${id}/resume`)
        .set(auth(coordinator))
        .expect(200);
      expect(resumed.body.state).toBe('active');
      await http().post(`/api/v1/campaigns/${id}/resume`).set(auth(admin)).expect(200);
      expect((await http().get(`/api/v1/campaigns/${id}`).set(auth(admin))).body.state).toBe(
        'active',
      );
      // Everything else is untouched.
      expect(
        (await http().get(`/api/v1/campaigns/${id}`).set(auth(admin))).body.steps,
      ).toHaveLength(5);
    });

    it('answers 404 for an unknown campaign and 400 for a bad id', async () => {
      const missing = await http()
        .post('/api/v1/campaigns/999999/pause')
        .set(auth(admin))
        .expect(404);
      expect(missing.body.message).toBe('campaign 999999 not found');
      await http().post('/api/v1/campaigns/999999/resume').set(auth(admin)).expect(404);
      await http().post('/api/v1/campaigns/x/pause').set(auth(admin)).expect(400);
    });
  });

  describe('roles', () => {
    beforeEach(setup);

    it('refuses without a token (401)', async () => {
      const { id } = (await create(valid())).body;
      await http().get('/api/v1/campaigns').expect(401);
      await http().get(`/api/v1/campaigns/${id}`).expect(401);
      await http()
        .post('/api/v1/campaigns')
        .send(valid({ code: 'X' }))
        .expect(401);
      await http().put(`/api/v1/campaigns/${id}`).send(valid()).expect(401);
      await http().post(`/api/v1/campaigns/${id}/pause`).expect(401);
      await http().post('/api/v1/campaigns/script-preview').send({ body: 'x' }).expect(401);
      expect((await http().get(`/api/v1/campaigns/${id}`).set(auth(admin))).body.state).toBe(
        'active',
      );
    });

    it.each(['operator', 'backoffice'] as const)('refuses a %s everything (403)', async (role) => {
      const { id } = (await create(valid())).body;
      const token = await tokenFor(app, await createUser(app, { role }));
      const forbidden = await http().get('/api/v1/campaigns').set(auth(token)).expect(403);
      expect(forbidden.body.message).toContain(`role "${role}"`);
      await http().get(`/api/v1/campaigns/${id}`).set(auth(token)).expect(403);
      await create(valid({ code: 'X' }), token).expect(403);
      await http().put(`/api/v1/campaigns/${id}`).set(auth(token)).send(valid()).expect(403);
      await http().post(`/api/v1/campaigns/${id}/pause`).set(auth(token)).expect(403);
      await http().post(`/api/v1/campaigns/${id}/resume`).set(auth(token)).expect(403);
      await http()
        .post('/api/v1/campaigns/script-preview')
        .set(auth(token))
        .send({ body: 'x' })
        .expect(403);
      expect(await count(Campaign)).toBe(1);
    });

    it('lets a coordinator read but not create or edit', async () => {
      const { id } = (await create(valid())).body;
      await http().get('/api/v1/campaigns').set(auth(coordinator)).expect(200);
      await http().get(`/api/v1/campaigns/${id}`).set(auth(coordinator)).expect(200);
      const refused = await create(valid({ code: 'COORD' }), coordinator).expect(403);
      expect(refused.body.message).toMatch(/needs admin$/);
      await http()
        .put(`/api/v1/campaigns/${id}`)
        .set(auth(coordinator))
        .send(valid({ name: 'X' }))
        .expect(403);
      expect((await http().get(`/api/v1/campaigns/${id}`).set(auth(admin))).body.name).toBe(
        'Energia casa 2026',
      );
    });
  });

  describe('script preview', () => {
    beforeAll(setup);

    const preview = (body: Body, token = admin, path = '/api/v1/campaigns/script-preview') =>
      http().post(path).set(auth(token)).send(body);

    it('renders a script with the sample contact, Mario Rossi', async () => {
      const response = await preview({
        body: 'Buongiorno {{contact.firstName}} {{contact.lastName}} di {{contact.city}} ({{contact.province}}), {{contact.phone}}.\nSono {{operator.name}}.',
      }).expect(200);
      expect(response.body).toEqual({
        html: 'Buongiorno Mario Rossi di Milano (MI), +393331234567.<br>Sono Anna Admin.',
      });
    });

    it('takes the given contact and its extra fields; unknown placeholders render empty', async () => {
      const response = await preview({
        body: '{{contact.firstName}} [{{contact.fields.codice}}] [{{contact.fields.manca}}] [{{contact.soprannome}}] [{{nulla}}]',
        contact: { firstName: 'Giulia', fields: { codice: 'A-17' } },
      }).expect(200);
      expect(response.body.html).toBe('Giulia [A-17] [] [] []');
    });

    it('escapes markup in contact fields and in the script itself', async () => {
      const response = await preview({
        body: '<b>Ciao</b> {{contact.firstName}} {{contact.fields.nota}}',
        contact: {
          firstName: '<script>alert(1)</script>',
          fields: { nota: '<img src=x onerror=alert(1)>' },
        },
      }).expect(200);
      expect(response.body.html).toBe(
        '&lt;b&gt;Ciao&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;',
      );
      expect(response.body.html).not.toMatch(/<(script|img|b)\b/);
    });

    it.each([
      [
        'a triple-stash',
        '{{{contact.firstName}}}',
        /^body: the script does not compile: line 1: \{\{\{ \}\}\} and \{\{& \}\} are not allowed/,
      ],
      [
        'an unescaped ampersand',
        '{{& contact.firstName}}',
        /^body: the script does not compile: line 1: \{\{\{ \}\}\} and \{\{& \}\}/,
      ],
      ['a partial', '{{> evil}}', /^body: the script does not compile: line 1: partials/],
      [
        'a helper',
        '{{lookup contact "firstName"}}',
        /^body: the script does not compile: line 1: helpers are not allowed/,
      ],
      [
        'a parse error',
        'Ciao {{contact.firstName',
        /^body: the script does not compile: Parse error on line 1/,
      ],
    ])('refuses %s with 400 naming body', async (_name, body, message) => {
      const response = await preview({ body, contact: { firstName: '<b>x</b>' } }).expect(400);
      expect(response.body).toEqual({ statusCode: 400, message: expect.stringMatching(message) });
    });

    it.each([
      ['no body', {}, /^body is required$/],
      ['a body that is not a text', { body: 3 }, /^body must be a string$/],
      ['a body too long', { body: 'x'.repeat(20_001) }, /^body must be at most 20000 characters$/],
      [
        'a contact that is not an object',
        { body: 'x', contact: 'Mario' },
        /^contact must be an object$/,
      ],
      [
        'an unknown contact field',
        { body: 'x', contact: { nickname: 'M' } },
        /property nickname should not exist/,
      ],
      [
        'extra fields that are not an object',
        { body: 'x', contact: { fields: ['a'] } },
        /^contact\.fields must be an object/,
      ],
      [
        'an extra field that is not a text',
        { body: 'x', contact: { fields: { a: { b: 1 } } } },
        /^contact\.fields\.a must be a text$/,
      ],
    ])('refuses %s', async (_name, body, message) => {
      const response = await preview(body).expect(400);
      expect([].concat(response.body.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(message)]),
      );
    });

    it('works for an existing campaign (also for a coordinator), 404 for an unknown one', async () => {
      const { id } = (await create(valid())).body;
      const response = await preview(
        { body: 'Ciao {{contact.firstName}}' },
        coordinator,
        `/api/v1/campaigns/${id}/script-preview`,
      ).expect(200);
      expect(response.body).toEqual({ html: 'Ciao Mario' });
      const missing = await preview(
        { body: 'x' },
        admin,
        '/api/v1/campaigns/999999/script-preview',
      ).expect(404);
      expect(missing.body.message).toBe('campaign 999999 not found');
    });
  });
});
