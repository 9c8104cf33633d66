import { randomBytes } from 'node:crypto';
import { type AddressInfo, connect } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { ContactImport } from '../../src/contacts/contact-import.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact, csv, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

const HEADER = ['firstName', 'lastName', 'phone', 'email', 'language', 'city', 'province'];

/** `count` valid rows with phones mobile(start) ... mobile(start + count - 1). */
function rows(start: number, count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [
    `Nome${start + i}`,
    `Cognome${start + i}`,
    mobile(start + i),
    '',
    'it',
    'Milano',
    'mi',
  ]);
}

describe('Contact import (CSV, streamed)', () => {
  let app: NestExpressApplication;
  let token: string;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const contacts = () => app.get(DataSource).getRepository(Contact);

  function importCsv(body: string | Buffer, query = '', campaignId = campaign.id) {
    return http()
      .post(`/api/v1/campaigns/${campaignId}/contacts/import${query}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(body);
  }

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

  it('imports good rows, normalises them, keeps custom fields and lists bad lines by file line', async () => {
    const file = [
      'firstName,lastName,phone,email,language,city,province,customerCode,note',
      'Maria,Rossi,333 123 4567,maria@example.it,IT,Milano,mi,A-1,',
      'Luca,Bianchi,12,,it,Roma,RM,A-2,',
      // a quoted note over three lines: the next row is on line 7, not 5
      'Anna,Verdi,+39 347 000 1111,,,Torino,TO,A-3,"prima riga',
      'seconda riga',
      'terza riga"',
      ',Neri,3470002222,not-an-email,english,,,A-4,',
      `Paolo,${'L'.repeat(101)},3470003333,,,,,,`,
      '',
      "Zoë,D'Angelo,0039 348 1234567,,,Forlì,FC,,x",
    ].join('\n');
    const response = await importCsv(file, '?key=happy-path-key').expect(200);
    expect(response.body).toMatchObject({
      key: 'happy-path-key',
      state: 'done',
      processed: 6,
      imported: 3,
      skipped: 3,
      skippedDuplicates: 0,
      skippedDoNotCall: 0,
      errorCount: 3,
      failure: null,
    });
    expect(response.body.errors).toEqual([
      { line: 3, field: 'phone', message: 'phone "12" is not a valid phone number' },
      {
        line: 7,
        field: 'firstName',
        message:
          'firstName is required; email "not-an-email" is not a valid e-mail address; language "english" must be a two-letter code such as "it"',
      },
      { line: 8, field: 'lastName', message: 'lastName must be at most 100 characters' },
    ]);
    const stored = await contacts().find({
      where: { campaignId: campaign.id },
      order: { id: 'ASC' },
    });
    expect(
      stored.map((c) => [
        c.firstName,
        c.lastName,
        c.phone,
        c.email,
        c.language,
        c.city,
        c.province,
      ]),
    ).toEqual([
      ['Maria', 'Rossi', '+393331234567', 'maria@example.it', 'it', 'Milano', 'MI'],
      ['Anna', 'Verdi', '+393470001111', null, null, 'Torino', 'TO'],
      ['Zoë', "D'Angelo", '+393481234567', null, null, 'Forlì', 'FC'],
    ]);
    expect(stored.map((c) => c.fields)).toEqual([
      { customerCode: 'A-1' },
      { customerCode: 'A-3', note: 'prima riga\nseconda riga\nterza riga' },
      { note: 'x' },
    ]);
    expect(stored.every((c) => c.state === 'new' && c.attempts === 0)).toBe(true);

    const progress = await http()
      .get('/api/v1/contact-imports/happy-path-key')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(progress.body).toEqual({ ...response.body });
  });

  it('counts lines right in a CRLF file with CRLF inside quotes, and reads semicolons', async () => {
    const file =
      'firstName;lastName;phone;note\r\n' +
      'Maria;Rossi;3331234567;"uno\r\ndue"\r\n' +
      'Luca;Bianchi;abc;\r\n' +
      'Anna;Verdi;3331234568;"tre\r\nquattro\r\ncinque"\r\n' +
      'Marco;;3331234569;\r\n';
    const response = await importCsv(file).expect(200);
    expect(response.body.errors).toEqual([
      { line: 4, field: 'phone', message: 'phone "abc" is not a valid phone number' },
      { line: 8, field: 'lastName', message: 'lastName is required' },
    ]);
    expect(response.body.imported).toBe(2);
  });

  it('skips duplicates in the file and against the campaign, and do-not-call numbers, counting each', async () => {
    await createContact(app, campaign.id, { phone: mobile(1) });
    const other = await createCampaign(app);
    await createContact(app, other.id, { phone: mobile(2) }); // another campaign: no clash
    await addToDoNotCall(app, mobile(3));
    const file = csv([
      HEADER,
      ['A', 'Uno', '333 0000001', '', '', '', ''], // already in the campaign
      ['B', 'Due', '3330000002', '', '', '', ''],
      ['C', 'Tre', '+39 333 000 0003', '', '', '', ''], // do not call
      ['D', 'Quattro', '3330000004', '', '', '', ''],
      ['E', 'Quattro bis', '+393330000004', '', '', '', ''], // same number, other format
      ['F', 'Due bis', '0039 3330000002', '', '', '', ''],
    ]);
    const response = await importCsv(file).expect(200);
    expect(response.body).toMatchObject({
      processed: 6,
      imported: 2,
      skipped: 4,
      skippedDuplicates: 3,
      skippedDoNotCall: 1,
      errorCount: 0,
      errors: [],
    });
    const phones = (await contacts().findBy({ campaignId: campaign.id })).map((c) => c.phone);
    expect(phones.sort()).toEqual([mobile(1), mobile(2), mobile(4)]);
    expect(await contacts().countBy({ phone: mobile(3) })).toBe(0);
  });

  it('counts every bad line and keeps the first ones (as many as the summary column holds)', async () => {
    const bad = Array.from({ length: 3000 }, (_, i) => [
      `Nome${i}`,
      `Cognome${i}`,
      `12${i}`,
      '',
      '',
      '',
      '',
    ]);
    const response = await importCsv(
      csv([HEADER, ...rows(0, 10), ...bad]),
      '?key=many-errors',
    ).expect(200);
    expect(response.body).toMatchObject({
      state: 'done',
      imported: 10,
      errorCount: 3000,
      skipped: 3000,
    });
    const kept = response.body.errors as Array<{ line: number; message: string }>;
    expect(kept.length).toBeGreaterThan(200);
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept[0]).toEqual({
      line: 12,
      field: 'phone',
      message: 'phone "120" is not a valid phone number',
    });
    const stored = await app
      .get(DataSource)
      .getRepository(ContactImport)
      .findOneByOrFail({ importKey: 'many-errors' });
    expect(stored.state).toBe('done');
    expect(stored.errors).toHaveLength(kept.length);
  });

  it('takes a header-only file as an empty list, and blank rows as nothing', async () => {
    const headerOnly = await importCsv('firstName,lastName,phone\n').expect(200);
    expect(headerOnly.body).toMatchObject({ processed: 0, imported: 0, skipped: 0, errors: [] });
    const blanks = await importCsv(
      'firstName,lastName,phone\n,,\n\n , , \nMaria,Rossi,3331234567\n,,\n',
    ).expect(200);
    expect(blanks.body).toMatchObject({ processed: 1, imported: 1, skipped: 0 });
  });

  describe('a broken file gets a 400 that says what is wrong, and a truthful summary', () => {
    async function refused(
      body: string | Buffer,
      message: RegExp,
    ): Promise<Record<string, unknown>> {
      const response = await importCsv(body).expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.message).toMatch(message);
      expect(response.body.state).toBe('failed');
      const record = await app
        .get(DataSource)
        .getRepository(ContactImport)
        .findOneByOrFail({ importKey: response.body.key });
      expect(record).toMatchObject({ state: 'failed', imported: response.body.imported });
      expect(record.failure).toBe(response.body.failure.message);
      return response.body as Record<string, unknown>;
    }

    it('an empty file', async () => {
      const body = await refused(
        '',
        /^header: the file is empty; its first line must name the columns/,
      );
      expect(body).toMatchObject({
        imported: 0,
        processed: 0,
        failure: { code: 'empty', line: 1 },
      });
    });

    it('a header without the required columns (nothing imported)', async () => {
      const body = await refused(
        'codice,data,importo\nA-1,2026-12-01,10\n',
        /^header: missing required columns: firstName, lastName, phone/,
      );
      expect(body.failure).toMatchObject({ code: 'headerMissing', field: 'header' });
      await refused('firstName,lastName,phone,phone\n', /^header: column "phone" appears twice/);
      await refused('firstName,,lastName,phone\n', /^header: column 2 has no name/);
      expect(await contacts().count()).toBe(0);
    });

    it('a UTF-8 file broken after its accents: the line of the first bad byte, nothing imported', async () => {
      const broken = Buffer.concat([
        Buffer.from(
          'firstName,lastName,phone,city\nMaria,Rossi,3331234567,Forlì\nLuca,Bianchi,3331234568,Forl',
        ),
        Buffer.from([0xec]), // ì in Windows-1252, after a UTF-8 ì on line 2
        Buffer.from('\n'),
      ]);
      const body = await refused(
        broken,
        /^encoding: line 3 is not valid UTF-8 though the lines before it are; .*nothing was imported$/,
      );
      expect(body).toMatchObject({
        imported: 0,
        failure: { code: 'encoding', line: 3, field: 'encoding' },
      });
      expect(await contacts().count()).toBe(0);
      await refused(
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('firstName', 'utf16le')]),
        /^encoding: the file is UTF-16/,
      );
    });

    it('an Italian Excel file: ";", Windows-1252, Italian headers, local numbers', async () => {
      const excel = Buffer.concat([
        Buffer.from(
          [
            'Nome;Cognome;Telefono;Cellulare;Email;Indirizzo;CAP;Città;Provincia;Note',
            "Nicolò;D'Angelo;06 1234567;333 123 4567;nico@example.it;Via Tiburtina 1;184;Roma;RM;richiamare dopo le 18",
            'Zoë;Cantù;+39 02 1234567;;;Corso Como 2;20154;Milano;mi;',
            'Anna;Verdi;;;;;;;;solo cellulare mancante',
          ].join('\r\n') + '\r\n',
          'latin1',
        ),
      ]);
      const body = (await importCsv(excel).expect(200)).body;
      expect(body).toMatchObject({ imported: 2, errorCount: 1 });
      expect(body.errors).toEqual([{ line: 4, field: 'phone', message: 'phone is required' }]);
      const saved = await contacts().find({ order: { id: 'ASC' } });
      expect(
        saved.map((c) => [
          c.firstName,
          c.lastName,
          c.phone,
          c.address,
          c.postalCode,
          c.city,
          c.province,
        ]),
      ).toEqual([
        ['Nicolò', "D'Angelo", '+39061234567', 'Via Tiburtina 1', '00184', 'Roma', 'RM'],
        ['Zoë', 'Cantù', '+39021234567', 'Corso Como 2', '20154', 'Milano', 'MI'],
      ]);
      expect(saved[0]!.otherPhones).toEqual([{ number: '+393331234567', label: 'cellulare' }]);
      expect(saved[0]!.fields).toEqual({ Note: 'richiamare dopo le 18' });
      // Declared by the upload, the encoding is not guessed.
      await contacts().createQueryBuilder().delete().execute();
      const declared = await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/csv; charset=windows-1252')
        .send(excel)
        .expect(200);
      expect(declared.body.imported).toBe(2);
      expect((await contacts().findOneByOrFail({ lastName: 'Cantù' })).firstName).toBe('Zoë');
    });

    it('a bad byte deep in a big file: the batches before it stay and the summary says so', async () => {
      // 30,000 rows (about 1.7 MB) arrive in many chunks: some batches are written before the
      // bad byte. A UTF-8 accent in the first row says the file is UTF-8, so the byte is an error.
      const good = csv([HEADER, ['Nicolò', ...rows(0, 1)[0]!.slice(1)], ...rows(1, 29_999)]);
      const file = Buffer.concat([
        Buffer.from(good),
        Buffer.from([0x80]),
        Buffer.from(',x,3339999999\n'),
      ]);
      const response = await importCsv(file).expect(400);
      const { imported, processed, failure } = response.body;
      expect(imported).toBeGreaterThan(0);
      expect(imported % 2000).toBe(0);
      expect(processed).toBe(imported);
      expect(failure).toMatchObject({ code: 'encoding', line: 30_002, through: imported + 1 });
      expect(response.body.message).toBe(
        `encoding: line 30002 is not valid UTF-8 though the lines before it are; save the file as "CSV UTF-8" and import it again; lines 2-${imported + 1} were imported, nothing after line ${imported + 1}`,
      );
      expect(await contacts().count()).toBe(imported);
    });

    it('an unterminated quote: the line it opens on; a small file imports nothing', async () => {
      const body = await refused(
        'firstName,lastName,phone\nMaria,Rossi,3331234567\n\n"Luca,Bianchi,3331234568\nAnna,Verdi,3331234569\n',
        /^file: line 4: a quoted value starts on this row and its closing quote \("\) is missing; nothing was imported$/,
      );
      expect(body).toMatchObject({ imported: 0, failure: { code: 'quoteNotClosed', line: 4 } });
      await refused(
        'firstName,lastName,phone\nMaria,Ro"ssi,3331234567\n',
        /^file: line 2: a quote \("\) inside a value/,
      );
      expect(await contacts().count()).toBe(0);
    });

    it('an unterminated quote after 2,000 rows: exactly the first batch is kept and reported', async () => {
      const file =
        csv([HEADER, ...rows(0, 2300)]) + '"Broken,Row,3339999999\n' + csv(rows(5000, 10));
      const body = await refused(
        file,
        /^file: line 2302: a quoted value .*; lines 2-2001 were imported, nothing after line 2001$/,
      );
      expect(body).toMatchObject({ imported: 2000, processed: 2000 });
      expect(await contacts().count()).toBe(2000);
    });

    it('megabytes of random bytes: a quick 400, never a 500, nothing stored', async () => {
      const garbage = randomBytes(3 * 1024 * 1024);
      const started = Date.now();
      const response = await importCsv(garbage).expect(400);
      expect(Date.now() - started).toBeLessThan(5000);
      // Read as UTF-8 or, from its first stray byte, as Windows-1252: either way no CSV.
      expect(response.body.message).toMatch(
        /^encoding: line \d+ is not valid UTF-8|^encoding: the file is UTF-16|^header: |^file: line \d+: /,
      );
      expect(response.body.imported).toBe(0);
      // ASCII garbage with no line breaks is valid UTF-8 but no CSV.
      const ascii = await importCsv('x'.repeat(200_000)).expect(400);
      expect(ascii.body.message).toMatch(/^file: line 1: a row longer than 64 KB/);
      expect(await contacts().count()).toBe(0);
    });

    it('a body that is not a CSV upload', async () => {
      const json = await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
        .set('Authorization', `Bearer ${token}`)
        .send({ firstName: 'Maria' })
        .expect(400);
      expect(json.body.message).toMatch(
        /^body: send the CSV file as the body \(Content-Type: text\/csv\)/,
      );
      const japanese = await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/csv; charset=shift_jis')
        .send('firstName,lastName,phone\n')
        .expect(400);
      expect(japanese.body.message).toBe(
        "encoding: the file must be UTF-8 or Windows-1252 (Excel's CSV), not shift_jis",
      );
    });
  });

  it('an upload cut off half-way (body or multipart) leaves the server up and the import stopped', async () => {
    const server = app.getHttpServer();
    if (!server.listening)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const cutOff = async (key: string, contentType: string, head: string) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /api/v1/campaigns/${campaign.id}/contacts/import?key=${key} HTTP/1.1\r\n` +
          `Host: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: 50000000\r\n\r\n${head}${csv([HEADER, ...rows(0, 5000)])}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.destroy();
      for (let i = 0; i < 50; i++) {
        const progress = await http()
          .get(`/api/v1/contact-imports/${key}`)
          .set('Authorization', `Bearer ${token}`);
        if (progress.status === 200 && progress.body.state !== 'running')
          return progress.body as { imported: number; state: string };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`import ${key} never ended`);
    };
    const raw = await cutOff('cut-off-body', 'text/csv', '');
    expect(raw).toMatchObject({ state: 'failed', failure: { code: 'interrupted' } });
    const multipart = await cutOff(
      'cut-off-multipart',
      'multipart/form-data; boundary=XyZ',
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n',
    );
    expect(multipart).toMatchObject({ state: 'failed', failure: { code: 'interrupted' } });
    // what was committed is what the summaries say, and the server still answers
    expect(await contacts().count()).toBe(Math.max(raw.imported, multipart.imported));
    await http().get('/health').expect(200);
  });

  it('two imports of overlapping files at once never duplicate a phone, and their counts add up', async () => {
    const first = csv([HEADER, ...rows(0, 3000)]);
    const second = csv([HEADER, ...rows(1500, 3000).reverse()]);
    const [a, b] = await Promise.all([importCsv(first).expect(200), importCsv(second).expect(200)]);
    expect(a.body.imported + b.body.imported).toBe(4500);
    expect(a.body.skippedDuplicates + b.body.skippedDuplicates).toBe(1500);
    expect(a.body.processed + b.body.processed).toBe(6000);
    expect(await contacts().countBy({ campaignId: campaign.id })).toBe(4500);
    const rowsPerPhone = await app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM contacts GROUP BY phone HAVING COUNT(*) > 1');
    expect(rowsPerPhone).toEqual([]);
  });

  it('takes a multipart upload (field "file") and remembers the file name', async () => {
    const response = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import?key=multipart-upload`)
      .set('Authorization', `Bearer ${token}`)
      .field('note', 'ignored')
      .attach('file', Buffer.from(csv([HEADER, ...rows(0, 3)])), 'lista maggio.csv')
      .expect(200);
    expect(response.body).toMatchObject({ imported: 3, fileName: 'lista maggio.csv' });
    const missing = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
      .set('Authorization', `Bearer ${token}`)
      .attach('other', Buffer.from('x'), 'x.csv')
      .expect(400);
    expect(missing.body.message).toBe('file: a CSV file is required in the "file" field');
  });

  it('refuses a reused or malformed progress key, an unknown campaign, and reports unknown imports', async () => {
    await importCsv('firstName,lastName,phone\n', '?key=same-key-twice').expect(200);
    const again = await importCsv('firstName,lastName,phone\n', '?key=same-key-twice').expect(409);
    expect(again.body.message).toBe('key "same-key-twice" is already used by another import');
    const bad = await importCsv('firstName,lastName,phone\n', '?key=a%20b').expect(400);
    expect(bad.body.message).toBe('key must be 8-64 letters, digits, "-" or "_"');
    const unknown = await importCsv('firstName,lastName,phone\n', '', 999999).expect(404);
    expect(unknown.body.message).toBe('campaign 999999 not found');
    await http()
      .get('/api/v1/contact-imports/never-started')
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
  });

  it('lets admins and coordinators import; others get 403, strangers 401', async () => {
    const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
      .set('Authorization', `Bearer ${coordinator}`)
      .set('Content-Type', 'text/csv')
      .send(csv([HEADER, ...rows(0, 1)]))
      .expect(200);
    for (const role of ['operator', 'backoffice'] as const) {
      const other = await tokenFor(app, await createUser(app, { role }));
      await http()
        .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
        .set('Authorization', `Bearer ${other}`)
        .set('Content-Type', 'text/csv')
        .send(csv([HEADER, ...rows(10, 1)]))
        .expect(403);
    }
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
      .set('Content-Type', 'text/csv')
      .send(csv([HEADER, ...rows(20, 1)]))
      .expect(401);
    expect(await contacts().count()).toBe(1);
  });

  describe('pages', () => {
    it('imports without scripts through the multipart form and shows the summary page', async () => {
      const admin = await createUser(app, { role: 'admin' });
      const agent = await signedInAgent(app, admin);
      const page = await agent.get(`/campaigns/${campaign.id}/contacts`).expect(200);
      const action = /id="import-form"[^>]*?action="([^"]+)"/s.exec(page.text)?.[1];
      expect(action).toMatch(new RegExp(`^/campaigns/${campaign.id}/contacts/import\\?_csrf=`));
      const posted = await agent
        .post(action!.replace(/&amp;/g, '&'))
        .attach(
          'file',
          Buffer.from(csv([HEADER, ...rows(0, 2), ['X', 'Y', '12', '', '', '', '']])),
          'lista.csv',
        )
        .expect(303);
      const location = posted.headers.location as string;
      expect(location).toMatch(
        new RegExp(`^/campaigns/${campaign.id}/contacts/imports/[A-Za-z0-9_-]+$`),
      );
      const summary = await agent.get(location).expect(200);
      expect(summary.text).toContain('lista.csv');
      expect(summary.text).toContain('Importazione completata: importati 2, scartati 1.');
      expect(summary.text).toMatch(
        /<td class="ct-num">4<\/td><td>phone: «12» non è un numero di telefono valido<\/td>/,
      );
      // Without its token the upload is refused (back to the page) and nothing is stored.
      await agent
        .post(`/campaigns/${campaign.id}/contacts/import`)
        .attach('file', Buffer.from(csv([HEADER, ...rows(10, 1)])), 'lista.csv')
        .expect(303);
      expect(await contacts().count()).toBe(2);
    });

    it('shows a broken file on the summary page, translated, with what was kept', async () => {
      const admin = await createUser(app, { role: 'admin' });
      const agent = await signedInAgent(app, admin);
      const page = await agent.get(`/campaigns/${campaign.id}/contacts`).expect(200);
      const action = /id="import-form"[^>]*?action="([^"]+)"/s.exec(page.text)![1]!;
      const posted = await agent
        .post(action)
        .attach('file', Buffer.from('codice,data\n'), 'vecchia.csv')
        .expect(303);
      const summary = await agent.get(posted.headers.location as string).expect(200);
      expect(summary.text).toContain('File rifiutato');
      expect(summary.text).toContain('mancano le colonne obbligatorie firstName, lastName, phone');
      expect(summary.text).toContain('Nessun contatto è stato importato.');
      // the API's progress key is the page's too
      const fragment = await agent
        .get(`${posted.headers.location as string}?fragment=1`)
        .expect(200);
      expect(fragment.text).not.toContain('<html');
      expect(fragment.text).toContain('File rifiutato');
      expect(csrfFrom(page.text)).toBeTruthy();
    });

    it('exports the contacts with their last outcome as CSV, safe for spreadsheets', async () => {
      const status = await createStatus(app, { code: 'OK', label: 'Venduto' });
      await createContact(app, campaign.id, {
        firstName: 'Maria',
        lastName: 'Rossi',
        phone: mobile(1),
        email: 'maria@example.it',
        city: 'Milano',
        province: 'MI',
        fields: { customerCode: 'A-1' },
        state: 'done',
        attempts: 2,
        lastStatusId: status.id,
        lastOutcomeAt: new Date('2026-05-04T10:30:00Z'),
      });
      await createContact(app, campaign.id, {
        firstName: '=HYPERLINK("x")',
        lastName: 'Bianchi',
        phone: mobile(2),
        fields: { note: 'due\nrighe' },
      });
      const admin = await createUser(app, { role: 'admin' });
      const agent = await signedInAgent(app, admin);
      const response = await agent
        .get(`/campaigns/${campaign.id}/contacts/export.csv`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="contacts-C\d+-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const body = response.body as Buffer;
      expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const table: string[][] = parse(body, { bom: true });
      expect(table).toEqual([
        // custom fields in the order first met (Bianchi comes first)
        [
          ...HEADER,
          'address',
          'postalCode',
          'callReason',
          'preferredChannel',
          'consent',
          'tags',
          'note',
          'customerCode',
          'state',
          'attempts',
          'lastStatusCode',
          'lastStatusLabel',
          'lastOutcomeAt',
        ],
        [
          '\'=HYPERLINK("x")',
          'Bianchi',
          mobile(2),
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          'due\nrighe',
          '',
          'new',
          '0',
          '',
          '',
          '',
        ],
        [
          'Maria',
          'Rossi',
          mobile(1),
          'maria@example.it',
          '',
          'Milano',
          'MI',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          'A-1',
          'done',
          '2',
          'OK',
          'Venduto',
          '2026-05-04T10:30:00.000Z',
        ],
      ]);
      // and the export imports again into another campaign
      const copy = await createCampaign(app);
      const again = await importCsv(body, '', copy.id).expect(200);
      expect(again.body).toMatchObject({ imported: 2, errorCount: 0 });
    });
  });
});
