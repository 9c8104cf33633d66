import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { ContactImportMapping } from '../../src/contacts/contact-import-mapping.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** A client's list as it comes: its own column names, `;`, Windows-1252. */
const CLIENT_FILE = Buffer.from(
  [
    'Cod. cliente;Intestatario;Ragione sociale;Recapito;Recapito 2;Mail;Comune',
    'C-1;Rossi;Bar Sport;333 1234567;06 7654321;bar@example.it;Forlì',
    'C-2;Bianchi;Pizzeria Da Zoë;333 1234568;;;Cantù',
  ].join('\r\n') + '\r\n',
  'latin1',
);

const CLIENT_MAPPING = [
  { header: 'Cod. cliente', to: 'custom:codice' },
  { header: 'Intestatario', to: 'lastName' },
  { header: 'Ragione sociale', to: 'firstName' },
  { header: 'Recapito', to: 'phone' },
  { header: 'Recapito 2', to: 'phone:fisso' },
  { header: 'Mail', to: 'email' },
  { header: 'Comune', to: 'ignore' },
];

describe('Contact import: column mapping, saved per campaign; updating contacts already there', () => {
  let app: NestExpressApplication;
  let token: string;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const contacts = () => app.get(DataSource).getRepository(Contact);
  const mappings = () => app.get(DataSource).getRepository(ContactImportMapping);

  /** The file as a multipart form, its option fields before it. */
  function importForm(file: Buffer, fields: Record<string, string>, query = '') {
    const post = http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import${query}`)
      .set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(fields)) void post.field(name, value);
    return post.attach('file', file, 'clienti.csv');
  }

  beforeAll(async () => {
    app = await createTestApp();
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

  it('previews the first lines: encoding, delimiter, and what each column would become', async () => {
    const preview = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import/preview`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(CLIENT_FILE)
      .expect(200);
    expect(preview.body).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      mappingId: null,
    });
    expect(
      preview.body.columns.map((c: { header: string; to: string }) => [c.header, c.to]),
    ).toEqual([
      ['Cod. cliente', 'custom:Cod. cliente'],
      ['Intestatario', 'custom:Intestatario'],
      ['Ragione sociale', 'custom:Ragione sociale'],
      ['Recapito', 'custom:Recapito'],
      ['Recapito 2', 'custom:Recapito 2'],
      ['Mail', 'email'],
      ['Comune', 'city'],
    ]);
    expect(preview.body.columns[6].samples).toEqual(['Forlì', 'Cantù']);
    expect(preview.body.rows).toHaveLength(2);
  });

  it('imports with the mapping, saves it, and the next file (and the preview) start from it', async () => {
    const first = await importForm(CLIENT_FILE, {
      mapping: JSON.stringify({ columns: CLIENT_MAPPING }),
      saveMapping: 'true',
    }).expect(200);
    expect(first.body).toMatchObject({ imported: 2, errorCount: 0 });
    const saved = await contacts().find({ order: { id: 'ASC' } });
    expect(saved.map((c) => [c.firstName, c.lastName, c.phone, c.email, c.city, c.fields])).toEqual(
      [
        ['Bar Sport', 'Rossi', '+393331234567', 'bar@example.it', null, { codice: 'C-1' }],
        ['Pizzeria Da Zoë', 'Bianchi', '+393331234568', null, null, { codice: 'C-2' }],
      ],
    );
    expect(saved[0]!.otherPhones).toEqual([{ number: '+39067654321', label: 'fisso' }]);
    const mapping = await mappings().findOneByOrFail({ campaignId: campaign.id });
    expect(mapping.columns).toEqual(CLIENT_MAPPING);

    const preview = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import/preview`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(CLIENT_FILE)
      .expect(200);
    expect(preview.body.mappingId).toBe(mapping.id);
    expect(preview.body.columns.map((c: { to: string }) => c.to)).toEqual(
      CLIENT_MAPPING.map((c) => c.to),
    );

    // The next day's file by the saved mapping's id, through the query string.
    await contacts().createQueryBuilder().delete().execute();
    const next = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import?mapping=${mapping.id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(CLIENT_FILE)
      .expect(200);
    expect(next.body.imported).toBe(2);
    expect((await contacts().findOneByOrFail({ lastName: 'Bianchi' })).firstName).toBe(
      'Pizzeria Da Zoë',
    );
  });

  it('updates the contacts already in the campaign when asked, keeping what the file leaves empty', async () => {
    const existing = await createContact(app, campaign.id, {
      firstName: 'Vecchio',
      lastName: 'Nome',
      phone: '+393331234568',
      email: 'old@example.it',
      state: 'retry',
      attempts: 2,
    });
    const skipped = await importForm(CLIENT_FILE, {
      mapping: JSON.stringify({ columns: CLIENT_MAPPING }),
    }).expect(200);
    expect(skipped.body).toMatchObject({ imported: 1, updated: 0, skippedDuplicates: 1 });
    expect((await contacts().findOneByOrFail({ id: existing.id })).firstName).toBe('Vecchio');

    const updated = await importForm(CLIENT_FILE, {
      mapping: JSON.stringify({ columns: CLIENT_MAPPING }),
      onDuplicate: 'update',
    }).expect(200);
    expect(updated.body).toMatchObject({ imported: 0, updated: 2, skippedDuplicates: 0 });
    const after = await contacts().findOneByOrFail({ id: existing.id });
    // The file's names replace the old ones; its empty e-mail keeps the contact's; the queue stays.
    expect([after.firstName, after.lastName, after.email, after.fields]).toEqual([
      'Pizzeria Da Zoë',
      'Bianchi',
      'old@example.it',
      { codice: 'C-2' },
    ]);
    expect([after.state, after.attempts]).toEqual(['retry', 2]);
    expect(await contacts().count()).toBe(2);
  });

  it('refuses a bad mapping or option with a 400 naming it, and imports nothing', async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ mapping: 'not json' }, 'mapping', /^mapping must be the JSON of/],
      [
        { mapping: JSON.stringify({ columns: [{ header: 'Recapito', to: 'telefono' }] }) },
        'mapping.columns.0.to',
        /^mapping\.columns\.0\.to must be a contact field/,
      ],
      [
        { mapping: JSON.stringify({ columns: [{ header: 'Recapito', to: 'custom:phone' }] }) },
        'mapping.columns.0.to',
        /phone is a contact field: map the column to phone/,
      ],
      [
        { mapping: JSON.stringify({ columns: [{ header: 'Recapito', to: 'phone:' }] }) },
        'mapping.columns.0.to',
        /another number is phone:<label>/,
      ],
      [{ onDuplicate: 'overwrite' }, 'onDuplicate', /^onDuplicate must be one of: skip, update$/],
    ];
    for (const [fields, field, message] of cases) {
      const refused = await importForm(CLIENT_FILE, fields).expect(400);
      const said = ([] as string[]).concat(refused.body.message as string | string[]);
      expect(said.some((m) => m.startsWith(field))).toBe(true);
      expect(said.join('\n')).toMatch(message);
    }
    // Two columns mapped to one field: the header is refused naming both.
    const twice = await importForm(CLIENT_FILE, {
      mapping: JSON.stringify({
        columns: CLIENT_MAPPING.map((c) => (c.header === 'Mail' ? { ...c, to: 'lastName' } : c)),
      }),
    }).expect(400);
    expect(twice.body.message).toBe('header: columns "Intestatario" and "Mail" are both lastName');
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import?mapping=999999`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(CLIENT_FILE)
      .expect(404);
    expect(await contacts().count()).toBe(0);
  });

  it("another campaign's saved mapping is a 404; operators and backoffice may not import", async () => {
    const other = await createCampaign(app);
    await mappings().insert({ campaignId: other.id, columns: CLIENT_MAPPING, updatedBy: null });
    const { id } = await mappings().findOneByOrFail({ campaignId: other.id });
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import?mapping=${id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send(CLIENT_FILE)
      .expect(404);
    for (const role of ['operator', 'backoffice'] as const) {
      const as = `Bearer ${await tokenFor(app, await createUser(app, { role }))}`;
      for (const path of ['import', 'import/preview']) {
        await http()
          .post(`/api/v1/campaigns/${campaign.id}/contacts/${path}`)
          .set('Authorization', as)
          .set('Content-Type', 'text/csv')
          .send(CLIENT_FILE)
          .expect(403);
      }
    }
    expect(await contacts().count()).toBe(0);
  });

  it('two update imports of one file at once: each contact once, counted once', async () => {
    const file = Buffer.from(
      [
        'Nome;Cognome;Telefono',
        ...Array.from({ length: 300 }, (_, i) => `N${i};C${i};33300${String(i).padStart(5, '0')}`),
      ].join('\n'),
    );
    const both = await Promise.all(
      [1, 2].map(() =>
        http()
          .post(`/api/v1/campaigns/${campaign.id}/contacts/import?onDuplicate=update`)
          .set('Authorization', `Bearer ${token}`)
          .set('Content-Type', 'text/csv')
          .send(file),
      ),
    );
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const [a, b] = both.map((r) => r.body as { imported: number; updated: number });
    expect(a!.imported + b!.imported).toBe(300);
    expect(a!.imported + a!.updated).toBe(300);
    expect(b!.imported + b!.updated).toBe(300);
    expect(await contacts().count()).toBe(300);
  });
});
