import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgentAbsence } from '../../src/agents/agent-absence.entity';
import { Agent } from '../../src/agents/agent.entity';
import { Appointment } from '../../src/appointments/appointment.entity';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignAgent } from '../../src/campaigns/campaign-agent.entity';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createAppointment } from '../factories/appointment.factory';
import { createAgent, createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Slot {
  start: string;
  end: string;
}

const MONDAY_0930 = new Date('2026-11-30T08:30:00Z'); // Monday 30 November, 09:30 in Rome

describe('Agenda and appointments API (availability, booking rules, agenda changes)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let coordinator: { id: number; token: string };
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let visit: OutcomeStatus;
  let agent: Agent;
  const http = (on = app) => request(on.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function newOperator(on = campaign) {
    const user = await createUser(app, { role: 'operator' });
    await db.getRepository(CampaignOperator).insert({ campaignId: on.id, userId: user.id });
    return { id: user.id, token: await tokenFor(app, user) };
  }
  async function link(campaignId: number, agentId: number) {
    await db.getRepository(CampaignAgent).insert({ campaignId, agentId });
  }
  const availability = (agentId: number, query: string) =>
    http().get(`/api/v1/agents/${agentId}/availability?${query}`).set(as(admin));
  const startsOf = (slots: Slot[]) => slots.map((s) => s.start);
  /** Leases the next contact of the campaign to the operator. */
  async function lease(who: { token: string }, on = app): Promise<number> {
    const res = await http(on)
      .post('/api/v1/work/next')
      .set(as(who.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    return res.body.contact.id as number;
  }
  const book = (
    who: { token: string },
    contactId: number,
    appointment: Record<string, unknown>,
    on = app,
  ) =>
    http(on)
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(who.token))
      .send({ statusId: visit.id, appointment });
  const booked = () => db.getRepository(Appointment).find({ order: { id: 'ASC' } });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY_0930);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const coordinatorUser = await createUser(app, { role: 'coordinator' });
    coordinator = { id: coordinatorUser.id, token: await tokenFor(app, coordinatorUser) };
    visit = await createStatus(app, { code: 'AP', label: 'Appuntamento', type: 'T' });
    campaign = await createCampaign(app, {}, { statusIds: [visit.id] });
    operator = await newOperator();
    agent = await createAgent(app, { name: 'Luigi Verdi', zones: ['MI'] });
    await link(campaign.id, agent.id);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('GET /agents/:id/availability', () => {
    it('gives the free slots: the grid minus visits with their travel buffer, absences and the past', async () => {
      await db.getRepository(Campaign).update(campaign.id, { travelBufferMinutes: 30 });
      const contact = await createContact(app, campaign.id);
      // Tuesday 13:00-14:00 in Rome; with 30 minutes either side, 12:00-15:00 is not free.
      await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: contact.id,
        startsAt: '2026-12-01T12:00:00Z',
      });
      // Wednesday, all day.
      await db.getRepository(AgentAbsence).insert({
        agentId: agent.id,
        startsAt: new Date('2026-12-01T23:00:00Z'),
        endsAt: new Date('2026-12-02T23:00:00Z'),
        reason: 'ferie',
      });
      const res = await availability(agent.id, 'from=2026-11-30&to=2026-12-02').expect(200);
      const slots = res.body as Slot[];
      // Monday from 10:00 (it is 09:30), eight slots to 17:00-18:00.
      expect(startsOf(slots.filter((s) => s.start.startsWith('2026-11-30')))).toEqual(
        [9, 10, 11, 12, 13, 14, 15, 16].map(
          (h) => `2026-11-30T${String(h).padStart(2, '0')}:00:00.000Z`,
        ),
      );
      expect(slots.filter((s) => s.start.startsWith('2026-12-01'))).toEqual(
        [8, 9, 10, 14, 15, 16].map((h) => ({
          start: `2026-12-01T${String(h).padStart(2, '0')}:00:00.000Z`,
          end: `2026-12-01T${String(h + 1).padStart(2, '0')}:00:00.000Z`,
        })),
      );
      expect(slots.filter((s) => s.start.startsWith('2026-12-02'))).toEqual([]);
      // A cancelled visit frees its slot.
      await db.getRepository(Appointment).update({ agentId: agent.id }, { state: 'cancelled' });
      const freed = await availability(agent.id, 'from=2026-12-01&to=2026-12-01').expect(200);
      expect(freed.body).toHaveLength(9);
    });

    it('reads the working hours in the campaign zone across both daylight-saving weeks (Europe/Rome)', async () => {
      const weekend = await createAgent(app, {
        zones: ['MI'],
        workingHours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '09:00', end: '11:00' })),
      });
      await link(campaign.id, weekend.id);
      clock.set(new Date('2026-03-01T08:00:00Z'));
      const spring = await availability(weekend.id, 'from=2026-03-28&to=2026-03-30').expect(200);
      expect(startsOf(spring.body)).toEqual([
        '2026-03-28T08:00:00.000Z', // Saturday 09:00 CET
        '2026-03-28T09:00:00.000Z',
        '2026-03-29T07:00:00.000Z', // Sunday 09:00 CEST: the clocks went forward at 02:00
        '2026-03-29T08:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
        '2026-03-30T08:00:00.000Z',
      ]);
      clock.set(new Date('2026-10-01T08:00:00Z'));
      const autumn = await availability(weekend.id, 'from=2026-10-24&to=2026-10-26').expect(200);
      expect(startsOf(autumn.body)).toEqual([
        '2026-10-24T07:00:00.000Z', // Saturday 09:00 CEST
        '2026-10-24T08:00:00.000Z',
        '2026-10-25T08:00:00.000Z', // Sunday 09:00 CET: the clocks went back at 03:00
        '2026-10-25T09:00:00.000Z',
        '2026-10-26T08:00:00.000Z',
        '2026-10-26T09:00:00.000Z',
      ]);

      // Booked in local time on the spring Sunday, the visit takes that slot.
      clock.set(new Date('2026-03-27T08:00:00Z'));
      await createContact(app, campaign.id);
      const contactId = await lease(operator);
      const skipped = await book(operator, contactId, {
        agentId: weekend.id,
        startsAt: '2026-03-29T02:30',
      }).expect(400);
      expect(skipped.body.message).toMatch(
        /^appointment.startsAt: 2026-03-29T02:30 does not exist in Europe\/Rome/,
      );
      const ok = await book(operator, contactId, {
        agentId: weekend.id,
        startsAt: '2026-03-29T09:00',
      }).expect(201);
      expect(ok.body.appointment).toMatchObject({
        startsAt: '2026-03-29T07:00:00.000Z',
        endsAt: '2026-03-29T08:00:00.000Z',
      });
      const after = await availability(weekend.id, 'from=2026-03-29&to=2026-03-29').expect(200);
      expect(startsOf(after.body)).toEqual(['2026-03-29T08:00:00.000Z']);
    });

    it('refuses a bad range, an unknown agent and a campaign the agent does not work for', async () => {
      await availability(999999, 'from=2026-12-01').expect(404);
      const cases: Array<[string, RegExp]> = [
        ['from=2026-02-30', /^from must be a date YYYY-MM-DD/],
        ['from=tomorrow', /^from must be a date/],
        ['from=2026-12-01&from=2026-12-02', /^from must be given once/],
        ['from=2026-12-05&to=2026-12-01', /^to must not be before from/],
        ['from=2026-12-01&to=2027-03-01', /^to: a range covers at most 62 days/],
        ['campaignId=abc', /^campaignId must be a positive integer/],
      ];
      for (const [query, message] of cases) {
        const res = await availability(agent.id, query).expect(400);
        expect(res.body.message).toMatch(message);
      }
      const other = await createCampaign(app);
      const foreign = await availability(agent.id, `campaignId=${other.id}`).expect(400);
      expect(foreign.body.message).toMatch(/^campaignId: agent \d+ does not work for campaign/);
      await link(other.id, agent.id);
      const which = await availability(agent.id, 'from=2026-12-01').expect(400);
      expect(which.body.message).toMatch(/^campaignId: agent \d+ works for 2 campaigns/);
      await db.getRepository(Campaign).update(other.id, { appointmentMinutes: 120 });
      const long = await availability(
        agent.id,
        `campaignId=${other.id}&from=2026-12-01&to=2026-12-01`,
      ).expect(200);
      expect(startsOf(long.body)).toEqual([
        '2026-12-01T08:00:00.000Z',
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T12:00:00.000Z',
        '2026-12-01T14:00:00.000Z',
      ]);
    });
  });

  describe('GET /campaigns/:id/agenda', () => {
    it('puts the agents covering the contact zone first, with their slots and next free slot', async () => {
      const roma = await createAgent(app, { name: 'Anna Rossi', zones: ['RM', '00184'] });
      await link(campaign.id, roma.id);
      // Away all this week: the next free slot is next Monday.
      await db.getRepository(AgentAbsence).insert({
        agentId: roma.id,
        startsAt: new Date('2026-11-29T23:00:00Z'),
        endsAt: new Date('2026-12-06T23:00:00Z'),
        reason: 'malattia',
      });
      const inactive = await createAgent(app, { active: false });
      await link(campaign.id, inactive.id);
      const contact = await createContact(app, campaign.id, { province: 'RM' });
      await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: contact.id,
        startsAt: '2026-11-30T10:00:00Z',
      });
      const res = await http()
        .get(`/api/v1/campaigns/${campaign.id}/agenda?contactId=${contact.id}`)
        .set(as(operator.token))
        .expect(200);
      expect(res.body).toMatchObject({
        timezone: 'Europe/Rome',
        appointmentMinutes: 60,
        from: '2026-11-30',
        to: '2026-12-06',
        contactZones: ['RM'],
      });
      expect(res.body.agents.map((a: { name: string }) => a.name)).toEqual([
        'Anna Rossi',
        'Luigi Verdi',
      ]);
      const [rossi, verdi] = res.body.agents;
      expect(rossi.coversZone).toBe(true);
      expect(new Set(rossi.slots.map((s: { state: string }) => s.state))).toEqual(
        new Set(['absent']),
      );
      expect(rossi.nextFree).toEqual({
        start: '2026-12-07T08:00:00.000Z',
        end: '2026-12-07T09:00:00.000Z',
      });
      expect(verdi.coversZone).toBe(false);
      expect(verdi.slots.slice(0, 4).map((s: { state: string }) => s.state)).toEqual([
        'past',
        'free',
        'taken',
        'free',
      ]);
      expect(verdi.nextFree.start).toBe('2026-11-30T09:00:00.000Z');
      expect(verdi.slots).toHaveLength(5 * 9);

      const week = await http()
        .get(`/api/v1/campaigns/${campaign.id}/agenda?from=2026-12-07`)
        .set(as(operator.token))
        .expect(200);
      expect(week.body).toMatchObject({ from: '2026-12-07', to: '2026-12-13' });
      const other = await createCampaign(app);
      const stranger = await createContact(app, other.id);
      const wrong = await http()
        .get(`/api/v1/campaigns/${campaign.id}/agenda?contactId=${stranger.id}`)
        .set(as(operator.token))
        .expect(400);
      expect(wrong.body.message).toMatch(/^contactId: contact \d+ is not in campaign/);
      await http().get('/api/v1/campaigns/999999/agenda').set(as(operator.token)).expect(404);
    });
  });

  describe('booking from the outcome', () => {
    it('names the field of every bad request: agent, start, past, grid, hours, absence', async () => {
      const stranger = await createAgent(app);
      await createContact(app, campaign.id);
      const contactId = await lease(operator);
      await db.getRepository(AgentAbsence).insert({
        agentId: agent.id,
        startsAt: new Date('2026-12-03T08:00:00Z'),
        endsAt: new Date('2026-12-03T12:00:00Z'),
        reason: 'visita medica',
      });
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [
          { agentId: 999999, startsAt: '2026-12-01T10:00' },
          /^appointment.agentId: agent 999999 does not work for this campaign/,
        ],
        [
          { agentId: stranger.id, startsAt: '2026-12-01T10:00' },
          /^appointment.agentId: agent \d+ does not work for this campaign/,
        ],
        [{ agentId: agent.id, startsAt: 'domani alle 10' }, /appointment.startsAt/],
        [{ agentId: agent.id, startsAt: '2026-13-01T10:00' }, /appointment.startsAt/],
        [
          { agentId: agent.id, startsAt: '2026-11-30T09:00' },
          /^appointment.startsAt must be in the future/,
        ],
        [
          { agentId: agent.id, startsAt: '2026-12-01T10:20' },
          /^appointment.startsAt: 10:20 is not a slot start; slots last 60 minutes \(nearest: 10:00\)/,
        ],
        [
          { agentId: agent.id, startsAt: '2026-12-05T10:00' },
          /^appointment: Luigi Verdi does not work at 2026-12-05 10:00/,
        ],
        [
          { agentId: agent.id, startsAt: '2026-12-01T17:30' },
          /^appointment: Luigi Verdi does not work at 2026-12-01 17:30/,
        ],
        [
          { agentId: agent.id, startsAt: '2026-12-03T10:00' },
          /^appointment: Luigi Verdi is absent at that time/,
        ],
        [{ agentId: 'uno', startsAt: '2026-12-01T10:00' }, /appointment.agentId/],
      ];
      for (const [appointment, message] of cases) {
        const res = await book(operator, contactId, appointment).expect(400);
        expect(JSON.stringify(res.body.message)).toMatch(
          new RegExp(message.source.replace(/^\^/, '')),
        );
      }
      await db.getRepository(Agent).update(agent.id, { active: false });
      const inactive = await book(operator, contactId, {
        agentId: agent.id,
        startsAt: '2026-12-01T10:00',
      }).expect(400);
      expect(inactive.body.message).toMatch(/^appointment.agentId: agent \d+ is not active/);
      expect(await booked()).toEqual([]);
    });

    it('keeps the travel buffer free and applies the overlap policies reject, warn and allow', async () => {
      await db.getRepository(Campaign).update(campaign.id, { travelBufferMinutes: 30 });
      for (let i = 0; i < 4; i++) await createContact(app, campaign.id);
      const first = await lease(operator);
      await book(operator, first, {
        agentId: agent.id,
        startsAt: '2026-12-01T10:00',
        notes: 'interessato alla fibra',
      }).expect(201);
      const second = await lease(operator);
      const near = await book(operator, second, {
        agentId: agent.id,
        startsAt: '2026-12-01T11:00',
      }).expect(409);
      expect(near.body.message).toBe(
        'appointment: Luigi Verdi already has an appointment at 2026-12-01 10:00 (with 30 minutes for travelling)',
      );
      // 09:00 and 11:00 are within the buffer: the nearest free are 12:00, 13:00, 14:00.
      expect(startsOf(near.body.nearestFreeSlots)).toEqual([
        '2026-12-01T11:00:00.000Z',
        '2026-12-01T12:00:00.000Z',
        '2026-12-01T13:00:00.000Z',
      ]);
      await db.getRepository(Campaign).update(campaign.id, { overlapPolicy: 'warn' });
      const warned = await book(operator, second, {
        agentId: agent.id,
        startsAt: '2026-12-01T11:00',
      }).expect(409);
      expect(warned.body.message).toMatch(/send acknowledgeOverlap: true to book it anyway$/);
      const acknowledged = await book(operator, second, {
        agentId: agent.id,
        startsAt: '2026-12-01T11:00',
        acknowledgeOverlap: true,
      }).expect(201);
      expect(acknowledged.body.appointment.overlaps).toBe(true);
      await db.getRepository(Campaign).update(campaign.id, { overlapPolicy: 'allow' });
      const third = await lease(operator);
      const allowed = await book(operator, third, {
        agentId: agent.id,
        startsAt: '2026-12-01T10:00',
      }).expect(201);
      expect(allowed.body.appointment.overlaps).toBe(true);
      const listed = await http()
        .get(`/api/v1/appointments?agentId=${agent.id}&from=2026-12-01&to=2026-12-01`)
        .set(as(coordinator.token))
        .expect(200);
      expect(
        listed.body.map((a: { startsAt: string; overlaps: boolean }) => [a.startsAt, a.overlaps]),
      ).toEqual([
        ['2026-12-01T09:00:00.000Z', false],
        ['2026-12-01T09:00:00.000Z', true],
        ['2026-12-01T10:00:00.000Z', true],
      ]);
    });

    it('of 10 operators confirming the same agent and hour at once, exactly one books it', async () => {
      const operators = [
        operator,
        ...(await Promise.all(Array.from({ length: 9 }, () => newOperator()))),
      ];
      for (let i = 0; i < 10; i++) await createContact(app, campaign.id);
      const contacts: number[] = [];
      for (const who of operators) contacts.push(await lease(who));
      const results = await Promise.all(
        operators.map((who, i) =>
          book(who, contacts[i]!, { agentId: agent.id, startsAt: '2026-12-01T10:00' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      for (const lost of results.filter((r) => r.status === 409)) {
        expect(lost.body.message).toMatch(
          /^appointment: Luigi Verdi already has an appointment at 2026-12-01 10:00/,
        );
        expect(startsOf(lost.body.nearestFreeSlots)).not.toContain('2026-12-01T09:00:00.000Z');
        expect(lost.body.nearestFreeSlots).toHaveLength(3);
      }
      expect((await booked()).map((a) => a.startsAt.toISOString())).toEqual([
        '2026-12-01T09:00:00.000Z',
      ]);
      // The losers' contacts are still theirs to book elsewhere.
      const loser = results.findIndex((r) => r.status === 409);
      await book(operators[loser]!, contacts[loser]!, {
        agentId: agent.id,
        startsAt: '2026-12-01T11:00',
      }).expect(201);
    });
  });

  describe('changing appointments', () => {
    let contact: Contact;
    let appointment: Appointment;
    beforeEach(async () => {
      contact = await createContact(app, campaign.id, {
        firstName: 'Mario',
        lastName: 'Bianchi',
        city: 'Milano',
        province: 'MI',
        fields: { indirizzo: 'Via Torino 5', cap: '20123' },
      });
      appointment = await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: contact.id,
        operatorId: operator.id,
        startsAt: '2026-12-01T09:00:00Z',
        notes: 'citofono Bianchi, interessato al fotovoltaico',
      });
    });
    const move = (body: object, token = coordinator.token) =>
      http().post(`/api/v1/appointments/${appointment.id}/move`).set(as(token)).send(body);
    const close = (body: object, id = appointment.id) =>
      http().post(`/api/v1/appointments/${id}/state`).set(as(coordinator.token)).send(body);

    it('moves to a free slot of the same or another agent, recording who, why and a new sequence', async () => {
      await move({ startsAt: '2026-12-01T15:00' }, operator.token).expect(403);
      const moved = await move({
        startsAt: '2026-12-01T15:00',
        reason: 'cliente al lavoro',
      }).expect(200);
      expect(moved.body).toMatchObject({
        startsAt: '2026-12-01T14:00:00.000Z',
        endsAt: '2026-12-01T15:00:00.000Z',
        state: 'booked',
        stateReason: 'cliente al lavoro',
        sequence: 1,
        contact: {
          name: 'Mario Bianchi',
          address: 'Via Torino 5, 20123 Milano (MI)',
          zones: ['MI', '20123'],
        },
        operatorName: expect.any(String),
      });
      const other = await createAgent(app, { name: 'Anna Rossi' });
      await link(campaign.id, other.id);
      const toOther = await move({ startsAt: '2026-12-01T15:00', agentId: other.id }).expect(200);
      expect(toOther.body).toMatchObject({
        agentId: other.id,
        agentName: 'Anna Rossi',
        sequence: 2,
      });
      const audit = await db.getRepository(AuditEntry).findBy({ action: 'appointment.moved' });
      expect(audit.map((a) => a.userId)).toEqual([coordinator.id, coordinator.id]);
    });

    it('refuses a move onto a taken slot (409 with free slots), off the grid, outside hours, to an agent of another campaign', async () => {
      const neighbour = await createContact(app, campaign.id);
      await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: neighbour.id,
        startsAt: '2026-12-01T13:00:00Z',
      });
      const taken = await move({ startsAt: '2026-12-01T14:00' }).expect(409);
      expect(taken.body.message).toMatch(
        /^startsAt: Luigi Verdi already has an appointment at 2026-12-01 14:00/,
      );
      expect(taken.body.nearestFreeSlots.length).toBeGreaterThan(0);
      const offGrid = await move({ startsAt: '2026-12-01T14:30' }).expect(400);
      expect(offGrid.body.message).toMatch(/^startsAt: 14:30 is not a slot start/);
      const sunday = await move({ startsAt: '2026-12-06T10:00' }).expect(400);
      expect(sunday.body.message).toMatch(
        /^startsAt: Luigi Verdi does not work at 2026-12-06 10:00/,
      );
      const stranger = await createAgent(app);
      const foreign = await move({ startsAt: '2026-12-01T15:00', agentId: stranger.id }).expect(
        400,
      );
      expect(foreign.body.message).toMatch(/^agentId: agent \d+ does not work for this campaign/);
      const malformed = await move({ startsAt: 42 }).expect(400);
      expect(JSON.stringify(malformed.body.message)).toContain('startsAt');
      await http()
        .post('/api/v1/appointments/999999/move')
        .set(as(coordinator.token))
        .send({ startsAt: '2026-12-01T15:00' })
        .expect(404);
      // Moving onto its own slot is no overlap with itself.
      await move({ startsAt: '2026-12-01T10:00' }).expect(200);
    });

    it('cancels with a reason, marks done or no-show once started, and refuses a second change', async () => {
      const noReason = await close({ state: 'cancelled' }).expect(400);
      expect(noReason.body.message).toBe('reason: say why the appointment is cancelled');
      const bad = await close({ state: 'booked' }).expect(400);
      expect(JSON.stringify(bad.body.message)).toContain(
        'state must be one of: cancelled, done, no_show',
      );
      const early = await close({ state: 'done' }).expect(409);
      expect(early.body.message).toMatch(/it can be marked done once it has started$/);
      clock.set(new Date('2026-12-01T09:30:00Z'));
      const done = await close({ state: 'done' }).expect(200);
      expect(done.body).toMatchObject({ state: 'done', sequence: 1 });
      const again = await close({ state: 'cancelled', reason: 'errore' }).expect(409);
      expect(again.body.message).toMatch(
        /^state: appointment \d+ is done; only a booked appointment can be marked cancelled/,
      );

      const second = await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: contact.id,
        startsAt: '2026-12-02T09:00:00Z',
      });
      const cancelled = await close(
        { state: 'cancelled', reason: 'il cliente ha disdetto' },
        second.id,
      ).expect(200);
      expect(cancelled.body).toMatchObject({
        state: 'cancelled',
        stateReason: 'il cliente ha disdetto',
      });
      const free = await availability(agent.id, 'from=2026-12-02&to=2026-12-02').expect(200);
      expect(startsOf(free.body)).toContain('2026-12-02T09:00:00.000Z');
    });

    it('sends it back for rescheduling: a private callback, due now, for the operator who booked it', async () => {
      const res = await http()
        .post(`/api/v1/appointments/${appointment.id}/reschedule`)
        .set(as(coordinator.token))
        .send({ reason: "l'agente è in malattia" })
        .expect(200);
      expect(res.body.appointment).toMatchObject({
        state: 'reschedule',
        stateReason: "l'agente è in malattia",
      });
      const callback = await db
        .getRepository(Callback)
        .findOneByOrFail({ id: res.body.callbackId });
      expect(callback).toMatchObject({
        contactId: contact.id,
        ownerId: operator.id,
        visibility: 'private',
        state: 'scheduled',
        reason: 'appointment to be rescheduled',
      });
      expect(callback.dueAt.toISOString()).toBe(MONDAY_0930.toISOString());
      expect(callback.notes).toContain('Luigi Verdi');
      expect(callback.notes).toContain("l'agente è in malattia");
      expect(callback.notes).toContain('citofono Bianchi, interessato al fotovoltaico');
      expect((await db.getRepository(Contact).findOneByOrFail({ id: contact.id })).state).toBe(
        'callback',
      );
      const mine = await http()
        .get('/api/v1/callbacks?scope=mine')
        .set(as(operator.token))
        .expect(200);
      expect(mine.body.map((c: { id: number }) => c.id)).toEqual([callback.id]);
      await http()
        .post(`/api/v1/appointments/${appointment.id}/reschedule`)
        .set(as(coordinator.token))
        .send({})
        .expect(409);
      const long = await http()
        .post(`/api/v1/appointments/${appointment.id}/reschedule`)
        .set(as(coordinator.token))
        .send({ reason: 'x'.repeat(501) })
        .expect(400);
      expect(JSON.stringify(long.body.message)).toContain('reason must be at most 500 characters');
    });

    it('lists by agent, campaign, zone and state; refuses bad filters', async () => {
      const other = await createCampaign(app);
      const roma = await createAgent(app, { zones: ['RM'] });
      await link(other.id, roma.id);
      const romano = await createContact(app, other.id, { province: 'RM' });
      await createAppointment(app, {
        agentId: roma.id,
        campaignId: other.id,
        contactId: romano.id,
        startsAt: '2026-12-02T09:00:00Z',
        state: 'cancelled',
      });
      const list = (query: string) =>
        http()
          .get(`/api/v1/appointments?${query.includes('from=') ? '' : 'from=2026-11-30&'}${query}`)
          .set(as(coordinator.token));
      const ids = (res: request.Response) =>
        (res.body as Array<{ agentId: number }>).map((a) => a.agentId);
      expect(ids(await list('').expect(200))).toEqual([agent.id, roma.id]);
      expect(ids(await list(`campaignId=${other.id}`).expect(200))).toEqual([roma.id]);
      expect(ids(await list('zone=mi').expect(200))).toEqual([agent.id]);
      expect(ids(await list('state=cancelled').expect(200))).toEqual([roma.id]);
      expect(ids(await list(`agentId=${agent.id}&state=booked`).expect(200))).toEqual([agent.id]);
      expect(ids(await list('zone=NA').expect(200))).toEqual([]);
      expect((await list('from=2026-12-07').expect(200)).body).toEqual([]);
      for (const [query, message] of [
        ['state=maybe', /^state must be one of: booked, done, no_show, cancelled, reschedule/],
        ['agentId=0', /^agentId must be a positive integer/],
        ['campaignId=999999', /^campaignId: campaign 999999 not found/],
        ['to=2026-11-01', /^to must not be before from/],
      ] as const) {
        expect((await list(query).expect(400)).body.message).toMatch(message);
      }
    });

    it('a booking and a cancellation racing for one slot leave one visit at most, whichever wins', async () => {
      for (let i = 0; i < 6; i++) await createContact(app, campaign.id);
      for (let round = 0; round < 6; round++) {
        const day = `2026-12-0${2 + (round % 3)}`;
        const hour = 9 + Math.floor(round / 3) * 2;
        const local = `${day}T${String(hour + 1).padStart(2, '0')}:00`;
        const existing = await createAppointment(app, {
          agentId: agent.id,
          campaignId: campaign.id,
          contactId: contact.id,
          startsAt: `${day}T${String(hour).padStart(2, '0')}:00:00Z`,
        });
        const contactId = await lease(operator);
        const [cancel, booking] = await Promise.all([
          close({ state: 'cancelled', reason: 'disdetto' }, existing.id),
          book(operator, contactId, { agentId: agent.id, startsAt: local }),
        ]);
        expect(cancel.status).toBe(200);
        expect([201, 409]).toContain(booking.status);
        const inSlot = (await booked()).filter(
          (a) => a.state === 'booked' && a.startsAt.getTime() === existing.startsAt.getTime(),
        );
        expect(inSlot).toHaveLength(booking.status === 201 ? 1 : 0);
        if (booking.status === 409) {
          // Lost to the old visit, which was then cancelled: the slot is free again.
          await book(operator, contactId, { agentId: agent.id, startsAt: local }).expect(201);
        }
      }
    });
  });

  (isMysqlRun() ? describe : describe.skip)('several instances on one MySQL database', () => {
    let second: NestExpressApplication;
    let third: NestExpressApplication;
    beforeAll(async () => {
      second = await createTestApp();
      third = await createTestApp();
      second.get(Clock).set(MONDAY_0930);
      third.get(Clock).set(MONDAY_0930);
    });
    afterAll(async () => {
      await second.close();
      await third.close();
    });

    it('10 bookings of one slot spread over three instances: exactly one 201, nine 409 with free slots', async () => {
      const instances = [app, second, third];
      const operators = [
        operator,
        ...(await Promise.all(Array.from({ length: 9 }, () => newOperator()))),
      ];
      for (let i = 0; i < 10; i++) await createContact(app, campaign.id);
      const contacts: number[] = [];
      for (const who of operators) contacts.push(await lease(who));
      const results = await Promise.all(
        operators.map((who, i) =>
          book(
            who,
            contacts[i]!,
            { agentId: agent.id, startsAt: '2026-12-01T10:00:00+01:00' },
            instances[i % 3],
          ),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      for (const lost of results.filter((r) => r.status === 409)) {
        expect(lost.body.nearestFreeSlots).toHaveLength(3);
      }
      expect(await db.getRepository(Appointment).countBy({ state: 'booked' })).toBe(1);
    });

    it('two moves into one free slot on two instances: one wins, the other gets 409', async () => {
      const one = await createContact(app, campaign.id);
      const two = await createContact(app, campaign.id);
      const a = await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: one.id,
        startsAt: '2026-12-01T08:00:00Z',
      });
      const b = await createAppointment(app, {
        agentId: agent.id,
        campaignId: campaign.id,
        contactId: two.id,
        startsAt: '2026-12-01T10:00:00Z',
      });
      const results = await Promise.all(
        [a, b].map((x, i) =>
          http([app, second][i])
            .post(`/api/v1/appointments/${x.id}/move`)
            .set(as(coordinator.token))
            .send({ startsAt: '2026-12-01T16:00' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const at16 = (await booked()).filter(
        (x) => x.startsAt.toISOString() === '2026-12-01T15:00:00.000Z',
      );
      expect(at16).toHaveLength(1);
    });
  });
});
