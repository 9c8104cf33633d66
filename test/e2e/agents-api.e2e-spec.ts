import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgentAbsence } from '../../src/agents/agent-absence.entity';
import { Agent } from '../../src/agents/agent.entity';
import { createAgent } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Agents API', () => {
  let app: NestExpressApplication;
  let admin: { Authorization: string };
  const http = () => request(app.getHttpServer());
  const agents = () => app.get(DataSource).getRepository(Agent);
  const absences = () => app.get(DataSource).getRepository(AgentAbsence);
  const valid = {
    name: 'Marco Bianchi',
    email: 'marco.bianchi@example.com',
    phone: '+39 333 123 4567',
    zones: ['mi', 'MB'],
    workingHours: [
      { day: 2, start: '14:00', end: '18:00' },
      { day: 1, start: '09:00', end: '13:00' },
      { day: 2, start: '09:00', end: '13:00' },
    ],
  };

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = {
      Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role: 'admin' }))}`,
    };
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('creates an agent (201) with zones upper-cased and hours sorted, and reads it back', async () => {
    const created = await http().post('/api/v1/agents').set(admin).send(valid).expect(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      name: 'Marco Bianchi',
      email: 'marco.bianchi@example.com',
      phone: '+39 333 123 4567',
      zones: ['MI', 'MB'],
      workingHours: [
        { day: 1, start: '09:00', end: '13:00' },
        { day: 2, start: '09:00', end: '13:00' },
        { day: 2, start: '14:00', end: '18:00' },
      ],
      active: true,
      absences: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const one = await http().get(`/api/v1/agents/${created.body.id}`).set(admin).expect(200);
    expect(one.body).toEqual(created.body);
    const minimal = await http()
      .post('/api/v1/agents')
      .set(admin)
      .send({ name: 'Solo nome', workingHours: [{ day: 7, start: '00:00', end: '24:00' }] })
      .expect(201);
    expect(minimal.body).toMatchObject({ email: null, phone: null, zones: [] });
  });

  it('lists agents, active first, and filters on active', async () => {
    await createAgent(app, { name: 'Zeno' });
    await createAgent(app, { name: 'Anna' });
    await createAgent(app, { name: 'Bruno', active: false });
    const all = await http().get('/api/v1/agents').set(admin).expect(200);
    expect(all.body.map((a: { name: string }) => a.name)).toEqual(['Anna', 'Zeno', 'Bruno']);
    expect(all.body[0]).not.toHaveProperty('absences');
    const inactive = await http().get('/api/v1/agents?active=false').set(admin).expect(200);
    expect(inactive.body.map((a: { name: string }) => a.name)).toEqual(['Bruno']);
    await http().get('/api/v1/agents?active=no').set(admin).expect(400);
  });

  it('updates part of an agent: lists are replaced, null clears e-mail and phone', async () => {
    const agent = await createAgent(app, { email: 'a@example.com', phone: '02 1234' });
    const url = `/api/v1/agents/${agent.id}`;
    const updated = await http()
      .patch(url)
      .set(admin)
      .send({
        zones: ['to', 'AT'],
        email: null,
        workingHours: [{ day: 6, start: '08:30', end: '12:30' }],
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      name: agent.name,
      email: null,
      phone: '02 1234',
      zones: ['TO', 'AT'],
      workingHours: [{ day: 6, start: '08:30', end: '12:30' }],
      absences: [],
    });
    const off = await http().patch(url).set(admin).send({ active: false }).expect(200);
    expect(off.body.active).toBe(false);
    await http().patch('/api/v1/agents/999999').set(admin).send({ name: 'x' }).expect(404);
    const refused = await http()
      .patch(url)
      .set(admin)
      .send({ workingHours: [{ day: 1, start: '10:00', end: '09:00' }] })
      .expect(400);
    expect(refused.body.message).toBe('workingHours.0.end must be after workingHours.0.start');
    expect((await agents().findOneByOrFail({ id: agent.id })).workingHours).toEqual([
      { day: 6, start: '08:30', end: '12:30' },
    ]);
    await http().patch(url).set(admin).send({ name: null }).expect(400);
    await http().patch(url).set(admin).send({ workingHours: null }).expect(400);
  });

  describe('absences', () => {
    it('adds absences (201), shows them with the agent earliest first, and removes one (204)', async () => {
      const agent = await createAgent(app);
      const url = `/api/v1/agents/${agent.id}/absences`;
      const later = await http()
        .post(url)
        .set(admin)
        .send({
          startsAt: '2026-08-10T09:00:00+02:00',
          endsAt: '2026-08-21T18:00:00+02:00',
          reason: 'Ferie',
        })
        .expect(201);
      expect(later.body).toEqual({
        id: expect.any(Number),
        agentId: agent.id,
        startsAt: '2026-08-10T07:00:00.000Z',
        endsAt: '2026-08-21T16:00:00.000Z',
        reason: 'Ferie',
      });
      const earlier = await http()
        .post(url)
        .set(admin)
        .send({ startsAt: '2026-03-02T08:00:00Z', endsAt: '2026-03-02T12:00:00Z' })
        .expect(201);
      expect(earlier.body.reason).toBeNull();
      const withAbsences = await http().get(`/api/v1/agents/${agent.id}`).set(admin).expect(200);
      expect(withAbsences.body.absences.map((a: { id: number }) => a.id)).toEqual([
        earlier.body.id,
        later.body.id,
      ]);

      await http().delete(`${url}/${earlier.body.id}`).set(admin).expect(204);
      await http().delete(`${url}/${earlier.body.id}`).set(admin).expect(404);
      expect(await absences().count()).toBe(1);
    });

    it("does not remove another agent's absence, nor add to an unknown agent", async () => {
      const mine = await createAgent(app);
      const other = await createAgent(app);
      const absence = await absences().save({
        agentId: other.id,
        startsAt: new Date('2026-05-01T00:00:00Z'),
        endsAt: new Date('2026-05-02T00:00:00Z'),
        reason: null,
      });
      const refused = await http()
        .delete(`/api/v1/agents/${mine.id}/absences/${absence.id}`)
        .set(admin)
        .expect(404);
      expect(refused.body.message).toBe(`absence ${absence.id} of agent ${mine.id} not found`);
      expect(await absences().count()).toBe(1);
      await http()
        .post('/api/v1/agents/999999/absences')
        .set(admin)
        .send({ startsAt: '2026-03-02T08:00:00Z', endsAt: '2026-03-02T12:00:00Z' })
        .expect(404);
      await http().delete(`/api/v1/agents/${mine.id}/absences/abc`).set(admin).expect(400);
    });

    const absenceCases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['missing startsAt', { endsAt: '2026-03-02T12:00:00Z' }, /^startsAt is required$/],
      ['missing endsAt', { startsAt: '2026-03-02T12:00:00Z' }, /^endsAt is required$/],
      [
        'not a date',
        { startsAt: 'tomorrow', endsAt: '2026-03-02T12:00:00Z' },
        /^startsAt must be an ISO-8601 instant with Z or an offset/,
      ],
      [
        'impossible day',
        { startsAt: '2026-02-30T08:00:00Z', endsAt: '2026-03-02T12:00:00Z' },
        /^startsAt must be an ISO-8601/,
      ],
      [
        'no zone',
        { startsAt: '2026-03-02T08:00:00', endsAt: '2026-03-02T12:00:00Z' },
        /^startsAt must be an ISO-8601 instant with Z or an offset/,
      ],
      [
        'end before start',
        { startsAt: '2026-03-02T12:00:00Z', endsAt: '2026-03-02T08:00:00Z' },
        /^endsAt must be after startsAt$/,
      ],
      [
        'end equal to start',
        { startsAt: '2026-03-02T12:00:00Z', endsAt: '2026-03-02T14:00:00+02:00' },
        /^endsAt must be after startsAt$/,
      ],
      [
        'year 1900',
        { startsAt: '1900-01-01T00:00:00Z', endsAt: '2026-03-02T12:00:00Z' },
        /^startsAt must be between 2000 and 2099$/,
      ],
      [
        'as a number',
        { startsAt: 1767225600000, endsAt: '2026-03-02T12:00:00Z' },
        /^startsAt must be a string$/,
      ],
      [
        'huge reason',
        {
          startsAt: '2026-03-02T08:00:00Z',
          endsAt: '2026-03-02T12:00:00Z',
          reason: 'r'.repeat(201),
        },
        /^reason must be shorter than or equal to 200/,
      ],
      [
        'unknown field',
        { startsAt: '2026-03-02T08:00:00Z', endsAt: '2026-03-02T12:00:00Z', allDay: true },
        /^property allDay should not exist$/,
      ],
    ];
    it.each(absenceCases)('refuses %s naming the field', async (_name, body, message) => {
      const agent = await createAgent(app);
      const response = await http()
        .post(`/api/v1/agents/${agent.id}/absences`)
        .set(admin)
        .send(body);
      expect(response.status).toBe(400);
      expect(([] as string[]).concat(response.body.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(message)]),
      );
      expect(await absences().count()).toBe(0);
    });
  });

  it.each(['operator', 'coordinator', 'backoffice'] as const)(
    'lets a %s read agents (200) but not change them (403); no token is 401',
    async (role) => {
      const agent = await createAgent(app);
      const absence = await absences().save({
        agentId: agent.id,
        startsAt: new Date('2026-05-01T00:00:00Z'),
        endsAt: new Date('2026-05-02T00:00:00Z'),
        reason: null,
      });
      const auth = {
        Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role }))}`,
      };
      const span = { startsAt: '2026-03-02T08:00:00Z', endsAt: '2026-03-02T12:00:00Z' };
      await http().get('/api/v1/agents').set(auth).expect(200);
      await http().get(`/api/v1/agents/${agent.id}`).set(auth).expect(200);
      await http().post('/api/v1/agents').set(auth).send(valid).expect(403);
      await http().patch(`/api/v1/agents/${agent.id}`).set(auth).send({ name: 'x' }).expect(403);
      await http().post(`/api/v1/agents/${agent.id}/absences`).set(auth).send(span).expect(403);
      await http()
        .delete(`/api/v1/agents/${agent.id}/absences/${absence.id}`)
        .set(auth)
        .expect(403);
      await http().get('/api/v1/agents').expect(401);
      await http().post('/api/v1/agents').send(valid).expect(401);
      await http().patch(`/api/v1/agents/${agent.id}`).send({ name: 'x' }).expect(401);
      await http().post(`/api/v1/agents/${agent.id}/absences`).send(span).expect(401);
      await http().delete(`/api/v1/agents/${agent.id}/absences/${absence.id}`).expect(401);
      expect(await agents().count()).toBe(1);
      expect(await absences().count()).toBe(1);
    },
  );

  describe('bad input gets a 400 naming the field and stores nothing', () => {
    const hours = (...windows: Array<Record<string, unknown>>) => ({
      ...valid,
      workingHours: windows,
    });
    const cases: Array<[string, unknown, RegExp]> = [
      ['missing name', { ...valid, name: undefined }, /^name is required$/],
      ['empty name', { ...valid, name: ' ' }, /^name must not be empty$/],
      [
        'huge name',
        { ...valid, name: 'n'.repeat(100_000) },
        /^name must be shorter than or equal to 120/,
      ],
      ['missing workingHours', { ...valid, workingHours: undefined }, /^workingHours is required$/],
      [
        'workingHours not a list',
        { ...valid, workingHours: { day: 1 } },
        /^workingHours must be an array$/,
      ],
      ['bad e-mail', { ...valid, email: 'not-an-email' }, /^email must be an e-mail address$/],
      [
        'bad phone',
        { ...valid, phone: "'; DROP TABLE agents;--" },
        /^phone must be a phone number/,
      ],
      ['zones not a list', { ...valid, zones: 'MI' }, /^zones must be an array$/],
      ['repeated zone', { ...valid, zones: ['MI', 'mi'] }, /^zones must not repeat "MI"$/],
      [
        'long zone',
        { ...valid, zones: ['ABCDEFGHIJK'] },
        /^zones\.0 must be 1-10 letters or digits/,
      ],
      ['empty zone', { ...valid, zones: ['MI', ''] }, /^zones\.1 must be 1-10 letters or digits/],
      ['zone with SQL', { ...valid, zones: ["MI' OR 1=1"] }, /^zones\.0 must be 1-10/],
      ['zone as a number', { ...valid, zones: [20121] }, /^zones must be texts such as "MI"$/],
      [
        'day 0',
        hours({ day: 0, start: '09:00', end: '10:00' }),
        /^workingHours\.0\.day must be an integer from 1 \(Monday\) to 7 \(Sunday\)$/,
      ],
      [
        'day 8',
        hours({ day: 8, start: '09:00', end: '10:00' }),
        /^workingHours\.0\.day must be an integer from 1/,
      ],
      [
        'day as text',
        hours({ day: 'monday', start: '09:00', end: '10:00' }),
        /^workingHours\.0\.day must be an integer/,
      ],
      ['missing start', hours({ day: 1, end: '10:00' }), /^workingHours\.0\.start is required$/],
      [
        'start 9:00',
        hours({ day: 1, start: '9:00', end: '10:00' }),
        /^workingHours\.0\.start must be a time HH:MM from 00:00 to 24:00$/,
      ],
      [
        'end 24:30',
        hours({ day: 1, start: '09:00', end: '24:30' }),
        /^workingHours\.0\.end must be a time HH:MM/,
      ],
      [
        'end before start',
        hours({ day: 1, start: '09:00', end: '10:00' }, { day: 3, start: '18:00', end: '09:00' }),
        /^workingHours\.1\.end must be after workingHours\.1\.start$/,
      ],
      [
        'overlapping windows',
        hours(
          { day: 1, start: '09:00', end: '13:00' },
          { day: 2, start: '09:00', end: '13:00' },
          { day: 1, start: '12:30', end: '18:00' },
        ),
        /^workingHours\.2\.start: workingHours\.2 overlaps workingHours\.0 on day 1$/,
      ],
      [
        'same window twice',
        hours({ day: 4, start: '09:00', end: '13:00' }, { day: 4, start: '09:00', end: '13:00' }),
        /^workingHours\.1\.start: workingHours\.1 overlaps workingHours\.0/,
      ],
      ['window not an object', hours(5 as unknown as Record<string, unknown>), /workingHours/],
      [
        'unknown field in a window',
        hours({ day: 1, start: '09:00', end: '10:00', lunch: true }),
        /property lunch should not exist$/,
      ],
      ['unknown field', { ...valid, absences: [] }, /^property absences should not exist$/],
    ];

    it.each(cases)('%s', async (_name, body, message) => {
      const response = await http()
        .post('/api/v1/agents')
        .set(admin)
        .send(body as object);
      expect(response.status).toBe(400);
      expect(([] as string[]).concat(response.body.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(message)]),
      );
      expect(await agents().count()).toBe(0);
    });

    it('stores a name that looks like SQL or HTML verbatim', async () => {
      const name = `O'Brien"); DROP TABLE agents;-- <img src=x onerror=alert(1)>`;
      const created = await http()
        .post('/api/v1/agents')
        .set(admin)
        .send({ ...valid, name })
        .expect(201);
      expect(
        (await http().get(`/api/v1/agents/${created.body.id}`).set(admin).expect(200)).body.name,
      ).toBe(name);
    });

    it('a bad or unknown id in the path', async () => {
      await http().get('/api/v1/agents/abc').set(admin).expect(400);
      await http().get('/api/v1/agents/1.5').set(admin).expect(400);
      expect((await http().get('/api/v1/agents/999999').set(admin).expect(404)).body).toEqual({
        statusCode: 404,
        message: 'agent 999999 not found',
      });
    });
  });
});
