import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/time/clock';
import { Contract } from '../../src/contracts/contract.entity';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';
import { FollowUpEmail } from '../../src/follow-ups/follow-up-email.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/** The person of these tests: a name, numbers and an address nobody else has. */
const PERSON = {
  firstName: 'Mariangela',
  lastName: 'Trombetti',
  phone: '+393471234567',
  national: '3471234567',
  other: '+393489876543',
  email: 'Mariangela.Trombetti@example.it',
};

describe('Privacy: subject access and erasure', () => {
  let app: NestExpressApplication;
  let admin: string;
  let operator: { id: number; token: string };
  let statuses: Record<'callback' | 'sale' | 'no', number>;
  let productId: number;
  let campaigns: number[];
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const db = () => app.get(DataSource);

  const next = async (campaignId: number): Promise<number> =>
    (
      await http()
        .post('/api/v1/work/next')
        .set(as(operator.token))
        .send({ campaignId })
        .expect(200)
    ).body.contact.id as number;
  const outcome = (contactId: number, body: object) =>
    http().post(`/api/v1/work/${contactId}/outcome`).set(as(operator.token)).send(body);

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    app.get(Clock).set(new Date('2026-11-30T09:00:00Z'));
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    statuses = {
      callback: (await createStatus(app, { type: 'R', callbackVisibility: 'private' })).id,
      sale: (await createStatus(app, { type: 'C' })).id,
      no: (await createStatus(app, { type: 'N' })).id,
    };
    productId = (await createProduct(app)).id;
    campaigns = [];
    for (let i = 0; i < 3; i++) {
      campaigns.push(
        (
          await createCampaign(
            app,
            {},
            {
              statusIds: Object.values(statuses),
              productIds: [productId],
              operatorIds: [op.id],
            },
          )
        ).id,
      );
    }
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  /**
   * The person in two campaigns (a callback with notes in the first, a contract in the
   * second where the number is their second one), a queued follow-up e-mail, and a call in
   * progress in a third campaign with a draft naming them.
   */
  async function personWorked(): Promise<{ inCall: number; contactIds: number[] }> {
    const details = {
      firstName: PERSON.firstName,
      lastName: PERSON.lastName,
      email: PERSON.email,
      city: 'Gallarate',
      address: 'via Trombetti 7',
      fields: { referente: 'Mariangela T.' },
    };
    const first = await createContact(app, campaigns[0]!, { ...details, phone: PERSON.phone });
    const second = await createContact(app, campaigns[1]!, {
      ...details,
      phone: '+390331771234',
      otherPhones: [{ number: PERSON.phone, label: 'cellulare' }],
    });
    const third = await createContact(app, campaigns[2]!, { ...details, phone: PERSON.phone });
    expect(await next(campaigns[0]!)).toBe(first.id);
    await outcome(first.id, {
      statusId: statuses.callback,
      notes: `Mariangela Trombetti chiede di richiamare al ${PERSON.national}`,
      callback: { at: '2026-12-01T10:00:00+01:00' },
    }).expect(201);
    expect(await next(campaigns[1]!)).toBe(second.id);
    await outcome(second.id, {
      statusId: statuses.sale,
      notes: 'firma Trombetti',
      cart: [{ productId, quantity: 1 }],
    }).expect(201);
    const interaction = await db()
      .getRepository(Interaction)
      .findOneByOrFail({ contactId: second.id });
    await db()
      .getRepository(FollowUpEmail)
      .insert({
        contactId: second.id,
        campaignId: campaigns[1]!,
        interactionId: interaction.id,
        templateId: null,
        statusId: statuses.sale,
        toAddress: PERSON.email,
        subject: 'Il suo contratto, Mariangela',
        body: 'Gentile Mariangela Trombetti, grazie.',
        state: 'queued',
        attempts: 0,
        nextAttemptAt: new Date('2026-11-30T09:00:00Z'),
      });
    expect(await next(campaigns[2]!)).toBe(third.id);
    await http()
      .put(`/api/v1/work/${third.id}/draft`)
      .set(as(operator.token))
      .send({ draft: { notes: 'Trombetti dice di chiamare Mariangela la sera' } })
      .expect(200);
    return { inCall: third.id, contactIds: [first.id, second.id, third.id] };
  }

  /** Every row of every table, as text, that names the person (contracts and the do-not-call list aside). */
  async function personalDataLeft(): Promise<string[]> {
    const needles = [
      PERSON.phone,
      PERSON.national,
      PERSON.other,
      PERSON.email.toLowerCase(),
      'mariangela',
      'trombetti',
      'gallarate',
    ];
    const kept = new Set(['contracts', 'do_not_call_numbers', 'schema_migrations']);
    const found: string[] = [];
    for (const meta of db().entityMetadatas) {
      if (kept.has(meta.tableName)) continue;
      const rows: unknown[] = await db().query(
        `SELECT * FROM ${db().driver.escape(meta.tableName)}`,
      );
      for (const row of rows) {
        const text = JSON.stringify(row).toLowerCase();
        const hit = needles.find((n) => text.includes(n.toLowerCase()));
        if (hit) found.push(`${meta.tableName}: ${hit} in ${text.slice(0, 200)}`);
      }
    }
    return found;
  }

  it('finds the person in every campaign by phone (any shape, main or other number) or e-mail', async () => {
    const { contactIds } = await personWorked();
    const byPhone = await http()
      .get('/api/v1/privacy/subjects')
      .query({ phone: '347 123 4567' })
      .set(as(admin))
      .expect(200);
    expect(byPhone.body.map((c: { id: number }) => c.id)).toEqual(contactIds);
    expect(byPhone.body[1].matchedBy).toEqual(['otherPhone']);
    const byEmail = await http()
      .get('/api/v1/privacy/subjects')
      .query({ email: 'mariangela.trombetti@EXAMPLE.it' })
      .set(as(admin))
      .expect(200);
    expect(byEmail.body.map((c: { id: number }) => c.id)).toEqual(contactIds);
    expect(byEmail.body[0]).toMatchObject({ campaign: { id: campaigns[0] }, matchedBy: ['email'] });
  });

  it('exports everything held about the person as JSON, and records who asked', async () => {
    await personWorked();
    const res = await http()
      .get('/api/v1/privacy/subjects/export')
      .query({ phone: PERSON.phone })
      .set(as(admin))
      .expect(200);
    const [first, second, third] = res.body.contacts;
    expect(first.interactions[0].notes).toContain('richiamare');
    expect(first.callbacks).toHaveLength(1);
    expect(second.contracts[0]).toMatchObject({
      customerLastName: PERSON.lastName,
      lines: [expect.objectContaining({ quantity: 1 })],
      keptUntil: expect.stringMatching(/^2036-/),
    });
    expect(second.followUpEmails[0].toAddress).toBe(PERSON.email);
    expect(third.callInProgress.draft).toContain('la sera');
    const audit = await db().query(
      `SELECT action, detail FROM audit_log WHERE action = 'privacy.exported'`,
    );
    expect(audit).toHaveLength(1);
    expect(String(audit[0].detail)).not.toContain(PERSON.phone);
  });

  it('erases the person in one go: nothing personal left anywhere, contracts kept by law, the number on the do-not-call list', async () => {
    const { inCall, contactIds } = await personWorked();
    const res = await http()
      .post('/api/v1/privacy/subjects/erase')
      .set(as(admin))
      .send({ phone: PERSON.national, email: PERSON.email, reason: 'richiesta via PEC del 30/11' })
      .expect(200);
    expect(res.body).toMatchObject({
      erased: 3,
      doNotCall: 2,
      retainedContracts: [expect.objectContaining({ keptUntil: expect.stringMatching(/^2036-/) })],
    });
    expect(await personalDataLeft()).toEqual([]);
    // What the law keeps, and the opt-out: the numbers are listed.
    const contract = await db()
      .getRepository(Contract)
      .findOneByOrFail({ contactId: contactIds[1] });
    expect(contract.customerLastName).toBe(PERSON.lastName);
    const listed = await db()
      .getRepository(DoNotCallNumber)
      .find({ order: { phone: 'ASC' } });
    expect(listed.map((n) => n.phone)).toEqual(['+390331771234', PERSON.phone]);
    // Outcomes stay for the reports; the contacts left the queue for good.
    expect(await db().getRepository(Interaction).count()).toBe(2);
    const contacts: Array<{ state: string; ineligible_reason: string }> = await db().query(
      'SELECT state, ineligible_reason FROM contacts ORDER BY id',
    );
    expect(contacts).toEqual(
      contactIds.map(() => ({ state: 'final', ineligible_reason: 'erased' })),
    );
    // The call in progress ended: its outcome is refused, and the person is not found again.
    const late = await outcome(inCall, { statusId: statuses.no, notes: 'Trombetti' });
    expect([403, 409]).toContain(late.status);
    expect(await personalDataLeft()).toEqual([]);
    const again = await http()
      .get('/api/v1/privacy/subjects')
      .query({ email: PERSON.email })
      .set(as(admin))
      .expect(200);
    expect(again.body).toEqual([]);
    const audit = await db().query(`SELECT detail FROM audit_log WHERE action = 'privacy.erased'`);
    expect(JSON.parse(String(audit[0].detail))).toEqual({
      contacts: contactIds,
      reason: 'richiesta via PEC del 30/11',
    });
  });

  it('leaves the do-not-call list alone when told', async () => {
    await personWorked();
    await http()
      .post('/api/v1/privacy/subjects/erase')
      .set(as(admin))
      .send({ email: PERSON.email, reason: 'cliente', doNotCall: false })
      .expect(200);
    expect(await db().getRepository(DoNotCallNumber).count()).toBe(0);
  });

  it.each([
    [{ reason: 'motivo' }, 'phone'],
    [{ phone: '12', reason: 'motivo' }, 'phone'],
    [{ email: 'non-un-indirizzo', reason: 'motivo' }, 'email'],
    [{ phone: PERSON.phone }, 'reason'],
    [{ phone: PERSON.phone, reason: ' ' }, 'reason'],
    [{ phone: PERSON.phone, reason: 'motivo', doNotCall: 'sì' }, 'doNotCall'],
  ])('refuses %j with a 400 naming %s, erasing nothing', async (body, field) => {
    await createContact(app, campaigns[0]!, { phone: PERSON.phone, lastName: PERSON.lastName });
    const res = await http()
      .post('/api/v1/privacy/subjects/erase')
      .set(as(admin))
      .send(body)
      .expect(400);
    expect([].concat(res.body.message).join(' | ')).toMatch(new RegExp(`^${field}`));
    expect((await personalDataLeft()).length).toBeGreaterThan(0);
  });

  it('is for admins only: coordinators, backoffice and operators get 403, no token 401', async () => {
    for (const role of ['coordinator', 'backoffice', 'operator'] as const) {
      const token = await tokenFor(app, await createUser(app, { role }));
      await http()
        .get('/api/v1/privacy/subjects')
        .query({ phone: PERSON.phone })
        .set(as(token))
        .expect(403);
      await http()
        .get('/api/v1/privacy/subjects/export')
        .query({ phone: PERSON.phone })
        .set(as(token))
        .expect(403);
      await http()
        .post('/api/v1/privacy/subjects/erase')
        .set(as(token))
        .send({ phone: PERSON.phone, reason: 'motivo' })
        .expect(403);
    }
    await http().get('/api/v1/privacy/subjects').query({ phone: PERSON.phone }).expect(401);
  });

  (isMysqlRun() ? it : it.skip)(
    'an erasure racing the outcome of a call on that person: the outcome commits or is refused, and nothing personal survives',
    async () => {
      for (let round = 0; round < 5; round++) {
        await resetDatabase(app);
        admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
        const op = await createUser(app, { role: 'operator' });
        operator = { id: op.id, token: await tokenFor(app, op) };
        const status = (await createStatus(app, { type: 'N' })).id;
        const campaignId = (
          await createCampaign(app, {}, { statusIds: [status], operatorIds: [op.id] })
        ).id;
        const contact = await createContact(app, campaignId, {
          firstName: PERSON.firstName,
          lastName: PERSON.lastName,
          phone: PERSON.phone,
        });
        expect(await next(campaignId)).toBe(contact.id);
        const [confirmed, erased] = await Promise.all([
          outcome(contact.id, { statusId: status, notes: 'Mariangela non interessata' }),
          http()
            .post('/api/v1/privacy/subjects/erase')
            .set(as(admin))
            .send({ phone: PERSON.phone, reason: 'richiesta' }),
        ]);
        expect([201, 403, 409]).toContain(confirmed.status);
        expect(erased.status).toBe(200);
        expect(await personalDataLeft()).toEqual([]);
      }
    },
  );
});
