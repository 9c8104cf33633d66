import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign } from '../factories/catalogue.factory';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Contact import: call reason, preferred channel, consent, tags', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let token: string;
  let campaign: Campaign;
  const importCsv = (body: string, campaignId = campaign.id) =>
    request(app.getHttpServer())
      .post(`/api/v1/campaigns/${campaignId}/contacts/import`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(body);
  const contacts = () =>
    db.getRepository(Contact).find({ where: { campaignId: campaign.id }, order: { id: 'ASC' } });

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    token = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    campaign = await createCampaign(app);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('stores the new columns, in any letter case and order', async () => {
    const file = [
      'Consent,firstName,lastName,phone,CALLREASON,preferredChannel,tags,email',
      `yes,Anna,Neri,${mobile(1)},Voicemail,EMAIL,"vip call_next:outage",anna@example.it`,
      `No,Bruno,Blu,${mobile(2)},,chat,,`,
      `,Carla,Rossi,${mobile(3)},access-help,,vip;vip,`,
      `sì,Dario,Verdi,${mobile(4)},,,,`,
    ].join('\n');
    const res = await importCsv(file).expect(200);
    expect(res.body).toMatchObject({ imported: 4, errorCount: 0, errors: [] });
    expect(
      (await contacts()).map((c) => [c.callReason, c.preferredChannel, c.consent, c.tags]),
    ).toEqual([
      ['voicemail', 'email', true, ['vip', 'call_next:outage']],
      [null, 'chat', false, []],
      ['access-help', null, null, ['vip']],
      [null, null, true, []],
    ]);
  });

  it('refuses bad values with the line and the column, importing the good lines', async () => {
    const file = [
      'firstName,lastName,phone,email,callReason,preferredChannel,consent,tags',
      `Anna,Neri,${mobile(1)},anna@example.it,voicemail,email,yes,vip`,
      `Bruno,Blu,${mobile(2)},bruno@@example,,,,`,
      `Carla,Rossi,${mobile(3)},,Bad Reason!,,,`,
      `Dario,Verdi,${mobile(4)},,,fax,,`,
      `Elena,Gialli,${mobile(5)},,,,forse,`,
      `Fabio,Neri,${mobile(6)},,,,,"ok BAD!tag"`,
      `Gina,Neri,${mobile(7)},,,,,"a b c d e f g h i j k"`,
      `Ugo,Neri,${mobile(8)},ugo@example,,,,`,
    ].join('\n');
    const res = await importCsv(file).expect(200);
    expect(res.body).toMatchObject({ imported: 1, errorCount: 7 });
    const errors = res.body.errors as Array<{ line: number; field: string; message: string }>;
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'email'],
      [4, 'callReason'],
      [5, 'preferredChannel'],
      [6, 'consent'],
      [7, 'tags'],
      [8, 'tags'],
      [9, 'email'],
    ]);
    expect(errors[0]!.message).toMatch(/bruno@@example.*not a valid e-mail/);
    expect(errors[1]!.message).toMatch(/Bad Reason!/i);
    expect(errors[2]!.message).toMatch(/fax.*chat, email/);
    expect(errors[3]!.message).toMatch(/forse.*yes or no/);
    expect(errors[4]!.message).toMatch(/bad!tag/);
    expect(errors[5]!.message).toMatch(/at most 10 tags/);
    expect((await contacts()).map((c) => c.phone)).toEqual([mobile(1)]);
  });

  it('the API refuses the same bad values naming the field', async () => {
    const post = (body: object) =>
      request(app.getHttpServer())
        .post(`/api/v1/campaigns/${campaign.id}/contacts`)
        .set('Authorization', `Bearer ${token}`)
        .send({ firstName: 'A', lastName: 'B', phone: mobile(9), ...body });
    for (const [body, field] of [
      [{ email: 'a@b' }, 'email'],
      [{ callReason: 'Bad Reason!' }, 'callReason'],
      [{ preferredChannel: 'fax' }, 'preferredChannel'],
      [{ consent: 'forse' }, 'consent'],
      [{ tags: ['BAD!'] }, 'tags'],
      [{ tags: 'vip' }, 'tags'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    }
    expect(await db.getRepository(Contact).count()).toBe(0);
  });
});
