import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Contacts API', () => {
  let app: NestExpressApplication;
  let token: string;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const contacts = () => app.get(DataSource).getRepository(Contact);
  const valid = {
    firstName: 'Maria',
    lastName: 'Rossi',
    phone: '333 123 4567',
    email: 'maria.rossi@example.it',
    language: 'IT',
    city: 'Milano',
    province: 'mi',
    fields: { customerCode: 'A-1021', note: 'cliente storico' },
  };

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    token = await tokenFor(app, await createUser(app, { role: 'admin' }));
    campaign = await createCampaign(app);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe('POST /campaigns/:id/contacts', () => {
    it('adds a contact with its phone in E.164 (201) and GET /contacts/:id shows it with empty history', async () => {
      const created = await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set(auth())
        .send(valid)
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        campaignId: campaign.id,
        firstName: 'Maria',
        lastName: 'Rossi',
        phone: '+393331234567',
        email: 'maria.rossi@example.it',
        language: 'it',
        city: 'Milano',
        province: 'MI',
        address: null,
        postalCode: null,
        phones: [{ number: '+393331234567', label: null }],
        fields: { customerCode: 'A-1021', note: 'cliente storico' },
        callReason: null,
        preferredChannel: null,
        consent: null,
        recordingConsent: null,
        ineligibleReason: null,
        tags: [],
        state: 'new',
        attempts: 0,
        lastStatus: null,
        lastOutcomeAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const detail = await http()
        .get(`/api/v1/contacts/${created.body.id}`)
        .set(auth())
        .expect(200);
      expect(detail.body).toEqual({
        ...created.body,
        campaign: { id: campaign.id, code: campaign.code, name: campaign.name },
        interactions: [],
        callbacks: [],
        contracts: [],
        appointments: [],
      });
    });

    it('answers 409 naming the phone when the number is already in the campaign, however typed', async () => {
      await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set(auth())
        .send(valid)
        .expect(201);
      const again = await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set(auth())
        .send({ ...valid, phone: '+39 333-123-4567' })
        .expect(409);
      expect(again.body).toEqual({
        statusCode: 409,
        message: 'phone +393331234567 is already in this campaign',
      });
      // the same number in another campaign is fine
      const other = await createCampaign(app);
      await http()
        .post(`/api/v1/campaigns/${other.id}/contacts`)
        .set(auth())
        .send(valid)
        .expect(201);
    });

    it('of ten people adding the same number at once, exactly one succeeds', async () => {
      const attempts = await Promise.all(
        Array.from({ length: 10 }, () =>
          http().post(`/api/v1/campaigns/${campaign.id}/contacts`).set(auth()).send(valid),
        ),
      );
      expect(attempts.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      expect(await contacts().countBy({ campaignId: campaign.id })).toBe(1);
    });

    it('refuses a number on the do-not-call list with 409 naming the phone', async () => {
      await addToDoNotCall(app, '+393331234567');
      const refused = await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set(auth())
        .send(valid)
        .expect(409);
      expect(refused.body.message).toBe('phone +393331234567 is on the do-not-call list');
      expect(await contacts().count()).toBe(0);
    });

    it('answers 404 for an unknown campaign and 400 for a bad id', async () => {
      const missing = await http()
        .post('/api/v1/campaigns/999999/contacts')
        .set(auth())
        .send(valid)
        .expect(404);
      expect(missing.body.message).toBe('campaign 999999 not found');
      await http().post('/api/v1/campaigns/abc/contacts').set(auth()).send(valid).expect(400);
    });

    describe('bad input: 400 naming the field, nothing stored', () => {
      const cases: Array<[string, unknown, RegExp]> = [
        ['missing firstName', { ...valid, firstName: undefined }, /^firstName is required$/],
        ['blank lastName', { ...valid, lastName: '   ' }, /^lastName is required$/],
        ['missing phone', { ...valid, phone: undefined }, /^phone is required$/],
        [
          'a phone that is no number',
          { ...valid, phone: 'chiamami' },
          /^phone: "chiamami" is not a valid phone number$/,
        ],
        [
          'a phone too short',
          { ...valid, phone: '333' },
          /^phone: "333" is not a valid phone number$/,
        ],
        [
          'a phone with an extension',
          { ...valid, phone: '333 1234567 ext. 12' },
          /^phone: .* is not a valid phone number$/,
        ],
        ['a phone as a number', { ...valid, phone: 3331234567 }, /^phone must be a string$/],
        [
          'a huge phone',
          { ...valid, phone: '3'.repeat(5000) },
          /^phone must be shorter than or equal to 40 characters$/,
        ],
        ['a bad e-mail', { ...valid, email: 'maria@' }, /^email must be an e-mail address$/],
        [
          'a long last name',
          { ...valid, lastName: 'R'.repeat(101) },
          /^lastName must be shorter than or equal to 100 characters$/,
        ],
        [
          'a language of three letters',
          { ...valid, language: 'ita' },
          /^language must be a two-letter code/,
        ],
        [
          'a long province',
          { ...valid, province: 'MILANO-CITTA' },
          /^province must be shorter than or equal to 8/,
        ],
        ['fields not an object', { ...valid, fields: ['a'] }, /^fields must be an object/],
        [
          'a field that is not text',
          { ...valid, fields: { age: 42 } },
          /^fields must be an object of at most 50 text values/,
        ],
        [
          'too many fields',
          {
            ...valid,
            fields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
          },
          /^fields must be an object of at most 50 text values/,
        ],
        [
          'a field value too long',
          { ...valid, fields: { note: 'x'.repeat(501) } },
          /^fields must be an object/,
        ],
        [
          'a field key too long',
          { ...valid, fields: { ['k'.repeat(65)]: 'v' } },
          /^fields must be an object/,
        ],
        ['an unknown property', { ...valid, state: 'done' }, /^property state should not exist$/],
      ];
      it.each(cases)('%s', async (_name, body, message) => {
        const response = await http()
          .post(`/api/v1/campaigns/${campaign.id}/contacts`)
          .set(auth())
          .send(body as object)
          .expect(400);
        const messages = ([] as string[]).concat(response.body.message);
        expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
        expect(await contacts().count()).toBe(0);
      });
    });
  });

  describe('reading', () => {
    it('pages a campaign in last-name order, 50 at a time, forwards and back', async () => {
      for (let i = 0; i < 120; i++) {
        await createContact(app, campaign.id, {
          lastName: `Cognome${String(i % 60).padStart(3, '0')}`,
          phone: mobile(i),
        });
      }
      const seen: number[] = [];
      let page = await http()
        .get(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set(auth())
        .expect(200);
      expect(page.body.previous).toBeNull();
      type Page = {
        contacts: Array<{ id: number; lastName: string }>;
        next: string | null;
        previous: string | null;
      };
      const pages: Page[] = [page.body];
      while (page.body.next) {
        page = await http()
          .get(`/api/v1/campaigns/${campaign.id}/contacts?after=${page.body.next}`)
          .set(auth())
          .expect(200);
        pages.push(page.body);
      }
      expect(pages.map((p) => p.contacts.length)).toEqual([50, 50, 20]);
      for (const p of pages) seen.push(...p.contacts.map((c: { id: number }) => c.id));
      expect(new Set(seen).size).toBe(120);
      const names = pages.flatMap((p) => p.contacts.map((c: { lastName: string }) => c.lastName));
      expect(names).toEqual([...names].sort());
      // back from the last page gives the second again
      const back = await http()
        .get(`/api/v1/campaigns/${campaign.id}/contacts?before=${pages[2]!.previous}`)
        .set(auth())
        .expect(200);
      expect(back.body.contacts.map((c: { id: number }) => c.id)).toEqual(
        pages[1]!.contacts.map((c: { id: number }) => c.id),
      );
      const bad = await http()
        .get(`/api/v1/campaigns/${campaign.id}/contacts?after=not-a-cursor`)
        .set(auth())
        .expect(400);
      expect(bad.body.message).toBe('after is not a cursor from a previous page');
    });

    it('searches by name or phone, in a campaign and across campaigns', async () => {
      const other = await createCampaign(app);
      const status = await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        color: '#aa0000',
      });
      await createContact(app, campaign.id, {
        firstName: 'Maria',
        lastName: 'Rossi',
        phone: mobile(11),
      });
      await createContact(app, campaign.id, {
        firstName: 'Mario',
        lastName: 'Bianchi',
        phone: mobile(12),
        lastStatusId: status.id,
      });
      await createContact(app, other.id, {
        firstName: 'Anna',
        lastName: 'Rossini',
        phone: mobile(13),
      });
      await createContact(app, other.id, {
        firstName: 'Luca',
        lastName: 'De Luca',
        phone: '+390212345678',
      });
      const inCampaign = async (q: string): Promise<string[]> =>
        (
          await http()
            .get(`/api/v1/campaigns/${campaign.id}/contacts?q=${encodeURIComponent(q)}`)
            .set(auth())
            .expect(200)
        ).body.contacts.map((c: { lastName: string }) => c.lastName) as string[];
      expect(await inCampaign('ross')).toEqual(['Rossi']);
      expect(await inCampaign('Mari')).toEqual(['Bianchi', 'Rossi']);
      expect(await inCampaign('maria rossi')).toEqual(['Rossi']);
      expect(await inCampaign('333 000 0012')).toEqual(['Bianchi']);
      expect(await inCampaign('+39 333 000')).toEqual(['Bianchi', 'Rossi']);
      expect(await inCampaign('100%_')).toEqual([]);
      type Found = { lastName: string; campaign: { id: number }; lastStatus: unknown };
      const across = async (q: string): Promise<Found[]> =>
        (
          await http()
            .get(`/api/v1/contacts?q=${encodeURIComponent(q)}`)
            .set(auth())
            .expect(200)
        ).body as Found[];
      const rossi = await across('Ross');
      expect(
        rossi.map((c: { lastName: string; campaign: { id: number } }) => [
          c.lastName,
          c.campaign.id,
        ]),
      ).toEqual([
        ['Rossi', campaign.id],
        ['Rossini', other.id],
      ]);
      expect((await across('02 1234 5678')).map((c: { lastName: string }) => c.lastName)).toEqual([
        'De Luca',
      ]);
      expect((await across('de luca')).map((c: { lastName: string }) => c.lastName)).toEqual([
        'De Luca',
      ]);
      const bianchi = await across('3330000012');
      expect(bianchi[0]!.lastStatus).toMatchObject({
        code: 'NR',
        label: 'Non risponde',
        color: '#aa0000',
      });
      expect(await across('')).toEqual([]);
      const long = await http()
        .get(`/api/v1/contacts?q=${'x'.repeat(101)}`)
        .set(auth())
        .expect(400);
      expect(long.body.message).toBe('q must be at most 100 characters');
      await http().get('/api/v1/contacts?q=a&q=b').set(auth()).expect(400);
    });

    it('GET /contacts/:id: 404 unknown, 400 bad id; operators only in their campaigns; backoffice never', async () => {
      const contact = await createContact(app, campaign.id);
      await http().get('/api/v1/contacts/999999').set(auth()).expect(404);
      await http().get('/api/v1/contacts/x').set(auth()).expect(400);
      const assigned = await createUser(app, { role: 'operator' });
      const stranger = await createUser(app, { role: 'operator' });
      const staffed = await createCampaign(app, {}, { operatorIds: [assigned.id] });
      const inStaffed = await createContact(app, staffed.id);
      const assignedToken = await tokenFor(app, assigned);
      await http()
        .get(`/api/v1/contacts/${inStaffed.id}`)
        .set('Authorization', `Bearer ${assignedToken}`)
        .expect(200);
      const forbidden = await http()
        .get(`/api/v1/contacts/${contact.id}`)
        .set('Authorization', `Bearer ${assignedToken}`)
        .expect(403);
      expect(forbidden.body.message).toBe(`contact ${contact.id} is not in one of your campaigns`);
      await http()
        .get(`/api/v1/contacts/${inStaffed.id}`)
        .set('Authorization', `Bearer ${await tokenFor(app, stranger)}`)
        .expect(403);
      const backoffice = await tokenFor(app, await createUser(app, { role: 'backoffice' }));
      await http()
        .get(`/api/v1/contacts/${contact.id}`)
        .set('Authorization', `Bearer ${backoffice}`)
        .expect(403);
      const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
      await http()
        .get(`/api/v1/contacts/${contact.id}`)
        .set('Authorization', `Bearer ${coordinator}`)
        .expect(200);
      await http().get(`/api/v1/contacts/${contact.id}`).expect(401);
    });

    it('lets only admins and coordinators add, list and search (403), nobody unsigned (401)', async () => {
      for (const role of ['operator', 'backoffice'] as const) {
        const other = await tokenFor(app, await createUser(app, { role }));
        const header = { Authorization: `Bearer ${other}` };
        await http()
          .post(`/api/v1/campaigns/${campaign.id}/contacts`)
          .set(header)
          .send(valid)
          .expect(403);
        await http().get(`/api/v1/campaigns/${campaign.id}/contacts`).set(header).expect(403);
        await http().get('/api/v1/contacts?q=Rossi').set(header).expect(403);
      }
      await http().post(`/api/v1/campaigns/${campaign.id}/contacts`).send(valid).expect(401);
      await http().get('/api/v1/contacts?q=Rossi').expect(401);
      const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
      await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set('Authorization', `Bearer ${coordinator}`)
        .send(valid)
        .expect(201);
      expect(await contacts().count()).toBe(1);
    });
  });
});
