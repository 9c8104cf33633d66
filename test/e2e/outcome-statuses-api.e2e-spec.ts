import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignStatus } from '../../src/campaigns/campaign-status.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Outcome statuses API', () => {
  let app: NestExpressApplication;
  let admin: { Authorization: string };
  const http = () => request(app.getHttpServer());
  const statuses = () => app.get(DataSource).getRepository(OutcomeStatus);
  const valid = {
    code: 'norisp',
    label: 'Non risponde',
    labelEn: 'No answer',
    type: 'N',
    color: '#1e88e5',
    quick: true,
    quickOrder: 1,
    retryAfterMinutes: 60,
    maxAttempts: 5,
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

  it('creates a status (201), normalising code and colour, and reads it back', async () => {
    const created = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send(valid)
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      code: 'NORISP',
      label: 'Non risponde',
      labelEn: 'No answer',
      type: 'N',
      typeName: 'negative',
      color: '#1E88E5',
      textColor: '#000000',
      quick: true,
      quickOrder: 1,
      callbackVisibility: null,
      retryAfterMinutes: 60,
      maxAttempts: 5,
      doNotCall: false,
      customerReached: true,
      archived: false,
      archivedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const one = await http()
      .get(`/api/v1/outcome-statuses/${created.body.id}`)
      .set(admin)
      .expect(200);
    expect(one.body).toEqual(created.body);
    const stored = await statuses().findOneByOrFail({ id: created.body.id });
    expect(stored).toMatchObject({ code: 'NORISP', color: '#1E88E5', quickOrder: 1 });
  });

  it('gives an R status a private callback visibility by default and a readable text colour', async () => {
    const callback = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send({ code: 'RICH', label: 'Richiamare', type: 'R', color: '#0D47A1' })
      .expect(201);
    expect(callback.body).toMatchObject({
      type: 'R',
      typeName: 'callback',
      callbackVisibility: 'private',
      textColor: '#FFFFFF',
      quick: false,
      quickOrder: null,
      labelEn: null,
    });
    const publicOne = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send({
        code: 'RICHPUB',
        label: 'Richiamo pubblico',
        type: 'R',
        color: '#FFEB3B',
        callbackVisibility: 'public',
      })
      .expect(201);
    expect(publicOne.body).toMatchObject({ callbackVisibility: 'public', textColor: '#000000' });
    const close = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send({ code: 'VENDITA', label: 'Vendita', type: 'C', color: '#2E7D32' })
      .expect(201);
    expect(close.body).toMatchObject({ typeName: 'close', callbackVisibility: null });
    const dnc = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send({
        code: 'NONCHIAMARE',
        label: 'Non chiamare',
        type: 'N',
        color: '#000000',
        doNotCall: true,
      })
      .expect(201);
    expect(dnc.body).toMatchObject({ doNotCall: true, retryAfterMinutes: null });
  });

  it('lists active statuses by code, and archived ones only when asked', async () => {
    await createStatus(app, { code: 'B' });
    await createStatus(app, { code: 'A' });
    await createStatus(app, { code: 'OLD', archivedAt: new Date() });
    const active = await http().get('/api/v1/outcome-statuses').set(admin).expect(200);
    expect(active.body.map((s: { code: string }) => s.code)).toEqual(['A', 'B']);
    const all = await http()
      .get('/api/v1/outcome-statuses?includeArchived=true')
      .set(admin)
      .expect(200);
    expect(all.body.map((s: { code: string; archived: boolean }) => [s.code, s.archived])).toEqual([
      ['A', false],
      ['B', false],
      ['OLD', true],
    ]);
    await http().get('/api/v1/outcome-statuses?includeArchived=false').set(admin).expect(200);
    const bad = await http()
      .get('/api/v1/outcome-statuses?includeArchived=yes')
      .set(admin)
      .expect(400);
    expect(bad.body.message).toBe('includeArchived must be true or false');
    await http()
      .get('/api/v1/outcome-statuses?includeArchived=true&includeArchived=true')
      .set(admin)
      .expect(400);
  });

  it('updates part of a status; a new type drops the settings it cannot have', async () => {
    const { body: created } = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send(valid)
      .expect(201);
    const url = `/api/v1/outcome-statuses/${created.id}`;
    const relabelled = await http()
      .patch(url)
      .set(admin)
      .send({ label: ' Nessuna risposta ', maxAttempts: 8 })
      .expect(200);
    expect(relabelled.body).toMatchObject({
      label: 'Nessuna risposta',
      maxAttempts: 8,
      retryAfterMinutes: 60,
      quickOrder: 1,
    });

    const asCallback = await http()
      .patch(url)
      .set(admin)
      .send({ type: 'R', color: '#ff9800' })
      .expect(200);
    expect(asCallback.body).toMatchObject({
      type: 'R',
      color: '#FF9800',
      callbackVisibility: 'private',
      retryAfterMinutes: null,
      maxAttempts: null,
      quick: true,
      quickOrder: 1,
    });
    const notQuick = await http()
      .patch(url)
      .set(admin)
      .send({ quick: false, labelEn: null })
      .expect(200);
    expect(notQuick.body).toMatchObject({ quick: false, quickOrder: null, labelEn: null });

    const refused = await http()
      .patch(url)
      .set(admin)
      .send({ retryAfterMinutes: 10, maxAttempts: 2 })
      .expect(400);
    expect(refused.body.message).toBe(
      'retryAfterMinutes is only allowed for type N (negative) statuses',
    );
    const nullLabel = await http().patch(url).set(admin).send({ label: null }).expect(400);
    expect(nullLabel.body.message).toBe('label must not be null');
    expect((await statuses().findOneByOrFail({ id: created.id })).label).toBe('Nessuna risposta');

    await http()
      .patch('/api/v1/outcome-statuses/999999')
      .set(admin)
      .send({ label: 'x' })
      .expect(404);
  });

  it('refuses a duplicate code with 409 naming it, also on a rename and whatever the case', async () => {
    await http().post('/api/v1/outcome-statuses').set(admin).send(valid).expect(201);
    const again = await http()
      .post('/api/v1/outcome-statuses')
      .set(admin)
      .send({ ...valid, code: ' NoRisp ' })
      .expect(409);
    expect(again.body).toEqual({
      statusCode: 409,
      message: 'code "NORISP" is already used by another status',
    });
    const other = await createStatus(app, { code: 'OCCUPATO' });
    const rename = await http()
      .patch(`/api/v1/outcome-statuses/${other.id}`)
      .set(admin)
      .send({ code: 'norisp' })
      .expect(409);
    expect(rename.body.message).toMatch(/^code "NORISP"/);
    expect(await statuses().count()).toBe(2);
  });

  it('of ten admins creating the same code at once, exactly one succeeds', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http()
          .post('/api/v1/outcome-statuses')
          .set(admin)
          .send({ ...valid, label: `Tentativo ${i}` }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await statuses().countBy({ code: 'NORISP' })).toBe(1);
  });

  it('archives and restores (idempotently); archived statuses leave the default list', async () => {
    const status = await createStatus(app, { code: 'NR' });
    const archived = await http()
      .post(`/api/v1/outcome-statuses/${status.id}/archive`)
      .set(admin)
      .expect(200);
    expect(archived.body).toMatchObject({ archived: true, archivedAt: expect.any(String) });
    const again = await http()
      .post(`/api/v1/outcome-statuses/${status.id}/archive`)
      .set(admin)
      .expect(200);
    expect(again.body.archivedAt).toBe(archived.body.archivedAt);
    expect((await http().get('/api/v1/outcome-statuses').set(admin).expect(200)).body).toEqual([]);
    const restored = await http()
      .post(`/api/v1/outcome-statuses/${status.id}/restore`)
      .set(admin)
      .expect(200);
    expect(restored.body).toMatchObject({ archived: false, archivedAt: null });
    expect((await http().get('/api/v1/outcome-statuses').set(admin).expect(200)).body).toHaveLength(
      1,
    );
    await http().post('/api/v1/outcome-statuses/999999/archive').set(admin).expect(404);
    await http().post('/api/v1/outcome-statuses/999999/restore').set(admin).expect(404);
  });

  describe('delete', () => {
    it('deletes an unused status (204), then it is gone (404)', async () => {
      const status = await createStatus(app);
      await http().delete(`/api/v1/outcome-statuses/${status.id}`).set(admin).expect(204);
      await http().get(`/api/v1/outcome-statuses/${status.id}`).set(admin).expect(404);
      await http().delete(`/api/v1/outcome-statuses/${status.id}`).set(admin).expect(404);
    });

    it('refuses a status a campaign allows with 409 naming it; archiving still works', async () => {
      const status = await createStatus(app, { code: 'INUSO' });
      await createCampaign(app, {}, { statusIds: [status.id] });
      const refused = await http()
        .delete(`/api/v1/outcome-statuses/${status.id}`)
        .set(admin)
        .expect(409);
      expect(refused.body).toEqual({
        statusCode: 409,
        message:
          'outcome status "INUSO" is in use by 1 campaign(s) and 0 contact(s): archive it instead of deleting it',
      });
      expect(await statuses().countBy({ id: status.id })).toBe(1);
      await http().post(`/api/v1/outcome-statuses/${status.id}/archive`).set(admin).expect(200);
      await http().delete(`/api/v1/outcome-statuses/${status.id}`).set(admin).expect(409);
      expect(
        await app.get(DataSource).getRepository(CampaignStatus).countBy({ statusId: status.id }),
      ).toBe(1);
    });

    it("refuses a status that is a contact's last outcome", async () => {
      const status = await createStatus(app, { code: 'ULTIMO' });
      const campaign = await createCampaign(app);
      await app.get(DataSource).getRepository(Contact).save({
        campaignId: campaign.id,
        firstName: 'Mario',
        lastName: 'Rossi',
        phone: '+390212345678',
        email: null,
        language: null,
        city: null,
        province: null,
        fields: null,
        state: 'done',
        attempts: 1,
        lastStatusId: status.id,
        lastOutcomeAt: new Date(),
      });
      const refused = await http()
        .delete(`/api/v1/outcome-statuses/${status.id}`)
        .set(admin)
        .expect(409);
      expect(refused.body.message).toMatch(
        /^outcome status "ULTIMO" is in use by 0 campaign\(s\) and 1 contact\(s\)/,
      );
    });

    it('is backed by the database: the foreign key refuses what the count did not see', async () => {
      const status = await createStatus(app, { code: 'FK' });
      const campaign = await createCampaign(app);
      await app
        .get(DataSource)
        .getRepository(CampaignStatus)
        .insert({ campaignId: campaign.id, statusId: status.id });
      // Straight to the database, as a concurrent request would: the RESTRICT key holds.
      await expect(
        app.get(DataSource).getRepository(OutcomeStatus).delete({ id: status.id }),
      ).rejects.toThrow();
    });
  });

  it.each(['operator', 'coordinator', 'backoffice'] as const)(
    'lets a %s read (200) but not change (403); no token is 401',
    async (role) => {
      const status = await createStatus(app);
      const auth = {
        Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role }))}`,
      };
      await http().get('/api/v1/outcome-statuses').set(auth).expect(200);
      await http().get(`/api/v1/outcome-statuses/${status.id}`).set(auth).expect(200);
      const forbidden = await http()
        .post('/api/v1/outcome-statuses')
        .set(auth)
        .send(valid)
        .expect(403);
      expect(forbidden.body.message).toContain(`role "${role}"`);
      await http()
        .patch(`/api/v1/outcome-statuses/${status.id}`)
        .set(auth)
        .send({ label: 'x' })
        .expect(403);
      await http().post(`/api/v1/outcome-statuses/${status.id}/archive`).set(auth).expect(403);
      await http().post(`/api/v1/outcome-statuses/${status.id}/restore`).set(auth).expect(403);
      await http().delete(`/api/v1/outcome-statuses/${status.id}`).set(auth).expect(403);
      await http().get('/api/v1/outcome-statuses').expect(401);
      await http().get(`/api/v1/outcome-statuses/${status.id}`).expect(401);
      await http().post('/api/v1/outcome-statuses').send(valid).expect(401);
      await http().patch(`/api/v1/outcome-statuses/${status.id}`).send({ label: 'x' }).expect(401);
      await http().delete(`/api/v1/outcome-statuses/${status.id}`).expect(401);
      const stored = await statuses().findOneByOrFail({ id: status.id });
      expect(stored).toMatchObject({ label: status.label, archivedAt: null });
      expect(await statuses().count()).toBe(1);
    },
  );

  describe('bad input gets a 400 naming the field and stores nothing', () => {
    const without = (field: keyof typeof valid) => {
      const copy: Record<string, unknown> = { ...valid };
      delete copy[field];
      return copy;
    };
    const cases: Array<[string, unknown, RegExp]> = [
      ['missing code', without('code'), /^code is required$/],
      ['missing label', without('label'), /^label is required$/],
      ['missing type', without('type'), /^type is required$/],
      ['missing color', without('color'), /^color is required$/],
      [
        'code with SQL',
        { ...valid, code: "X'; DROP TABLE outcome_statuses;--" },
        /^code must be 1-32 characters/,
      ],
      ['code too long', { ...valid, code: 'A'.repeat(33) }, /^code must be 1-32 characters/],
      ['huge code', { ...valid, code: 'A'.repeat(200_000) }, /^code must be 1-32 characters/],
      ['code as a number', { ...valid, code: 123 }, /^code must be a string$/],
      ['empty label', { ...valid, label: '   ' }, /^label must not be empty$/],
      [
        'huge label',
        { ...valid, label: 'x'.repeat(121) },
        /^label must be shorter than or equal to 120 characters$/,
      ],
      ['type X', { ...valid, type: 'X' }, /^type must be one of: R \(callback\)/],
      ['type lower case', { ...valid, type: 'n' }, /^type must be one of/],
      ['color name', { ...valid, color: 'red' }, /^color must be #RRGGBB/],
      ['short color', { ...valid, color: '#FFF' }, /^color must be #RRGGBB/],
      ['color not hex', { ...valid, color: '#GGGGGG' }, /^color must be #RRGGBB/],
      ['color as a number', { ...valid, color: 0xffffff }, /^color must be a string$/],
      ['quick as text', { ...valid, quick: 'yes' }, /^quick must be a boolean value$/],
      [
        'quick without order',
        { ...valid, quickOrder: undefined },
        /^quickOrder \(1-9, the hotkey\) is required/,
      ],
      ['quick order 0', { ...valid, quickOrder: 0 }, /^quickOrder must not be less than 1$/],
      ['quick order 10', { ...valid, quickOrder: 10 }, /^quickOrder must not be greater than 9$/],
      [
        'quick order as text',
        { ...valid, quickOrder: '3' },
        /^quickOrder must be an integer number$/,
      ],
      ['quick order 1.5', { ...valid, quickOrder: 1.5 }, /^quickOrder must be an integer number$/],
      [
        'quick order without quick',
        { ...valid, quick: false },
        /^quickOrder is only allowed when quick is true$/,
      ],
      [
        'visibility for N',
        { ...valid, callbackVisibility: 'public' },
        /^callbackVisibility is only allowed for type R/,
      ],
      [
        'visibility unknown',
        {
          ...valid,
          type: 'R',
          retryAfterMinutes: undefined,
          maxAttempts: undefined,
          callbackVisibility: 'team',
        },
        /^callbackVisibility must be one of: private, public$/,
      ],
      [
        'retry without attempts',
        { ...valid, maxAttempts: undefined },
        /^maxAttempts is required with retryAfterMinutes/,
      ],
      [
        'attempts without retry',
        { ...valid, retryAfterMinutes: undefined },
        /^retryAfterMinutes is required with maxAttempts/,
      ],
      [
        'retry for a close',
        { ...valid, type: 'C' },
        /^retryAfterMinutes is only allowed for type N/,
      ],
      [
        'retry 0 minutes',
        { ...valid, retryAfterMinutes: 0 },
        /^retryAfterMinutes must not be less than 1$/,
      ],
      [
        'retry over a week',
        { ...valid, retryAfterMinutes: 10_081 },
        /^retryAfterMinutes must not be greater than 10080$/,
      ],
      ['51 attempts', { ...valid, maxAttempts: 51 }, /^maxAttempts must not be greater than 50$/],
      [
        'do-not-call for R',
        { code: 'R1', label: 'R', type: 'R', color: '#000000', doNotCall: true },
        /^doNotCall is only allowed for type N/,
      ],
      [
        'do-not-call with a retry rule',
        { ...valid, doNotCall: true },
        /^doNotCall: a do-not-call status cannot also have a retry rule/,
      ],
      ['unknown field', { ...valid, colour: '#FFFFFF' }, /^property colour should not exist$/],
    ];

    it.each(cases)('%s', async (_name, body, message) => {
      const response = await http()
        .post('/api/v1/outcome-statuses')
        .set(admin)
        .send(body as object);
      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(400);
      const messages = ([] as string[]).concat(response.body.message);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(await statuses().count()).toBe(0);
    });

    it('a __proto__ key pollutes nothing', async () => {
      const body = JSON.parse(
        '{"code":"P","label":"P","type":"N","color":"#000000","__proto__":{"polluted":true}}',
      );
      const response = await http().post('/api/v1/outcome-statuses').set(admin).send(body);
      expect([201, 400]).toContain(response.status);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a body that is not an object, or malformed JSON', async () => {
      const array = await http()
        .post('/api/v1/outcome-statuses')
        .set(admin)
        .send([valid])
        .expect(400);
      expect(array.body.message).toEqual(['body must be a JSON object']);
      await http()
        .post('/api/v1/outcome-statuses')
        .set(admin)
        .set('Content-Type', 'application/json')
        .send('{"code":')
        .expect(400);
      expect(await statuses().count()).toBe(0);
    });

    it('stores labels that look like SQL or HTML verbatim', async () => {
      const label = `Robert'); DROP TABLE outcome_statuses;-- <script>alert(1)</script>`;
      const created = await http()
        .post('/api/v1/outcome-statuses')
        .set(admin)
        .send({ ...valid, label })
        .expect(201);
      const read = await http()
        .get(`/api/v1/outcome-statuses/${created.body.id}`)
        .set(admin)
        .expect(200);
      expect(read.body.label).toBe(label);
    });

    it('a bad or unknown id in the path', async () => {
      expect(
        (await http().get('/api/v1/outcome-statuses/abc').set(admin).expect(400)).body.message,
      ).toBe('id must be a positive integer');
      await http().delete('/api/v1/outcome-statuses/1%20OR%201=1').set(admin).expect(400);
      await http().patch('/api/v1/outcome-statuses/-1').set(admin).send({ label: 'x' }).expect(400);
      expect(
        (await http().get('/api/v1/outcome-statuses/999999').set(admin).expect(404)).body,
      ).toEqual({
        statusCode: 404,
        message: 'outcome status 999999 not found',
      });
    });

    it('a PATCH with a wrong field or value changes nothing', async () => {
      const status = await createStatus(app, { code: 'KEEP', color: '#123456' });
      const url = `/api/v1/outcome-statuses/${status.id}`;
      await http().patch(url).set(admin).send({ color: 'blue' }).expect(400);
      await http().patch(url).set(admin).send({ type: 'Z' }).expect(400);
      await http().patch(url).set(admin).send({ archived: true }).expect(400);
      await http().patch(url).set(admin).send({ quick: true }).expect(400);
      await http().patch(url).set(admin).send({ code: null }).expect(400);
      expect(await statuses().findOneByOrFail({ id: status.id })).toMatchObject({
        code: 'KEEP',
        color: '#123456',
        type: 'N',
        quick: false,
      });
    });
  });
});
