import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** A contact's several labelled numbers: imported, given by the API, and dialled. */
describe('Contact phones: import, API and the number dialled', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let admin: string;
  let operator: string;
  let campaign: Campaign;
  let statusId: number;
  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const said = (body: { message?: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : (body.message ?? '');
  const byPhone = (phone: string) =>
    db.getRepository(Contact).findOneByOrFail({ campaignId: campaign.id, phone });
  const importCsv = (body: string, token = admin) =>
    http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
      .set(bearer(token))
      .set('Content-Type', 'text/csv')
      .send(body);

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator' });
    operator = await tokenFor(app, op);
    statusId = (await createStatus(app, { code: 'NI', type: 'N' })).id;
    campaign = await createCampaign(app, {}, { statusIds: [statusId], operatorIds: [op.id] });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe('import', () => {
    it('keeps the phone:<label> columns as labelled numbers, normalised and deduplicated', async () => {
      const file = [
        'firstName,lastName,phone,phone:casa,Phone:Ufficio,note',
        'Maria,Rossi,333 123 4567,02 1234 5678,,a',
        // The main number again, and one number in two columns: kept once.
        'Luca,Bianchi,3471112233,+39 347 111 2233,0039 06 1234 5678,',
        'Anna,Verdi,3470002222,06 1234 5678,06-1234-5678,',
      ].join('\n');
      const res = await importCsv(file).expect(200);
      expect(res.body).toMatchObject({ imported: 3, errorCount: 0, errors: [] });
      expect(await byPhone('+393331234567')).toMatchObject({
        otherPhones: [{ number: '+390212345678', label: 'casa' }],
        fields: { note: 'a' },
      });
      expect((await byPhone('+393471112233')).otherPhones).toEqual([
        { number: '+390612345678', label: 'Ufficio' },
      ]);
      expect((await byPhone('+393470002222')).otherPhones).toEqual([
        { number: '+390612345678', label: 'casa' },
      ]);
    });

    it('refuses a row whose other number is bad, naming the line and the column', async () => {
      const file = [
        'firstName,lastName,phone,phone:casa,phone:ufficio',
        'Maria,Rossi,3331234567,12,',
        'Luca,Bianchi,3471112233,,not a phone',
        'Anna,Verdi,x,0212345678,',
        'Paolo,Neri,3470002222,0212345678,',
      ].join('\n');
      const res = await importCsv(file).expect(200);
      expect(res.body).toMatchObject({ imported: 1, errorCount: 3 });
      expect(res.body.errors).toEqual([
        { line: 2, field: 'phone:casa', message: 'phone:casa "12" is not a valid phone number' },
        {
          line: 3,
          field: 'phone:ufficio',
          message: 'phone:ufficio "not a phone" is not a valid phone number',
        },
        { line: 4, field: 'phone', message: 'phone "x" is not a valid phone number' },
      ]);
      expect(await db.getRepository(Contact).count()).toBe(1);
    });

    it('refuses a header with an unlabelled or a fifth other-number column (400, nothing imported)', async () => {
      const unlabelled = await importCsv(
        'firstName,lastName,phone,phone:\nA,B,3331234567,\n',
      ).expect(400);
      expect(said(unlabelled.body)).toMatch(/^header: column 4 "phone:".*phone:<label>/);
      const five = ['a', 'b', 'c', 'd', 'e'].map((label) => `phone:${label}`).join(',');
      const many = await importCsv(`firstName,lastName,phone,${five}\nA,B,3331234567\n`).expect(
        400,
      );
      expect(said(many.body)).toMatch(/^header: 5 phone:<label> columns; .* at most 4/);
      expect(await db.getRepository(Contact).count()).toBe(0);
    });

    it('says the column of a bad number on the import summary page, in Italian', async () => {
      const agent = await signedInAgent(app, await createUser(app, { role: 'admin' }));
      const res = await importCsv(
        'firstName,lastName,phone,phone:casa\nMaria,Rossi,3331234567,12\n',
      ).expect(200);
      const page = await agent
        .get(`/campaigns/${campaign.id}/contacts/imports/${res.body.key}`)
        .expect(200);
      expect(page.text).toContain('phone:casa: «12» non è un numero di telefono valido');
      const form = await agent.get(`/campaigns/${campaign.id}/contacts`).expect(200);
      expect(form.text).toContain('phone:casa');
    });

    it('lets operators import nothing (403)', async () => {
      await importCsv(
        'firstName,lastName,phone,phone:casa\nA,B,3331234567,0212345678\n',
        operator,
      ).expect(403);
      expect(await db.getRepository(Contact).count()).toBe(0);
    });
  });

  describe('API', () => {
    const create = (body: object, token = admin) =>
      http().post(`/api/v1/campaigns/${campaign.id}/contacts`).set(bearer(token)).send(body);
    const maria = { firstName: 'Maria', lastName: 'Rossi', phone: '333 123 4567' };

    it('takes phones: [{number, label}] beside the main one, normalised and deduplicated', async () => {
      const res = await create({
        ...maria,
        phones: [
          { number: '02 1234 5678', label: ' casa ' },
          { number: '+39 333 123 4567', label: 'cellulare' },
          { number: '0212345678', label: 'di nuovo' },
          { number: '06 1234 5678' },
        ],
      }).expect(201);
      expect(res.body.phones).toEqual([
        { number: '+393331234567', label: null },
        { number: '+390212345678', label: 'casa' },
        { number: '+390612345678', label: '' },
      ]);
      expect((await byPhone('+393331234567')).otherPhones).toHaveLength(2);
    });

    it.each([
      [
        { phones: [{ number: '12', label: 'casa' }] },
        400,
        /^phones\.0\.number "12" is not a valid/,
      ],
      [{ phones: [{ label: 'casa' }] }, 400, /^phones\.0\.number is required/],
      [{ phones: [{ number: 3331234567 }] }, 400, /^phones\.0\.number must be text/],
      [{ phones: [{ number: '0212345678', label: 'x'.repeat(31) }] }, 400, /^phones\.0\.label/],
      [{ phones: [{ number: '0212345678', extra: 1 }] }, 400, /property extra should not exist/],
      [{ phones: '0212345678' }, 400, /^phones must be a list/],
      [{ phones: null }, 400, /^phones/],
      [
        { phones: ['02', '03', '04', '05', '06'].map((p) => ({ number: `${p}12345678` })) },
        400,
        /^phones: at most 4 numbers/,
      ],
    ])('refuses bad phones %j with a 4xx naming the field', async (bad, status, message) => {
      const res = await create({ ...maria, ...bad }).expect(status);
      expect(said(res.body)).toMatch(message);
      expect(await db.getRepository(Contact).count()).toBe(0);
    });

    it('lets operators create no contact (403)', async () => {
      await create({ ...maria, phones: [{ number: '0212345678' }] }, operator).expect(403);
    });
  });

  describe('the number dialled', () => {
    const home = '+390212345678';
    let contact: Contact;
    const dial = (phone: unknown, id = contact.id, token = operator) =>
      http().post(`/api/v1/work/${id}/dial`).set(bearer(token)).send({ phone });
    const confirm = (body: object) =>
      http()
        .post(`/api/v1/work/${contact.id}/outcome`)
        .set(bearer(operator))
        .send({ statusId, ...body });

    beforeEach(async () => {
      contact = await createContact(app, campaign.id, {
        phone: '+393331112233',
        otherPhones: [{ number: home, label: 'casa' }],
      });
      await http().post('/api/v1/work/next').set(bearer(operator)).send({}).expect(200);
    });

    it('lets the operator dial one of the contact’s numbers, in any spelling', async () => {
      expect((await dial('02 1234 5678').expect(200)).body).toEqual({ phone: home });
      expect((await dial('333 111 2233').expect(200)).body).toEqual({ phone: '+393331112233' });
    });

    it('refuses another number on the do-not-call list, at the dial and on the outcome (409)', async () => {
      await addToDoNotCall(app, home);
      const refused = await dial('02 1234 5678').expect(409);
      expect(said(refused.body)).toBe(
        `phone: ${home} is on the do-not-call list; it may not be called`,
      );
      const outcome = await confirm({ dialledPhone: home }).expect(409);
      expect(said(outcome.body)).toMatch(
        /^dialledPhone: \+390212345678 is on the do-not-call list/,
      );
      // Nothing of the outcome was saved: the contact is still the operator's.
      expect(await db.getRepository(Interaction).count()).toBe(0);
      expect(await db.getRepository(ContactLease).countBy({ contactId: contact.id })).toBe(1);
      // The main number may still be called, and the outcome recorded with it.
      await dial('+393331112233').expect(200);
      const saved = await confirm({ dialledPhone: '+393331112233' }).expect(201);
      const interaction = await db
        .getRepository(Interaction)
        .findOneByOrFail({ id: saved.body.interactionId });
      expect(interaction.dialledPhone).toBe('+393331112233');
    });

    it('refuses a number not the contact’s, a bad body, and a contact not leased', async () => {
      expect(said((await dial('06 1234 5678').expect(400)).body)).toBe(
        'phone must be one of the contact’s numbers',
      );
      expect(said((await dial(12).expect(400)).body)).toMatch(/^phone must be text/);
      expect(said((await dial(undefined).expect(400)).body)).toMatch(/^phone is required/);
      expect(said((await dial('x'.repeat(41)).expect(400)).body)).toMatch(/^phone must be at most/);
      const other = await createContact(app, campaign.id, { phone: '+393339998877' });
      expect(said((await dial('3339998877', other.id).expect(403)).body)).toMatch(
        /^contactId: contact \d+ is not leased to you/,
      );
      await dial(home, 999999).expect(403);
      await http()
        .post(`/api/v1/work/abc/dial`)
        .set(bearer(operator))
        .send({ phone: home })
        .expect(400);
    });

    it('is for operators only (403 for an admin, 401 without credentials)', async () => {
      await dial(home, contact.id, admin).expect(403);
      await http().post(`/api/v1/work/${contact.id}/dial`).send({ phone: home }).expect(401);
    });
  });
});
