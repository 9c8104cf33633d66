import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** Invariant 13: contact data corrected in the call is part of the call's work. */
describe('Contact data corrected during the call', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let token: string;
  let campaign: Campaign;
  let statusId: number;
  const http = () => request(app.getHttpServer());
  const as = () => ({ Authorization: `Bearer ${token}` });
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');
  const stored = (id: number) => db.getRepository(Contact).findOneByOrFail({ id });
  const take = async (overrides: Partial<Contact> = {}) => {
    const contact = await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rosi',
      phone: '+393331112233',
      email: 'maria@example.com',
      ...overrides,
    });
    await http().post('/api/v1/work/next').set(as()).send({}).expect(200);
    return contact;
  };
  const confirm = (contactId: number, body: object) =>
    http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as())
      .send({ statusId, ...body });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    const operator = await createUser(app, { role: 'operator' });
    token = await tokenFor(app, operator);
    statusId = (await createStatus(app, { code: 'NI', type: 'N' })).id;
    campaign = await createCampaign(app, {}, { statusIds: [statusId], operatorIds: [operator.id] });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('saves the corrections with the outcome and records them before → after', async () => {
    const maria = await take();
    const res = await confirm(maria.id, {
      contact: {
        lastName: ' Rossi ',
        email: 'Maria.Rossi@Example.com',
        address: 'Via Dante 12',
        city: 'Milano',
        province: 'mi',
        postalCode: '20121',
        phones: [
          { number: '333 111 2233', label: 'cellulare' },
          { number: '02 1234 5678', label: 'casa' },
        ],
      },
      dialledPhone: '02 1234 5678',
    }).expect(201);
    expect(await stored(maria.id)).toMatchObject({
      firstName: 'Maria',
      lastName: 'Rossi',
      email: 'maria.rossi@example.com',
      address: 'Via Dante 12',
      city: 'Milano',
      province: 'MI',
      postalCode: '20121',
      phone: '+393331112233',
      otherPhones: [{ number: '+390212345678', label: 'casa' }],
    });
    const interaction = await db
      .getRepository(Interaction)
      .findOneByOrFail({ id: res.body.interactionId });
    expect(interaction.dialledPhone).toBe('+390212345678');
    expect(interaction.contactChanges).toEqual({
      lastName: { before: 'Rosi', after: 'Rossi' },
      email: { before: 'maria@example.com', after: 'maria.rossi@example.com' },
      address: { before: null, after: 'Via Dante 12' },
      city: { before: null, after: 'Milano' },
      province: { before: null, after: 'MI' },
      postalCode: { before: null, after: '20121' },
      otherPhones: { before: null, after: [{ number: '+390212345678', label: 'casa' }] },
    });
    const card = await http()
      .get(`/api/v1/contacts/${maria.id}`)
      .set({
        Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role: 'coordinator' }))}`,
      })
      .expect(200);
    expect(card.body.phones).toEqual([
      { number: '+393331112233', label: null },
      { number: '+390212345678', label: 'casa' },
    ]);
  });

  it('deals the card with every number, each a link to dial', async () => {
    const contact = await createContact(app, campaign.id, {
      phone: '+393331112233',
      otherPhones: [{ number: '+390212345678', label: 'casa' }],
    });
    const res = await http().post('/api/v1/work/next').set(as()).send({}).expect(200);
    expect(res.body.contact.id).toBe(contact.id);
    expect(res.body.phoneLink).toBe('tel:+393331112233');
    expect(res.body.otherPhones).toEqual([
      { number: '+390212345678', label: 'casa', link: 'tel:+390212345678' },
    ]);
  });

  it('keeps nothing after STOP: the corrections only travel with the outcome', async () => {
    const maria = await take();
    await http()
      .put(`/api/v1/work/${maria.id}/draft`)
      .set(as())
      .send({ draft: { contact: { email: 'nuova@example.com' } } })
      .expect(200);
    await http().post(`/api/v1/work/${maria.id}/discard`).set(as()).expect(204);
    expect((await stored(maria.id)).email).toBe('maria@example.com');
  });

  it('refuses bad values naming contact.<field>, and saves nothing', async () => {
    const maria = await take();
    for (const [contact, field] of [
      [{ email: 'not-an-email' }, 'contact.email'],
      [{ firstName: 'x'.repeat(100_000) }, 'contact.firstName'],
      [{ firstName: '' }, 'contact.firstName'],
      [{ postalCode: '2' }, 'contact.postalCode'],
      [{ phones: [{ number: '12', label: 'casa' }] }, 'contact.phones.0.number'],
      [{ phones: [] }, 'contact.phones'],
      [{ phones: [{ number: '3331112233' }] }, 'contact.phones.0.label'],
      [{ nickname: 'Mari' }, 'nickname'],
    ] as const) {
      const res = await confirm(maria.id, { contact }).expect(400);
      expect(said(res.body)).toContain(field);
    }
    const dialled = await confirm(maria.id, { dialledPhone: '3339998877' }).expect(400);
    expect(said(dialled.body)).toMatch(/^dialledPhone /);
    expect(await stored(maria.id)).toMatchObject({ email: 'maria@example.com', lastName: 'Rosi' });
    expect(await db.getRepository(Interaction).countBy({ contactId: maria.id })).toBe(0);
  });

  it('refuses a main number another contact of the campaign has (409), saving nothing', async () => {
    await createContact(app, campaign.id, { phone: '+393339998877', state: 'final' });
    const maria = await take();
    const res = await confirm(maria.id, {
      contact: { phones: [{ number: '3339998877', label: 'cellulare' }], lastName: 'Rossi' },
    }).expect(409);
    expect(said(res.body)).toMatch(
      /^contact\.phones\.0\.number: \+393339998877 is already contact/,
    );
    expect((await stored(maria.id)).lastName).toBe('Rosi');
  });
});
