import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';
import { DoNotCallService } from '../../src/do-not-call/do-not-call.service';
import { mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Do-not-call list', () => {
  let app: NestExpressApplication;
  let token: string;
  const http = () => request(app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const numbers = () => app.get(DataSource).getRepository(DoNotCallNumber);

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    token = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe('API', () => {
    it('adds a number in E.164 (201); adding it again is harmless (200, unchanged)', async () => {
      const added = await http()
        .post('/api/v1/do-not-call')
        .set(auth())
        .send({ phone: '333 123 4567', reason: 'chiesto al telefono' })
        .expect(201);
      expect(added.body).toEqual({
        phone: '+393331234567',
        reason: 'chiesto al telefono',
        addedBy: expect.any(Number),
        source: 'customer',
        registerDate: null,
        scope: 'all',
        expiresAt: null,
        expired: false,
        createdAt: expect.any(String),
      });
      const again = await http()
        .post('/api/v1/do-not-call')
        .set(auth())
        .send({ phone: '+39 333 123 4567', reason: 'altro' })
        .expect(200);
      expect(again.body).toEqual(added.body);
      expect(await numbers().count()).toBe(1);
    });

    it('of ten adding the same number at once, one creates it and all succeed', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          http().post('/api/v1/do-not-call').set(auth()).send({ phone: '3331234567' }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      expect(await numbers().count()).toBe(1);
    });

    it('refuses a bad number or reason with 400 naming the field', async () => {
      const cases: Array<[object, string]> = [
        [{}, 'phone is required'],
        [{ phone: 'abc' }, 'phone: "abc" is not a valid phone number'],
        [{ phone: 333 }, 'phone must be a string'],
        [
          { phone: '3331234567', reason: 'x'.repeat(201) },
          'reason must be shorter than or equal to 200 characters',
        ],
        [{ phone: '3331234567', extra: 1 }, 'property extra should not exist'],
      ];
      for (const [body, message] of cases) {
        const response = await http()
          .post('/api/v1/do-not-call')
          .set(auth())
          .send(body)
          .expect(400);
        expect([].concat(response.body.message)).toContain(message);
      }
      expect(await numbers().count()).toBe(0);
    });

    it('searches by number or its first digits, removes (204), 404 when absent', async () => {
      for (const phone of [mobile(1), mobile(2), '+390212345678']) {
        await http().post('/api/v1/do-not-call').set(auth()).send({ phone }).expect(201);
      }
      const all = await http().get('/api/v1/do-not-call').set(auth()).expect(200);
      expect(all.body).toHaveLength(3);
      const prefix = await http().get('/api/v1/do-not-call?q=333%20000').set(auth()).expect(200);
      expect(prefix.body.map((n: { phone: string }) => n.phone)).toEqual([mobile(1), mobile(2)]);
      const exact = await http()
        .get(`/api/v1/do-not-call?q=${encodeURIComponent('02 1234 5678')}`)
        .set(auth())
        .expect(200);
      expect(exact.body.map((n: { phone: string }) => n.phone)).toEqual(['+390212345678']);
      const word = await http().get('/api/v1/do-not-call?q=rossi').set(auth()).expect(400);
      expect(word.body.message).toBe('q: "rossi" is not a phone number');

      await http()
        .delete(`/api/v1/do-not-call/${encodeURIComponent('333 000 0001')}`)
        .set(auth())
        .expect(204);
      await http()
        .delete(`/api/v1/do-not-call/${encodeURIComponent(mobile(2))}`)
        .set(auth())
        .expect(204);
      const gone = await http()
        .delete(`/api/v1/do-not-call/${encodeURIComponent(mobile(2))}`)
        .set(auth())
        .expect(404);
      expect(gone.body.message).toBe(`do-not-call number ${mobile(2)} not found`);
      await http().delete('/api/v1/do-not-call/abc').set(auth()).expect(400);
      expect(await numbers().count()).toBe(1);
    });

    it("imports a CSV of numbers, streamed, with the contact import's summary", async () => {
      await http()
        .post('/api/v1/do-not-call')
        .set(auth())
        .send({ phone: mobile(1) })
        .expect(201);
      const file = [
        'phone,reason,name',
        '333 0000001,,Maria', // already listed
        '3330000002,opposizione,Luca',
        'abc,,Anna',
        '+39 333 0000003,"ha detto ""basta""",',
        '3330000002,,doppio',
        ',x,',
      ].join('\n');
      const response = await http()
        .post('/api/v1/do-not-call/import')
        .set(auth())
        .set('Content-Type', 'text/csv')
        .send(file)
        .expect(200);
      expect(response.body).toEqual({
        importId: null,
        processed: 6,
        imported: 2,
        skipped: 4,
        skippedDuplicates: 2,
        skippedDoNotCall: 0,
        errorCount: 2,
        errors: [
          { line: 4, field: 'phone', message: 'phone "abc" is not a valid phone number' },
          { line: 7, field: 'phone', message: 'phone is required' },
        ],
        failure: null,
      });
      expect((await numbers().findOneByOrFail({ phone: mobile(3) })).reason).toBe(
        'ha detto "basta"',
      );
      expect(await numbers().count()).toBe(3);
      const multipart = await http()
        .post('/api/v1/do-not-call/import')
        .set(auth())
        .attach('file', Buffer.from('phone\n3330000009\n'), 'opt-out.csv')
        .expect(200);
      expect(multipart.body.imported).toBe(1);
    });

    it('refuses a broken file with 400 and says what was kept', async () => {
      const noPhone = await http()
        .post('/api/v1/do-not-call/import')
        .set(auth())
        .set('Content-Type', 'text/csv')
        .send('codice\n3331234567\n')
        .expect(400);
      expect(noPhone.body.message).toMatch(/^header: missing required column: phone/);
      expect(noPhone.body).toMatchObject({ imported: 0, failure: { code: 'headerMissing' } });
      // UTF-8 ("perché" on line 2), then a Windows-1252 byte on line 3: a broken file.
      const mixed = await http()
        .post('/api/v1/do-not-call/import')
        .set(auth())
        .set('Content-Type', 'text/csv')
        .send(
          Buffer.concat([
            Buffer.from('phone,reason\n3331234567,perché\n3331234568,perch'),
            Buffer.from([0xe9]),
            Buffer.from('\n'),
          ]),
        )
        .expect(400);
      expect(mixed.body.message).toMatch(/^encoding: line 3 is not valid UTF-8/);
      const empty = await http()
        .post('/api/v1/do-not-call/import')
        .set(auth())
        .set('Content-Type', 'text/csv')
        .send('')
        .expect(400);
      expect(empty.body.message).toMatch(/^header: the file is empty/);
      expect(await numbers().count()).toBe(0);
    });

    it('imports a list saved by Excel in Windows-1252, with ";" and its accents', async () => {
      const excel = Buffer.from('Telefono;Motivo\r\n333 123 4567;chiesto perché\r\n', 'latin1');
      const answer = await http()
        .post('/api/v1/do-not-call/import')
        .set(auth())
        .set('Content-Type', 'text/csv')
        .send(excel)
        .expect(200);
      expect(answer.body).toMatchObject({ imported: 1 });
      expect((await numbers().find()).map((n) => [n.phone, n.reason])).toEqual([
        ['+393331234567', 'chiesto perché'],
      ]);
    });

    it('isBlocked() tells which numbers are listed, in chunks', async () => {
      await http()
        .post('/api/v1/do-not-call')
        .set(auth())
        .send({ phone: mobile(5) })
        .expect(201);
      await http()
        .post('/api/v1/do-not-call')
        .set(auth())
        .send({ phone: mobile(2500) })
        .expect(201);
      const asked = Array.from({ length: 3000 }, (_, i) => mobile(i));
      // No such campaign (0): asked as a marketing campaign would be.
      const blocked = await app.get(DoNotCallService).isBlocked(asked, 0);
      expect([...blocked].sort()).toEqual([mobile(5), mobile(2500)]);
      expect((await app.get(DoNotCallService).isBlocked([], 0)).size).toBe(0);
    });

    it('is for admins and coordinators only', async () => {
      const admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
      await http()
        .post('/api/v1/do-not-call')
        .set('Authorization', `Bearer ${admin}`)
        .send({ phone: mobile(1) })
        .expect(201);
      for (const role of ['operator', 'backoffice'] as const) {
        const other = {
          Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role }))}`,
        };
        await http()
          .post('/api/v1/do-not-call')
          .set(other)
          .send({ phone: mobile(2) })
          .expect(403);
        await http().get('/api/v1/do-not-call').set(other).expect(403);
        await http()
          .delete(`/api/v1/do-not-call/${encodeURIComponent(mobile(1))}`)
          .set(other)
          .expect(403);
        await http()
          .post('/api/v1/do-not-call/import')
          .set(other)
          .set('Content-Type', 'text/csv')
          .send('phone\n3331112222\n')
          .expect(403);
      }
      await http().get('/api/v1/do-not-call').expect(401);
      expect(await numbers().count()).toBe(1);
    });
  });

  describe('page', () => {
    it('adds, finds, removes and imports numbers', async () => {
      const agent = await signedInAgent(app, await createUser(app, { role: 'admin' }));
      let page = await agent.get('/do-not-call').expect(200);
      expect(page.text).toContain('La lista è vuota.');
      await agent
        .post('/do-not-call')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), phone: '333 123 4567', reason: 'opposizione' })
        .expect(303)
        .expect('Location', '/do-not-call');
      page = await agent.get('/do-not-call').expect(200);
      expect(page.text).toContain('Numero +393331234567 aggiunto alla lista.');
      expect(page.text).toContain('opposizione');
      expect(page.text).toContain('Numeri in lista: 1');

      const bad = await agent
        .post('/do-not-call')
        .type('form')
        .set('Referer', 'http://127.0.0.1/do-not-call')
        .send({ _csrf: csrfFrom(page.text), phone: 'abc' })
        .expect(303);
      page = await agent.get(bad.headers.location as string).expect(200);
      expect(page.text).toMatch(/id="phone" name="phone"[^>]*value="abc"/);
      expect(page.text).toContain('id="phone-error"');

      const action = /action="(\/do-not-call\/import\?_csrf=[^"]+)"/.exec(page.text)![1]!;
      await agent
        .post(action)
        .attach('file', Buffer.from('phone\n3330000001\nxyz\n'), 'optout.csv')
        .expect(303)
        .expect('Location', '/do-not-call');
      page = await agent.get('/do-not-call').expect(200);
      expect(page.text).toContain(
        'Importazione completata: aggiunti 1, già presenti 0, righe con errori 1.',
      );
      expect(page.text).toContain('«xyz» non è un numero di telefono valido');
      // shown once
      expect((await agent.get('/do-not-call').expect(200)).text).not.toContain(
        'Importazione completata',
      );

      const search = await agent.get('/do-not-call?q=333%20123').expect(200);
      expect(search.text).toContain('+393331234567');
      expect(search.text).not.toContain('+393330000001');

      await agent
        .post('/do-not-call/remove')
        .type('form')
        .send({ _csrf: csrfFrom(search.text), phone: '+393331234567' })
        .expect(303);
      page = await agent.get('/do-not-call').expect(200);
      expect(page.text).toContain('Numero +393331234567 rimosso dalla lista.');
      expect(await numbers().count()).toBe(1);
    });

    it('is refused to operators (403)', async () => {
      const agent = await signedInAgent(app, await createUser(app, { role: 'operator' }));
      await agent.get('/do-not-call').expect(403);
    });
  });
});
