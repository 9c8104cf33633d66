import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageEvent } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { filter, firstValueFrom, timeout } from 'rxjs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { CtiEvent } from '../../src/cti/cti-event.entity';
import { CtiHub } from '../../src/cti/cti-hub.service';
import type { ScreenPop } from '../../src/cti/cti.service';
import { Interaction } from '../../src/interactions/interaction.entity';
import type { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { WrapUpService } from '../../src/work/wrap-up.service';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

const MONDAY = new Date('2026-11-30T10:00:00Z');

describe('Telephony integration (CTI)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let pbx: string;
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let wrapUp: OutcomeStatus;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const message = (body: { message: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : body.message;
  const event = (body: object, token = pbx) =>
    http().post('/api/v1/cti/events').set(as(token)).send(body);
  /** The next pop the operator's stream receives. */
  const nextPop = (operatorId: number, ms = 5000) =>
    firstValueFrom(
      app
        .get(CtiHub)
        .stream(operatorId)
        .pipe(
          filter((m: MessageEvent) => m.type === 'pop'),
          timeout(ms),
        ),
    ).then((m) => m.data as ScreenPop);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    pbx = await tokenFor(app, await createUser(app, { role: 'integration' }));
    const created = await http()
      .post('/api/v1/users')
      .set(as(admin))
      .send({
        username: 'giulia',
        password: 'password-giulia',
        displayName: 'Giulia',
        role: 'operator',
        extension: '201',
      })
      .expect(201);
    expect(created.body).toMatchObject({ extension: '201' });
    operator = {
      id: (created.body as { id: number }).id,
      token: await tokenFor(app, { username: 'giulia', password: 'password-giulia' }),
    };
    wrapUp = await createStatus(app, { code: 'PC', label: 'Post-chiamata', type: 'N' });
    campaign = await createCampaign(
      app,
      { name: 'Assistenza' },
      { statusIds: [wrapUp.id], operatorIds: [operator.id] },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  it('an operator’s extension is unique and shown in their profile', async () => {
    const taken = await http()
      .post('/api/v1/users')
      .set(as(admin))
      .send({
        username: 'paolo',
        password: 'password-paolo',
        displayName: 'Paolo',
        role: 'operator',
        extension: '201',
      })
      .expect(409);
    expect(message(taken.body)).toMatch(/^extension 201 is already taken/);
  });

  it('a call ringing on the extension pops the caller’s contact on that operator’s stream', async () => {
    const contact = await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      phone: '+393331234567',
    });
    const other = await createUser(app, { role: 'operator' });
    const popped = nextPop(operator.id);
    const otherPop = nextPop(other.id, 1500).catch(() => null);
    // The stream starts from the newest event when it connects.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const res = await event({
      type: 'call.ringing',
      extension: '201',
      phone: '333 123 4567',
      callId: 'pbx-1',
    }).expect(202);
    expect(res.body).toMatchObject({ operatorId: operator.id, contactId: contact.id });
    expect(await popped).toMatchObject({
      type: 'call.ringing',
      callId: 'pbx-1',
      phone: '+393331234567',
      phoneLink: 'tel:+393331234567',
      contact: { id: contact.id, name: 'Maria Rossi', campaignName: 'Assistenza' },
    });
    expect(await otherPop).toBeNull();
  }, 15000);

  it('a page that reconnects gets the pops it missed: its own, of the last two minutes, each with its id', async () => {
    await createContact(app, campaign.id, { firstName: 'Maria', phone: '+393331234567' });
    const paolo = await http()
      .post('/api/v1/users')
      .set(as(admin))
      .send({
        username: 'paolo',
        password: 'password-paolo',
        displayName: 'Paolo',
        role: 'operator',
        extension: '202',
      })
      .expect(201);
    const ring = (extension: string, callId: string) =>
      event({ type: 'call.ringing', extension, phone: '+393331234567', callId })
        .expect(202)
        .then((res) => (res.body as { id: number }).id);
    const seen = await ring('201', 'pbx-seen');
    const stale = await ring('201', 'pbx-stale');
    clock.set(new Date(MONDAY.getTime() + 3 * 60_000));
    const missed = await ring('201', 'pbx-missed');
    await ring('202', 'pbx-paolo');
    expect((paolo.body as { id: number }).id).not.toBe(operator.id);

    // The browser's EventSource reconnecting: the last id it got in Last-Event-ID.
    const server: Server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, resolve));
    const { port } = server.address() as AddressInfo;
    const text = await new Promise<string>((resolve, reject) => {
      const req = get(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/cti/stream',
          headers: { ...as(operator.token), 'Last-Event-ID': String(seen) },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
            if (body.includes('pbx-missed')) {
              req.destroy();
              resolve(body);
            }
          });
        },
      );
      req.on('error', reject);
      const giveUp = setTimeout(() => {
        req.destroy();
        resolve('');
      }, 5000);
      req.on('close', () => clearTimeout(giveUp));
    });
    // Only the one it missed: not the one it had, not one too old to be ringing, not Paolo's.
    const field = (line: string): [string, string] => {
      const colon = line.indexOf(': ');
      return [line.slice(0, colon), line.slice(colon + 2)];
    };
    const messages = text
      .split('\n\n')
      .filter((m) => m.trim())
      .map((m) => Object.fromEntries(m.trim().split('\n').map(field)));
    // A ping first, carrying the id the page had; then only the pop it missed.
    expect(messages[0]).toMatchObject({ event: 'ping', id: String(seen) });
    const pops = messages
      .filter((m) => m.event === 'pop')
      .map((m) => ({ id: m.id, callId: (JSON.parse(m.data ?? 'null') as ScreenPop).callId }));
    expect(pops).toEqual([{ id: String(missed), callId: 'pbx-missed' }]);
    expect(stale).toBeGreaterThan(seen);
  }, 15000);

  it('an unknown number pops with no contact, and the operator saves it from the form', async () => {
    const popped = nextPop(operator.id);
    // The stream starts from the newest event when it connects.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await event({
      type: 'call.answered',
      operatorId: operator.id,
      phone: '+39 02 1234 5678',
      callId: 'pbx-2',
    }).expect(202);
    expect(await popped).toMatchObject({ phone: '+390212345678', contact: null });
    const saved = await http()
      .post('/api/v1/cti/contacts')
      .set(as(operator.token))
      .send({
        campaignId: campaign.id,
        firstName: 'Luca',
        lastName: 'Bianchi',
        phone: '+390212345678',
      })
      .expect(201);
    expect(saved.body).toMatchObject({ phone: '+390212345678', firstName: 'Luca' });
    const elsewhere = await createCampaign(app);
    await http()
      .post('/api/v1/cti/contacts')
      .set(as(operator.token))
      .send({ campaignId: elsewhere.id, firstName: 'Luca', lastName: 'B', phone: '+390212345679' })
      .expect(403);
  });

  it('refuses unknown extensions with 404 and bad input with 400 naming the field, never a crash', async () => {
    const cases: Array<[object, number, RegExp]> = [
      [
        { type: 'call.ringing', extension: '999', phone: '3331234567', callId: 'x' },
        404,
        /^extension/,
      ],
      [
        { type: 'call.ringing', operatorId: 999999, phone: '3331234567', callId: 'x' },
        404,
        /^operatorId/,
      ],
      [{ type: 'call.ringing', phone: '3331234567', callId: 'x' }, 400, /^extension or operatorId/],
      [{ type: 'call.ringing', extension: '201', phone: 'abc', callId: 'x' }, 400, /^phone/],
      [
        { type: 'call.hold', extension: '201', phone: '3331234567', callId: 'x' },
        400,
        /type must be/,
      ],
      [{ type: 'call.ringing', extension: '201', phone: '3331234567' }, 400, /callId/],
      [
        { type: 'call.ringing', extension: '201', phone: '3331234567', callId: 'x'.repeat(101) },
        400,
        /callId/,
      ],
    ];
    for (const [body, status, pattern] of cases) {
      const res = await event(body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(message(res.body)).toMatch(pattern);
    }
    expect(
      message(
        (
          await event(
            { type: 'call.ringing', extension: '201', phone: '3331234567', callId: 'x' },
            operator.token,
          ).expect(403)
        ).body,
      ),
    ).toMatch(/needs integration/);
    expect(await db.getRepository(CtiEvent).count()).toBe(0);
  });

  describe('wrap-up after the call ends', () => {
    beforeEach(async () => {
      await http()
        .patch(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({ wrapUpSeconds: 30, wrapUpStatusId: wrapUp.id })
        .expect(200);
    });
    const take = async () => {
      await createContact(app, campaign.id, { phone: '+393331234567' });
      const work = await http()
        .post('/api/v1/work/next')
        .set(as(operator.token))
        .send({ campaignId: campaign.id })
        .expect(200);
      return (work.body as { contact: { id: number } }).contact.id;
    };

    it('applies the campaign’s status when the operator has not confirmed one in time', async () => {
      const contactId = await take();
      await event({
        type: 'call.ended',
        extension: '201',
        phone: '3331234567',
        callId: 'c1',
      }).expect(202);
      const lease = await db.getRepository(ContactLease).findOneByOrFail({ contactId });
      expect(lease.wrapUpAt).toEqual(new Date(MONDAY.getTime() + 30_000));
      const wrapUps = app.get(WrapUpService);
      clock.set(new Date(MONDAY.getTime() + 29_000));
      expect(await wrapUps.applyDue()).toBe(0);
      clock.set(new Date(MONDAY.getTime() + 30_000));
      expect(await wrapUps.applyDue()).toBe(1);
      expect(await wrapUps.applyDue()).toBe(0);
      const interaction = await db.getRepository(Interaction).findOneByOrFail({ contactId });
      expect(interaction).toMatchObject({
        statusId: wrapUp.id,
        operatorId: operator.id,
        notes: 'Esito automatico dopo 30 s di post-chiamata',
      });
      expect(await db.getRepository(ContactLease).countBy({ contactId })).toBe(0);
    });

    it('leaves alone an operator who confirmed in time, and a call ended on another number', async () => {
      const contactId = await take();
      await event({
        type: 'call.ended',
        extension: '201',
        phone: '3339999999',
        callId: 'other',
      }).expect(202);
      expect(
        (await db.getRepository(ContactLease).findOneByOrFail({ contactId })).wrapUpAt,
      ).toBeNull();
      await event({
        type: 'call.ended',
        extension: '201',
        phone: '3331234567',
        callId: 'c2',
      }).expect(202);
      await http()
        .post(`/api/v1/work/${contactId}/outcome`)
        .set(as(operator.token))
        .send({ statusId: wrapUp.id, notes: 'mine' })
        .expect(201);
      clock.set(new Date(MONDAY.getTime() + 60_000));
      expect(await app.get(WrapUpService).applyDue()).toBe(0);
      const interactions = await db.getRepository(Interaction).findBy({ contactId });
      expect(interactions.map((i) => i.notes)).toEqual(['mine']);
    });

    it('tells the operator’s page the countdown the call’s end started (event: wrapup)', async () => {
      const contactId = await take();
      const told = firstValueFrom(
        app
          .get(CtiHub)
          .stream(operator.id)
          .pipe(
            filter((m: MessageEvent) => m.type === 'wrapup'),
            timeout(5000),
          ),
      ).then((m) => m.data as ScreenPop);
      const popped = nextPop(operator.id, 1500).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await event({
        type: 'call.ended',
        extension: '201',
        phone: '3331234567',
        callId: 'c3',
      }).expect(202);
      expect((await told).wrapUp).toEqual({ contactId, secondsLeft: 30 });
      // An end pops nothing.
      expect(await popped).toBeNull();
    });
  });
});
