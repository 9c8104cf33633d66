import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** The texts an operator reads aloud: checked when saved, filled in on the card. */
describe('Workflow texts read aloud (scripts, questions, consents)', () => {
  let app: NestExpressApplication;
  let admin: string;
  let operator: { id: number; token: string };
  let statusId: number;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const campaign = (steps: object[]) =>
    http()
      .post('/api/v1/campaigns')
      .set(as(admin))
      .send({
        code: 'TESTI',
        name: 'Testi',
        // Open at any hour of any day, holidays too: the test runs whenever CI does.
        callingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
        holidays: null,
        steps: [...steps, { kind: 'outcome', title: 'Esito' }],
        statusIds: [statusId],
        operatorIds: [operator.id],
      });

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const op = await createUser(app, { role: 'operator', displayName: 'Giulia' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    statusId = (await createStatus(app, { code: 'NI', type: 'N' })).id;
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it.each([
    [
      'script',
      { kind: 'script', title: 'Saluto', body: 'Buongiorno, lei abita a {{contact.citta}}?' },
    ],
    ['question', { kind: 'question', title: 'Comune', body: 'Conferma {{contact.citta}}?' }],
    [
      'consent',
      { kind: 'consent', title: 'Privacy', body: '{{operatore.nome}} chiede il consenso' },
    ],
  ])(
    'refuses an unknown placeholder in a %s, naming the step and the placeholder',
    async (_kind, step) => {
      const res = await campaign([step]).expect(400);
      const message = [].concat(res.body.message).join(' | ');
      expect(message).toMatch(
        /^steps\.0\.body: step "\w+" names \{\{(contact\.citta|operatore\.nome)\}\}, which is not a placeholder/,
      );
      expect(await app.get(DataSource).getRepository(Campaign).count()).toBe(0);
    },
  );

  it('refuses a question text that does not compile', async () => {
    const res = await campaign([{ kind: 'question', title: 'Q', body: 'Lei è {{#if}}?' }]).expect(
      400,
    );
    expect([].concat(res.body.message).join(' | ')).toMatch(
      /^steps\.0\.body: the script does not compile/,
    );
  });

  it('fills a question and a consent text on the card with the contact and operator', async () => {
    const created = await campaign([
      { kind: 'question', title: 'Comune', body: 'Abita ancora a {{contact.city}}?' },
      {
        kind: 'consent',
        title: 'Privacy',
        body: 'Sono {{operator.name}}: {{contact.firstName}}, {{contact.fields.referente}} è d’accordo?',
      },
    ]).expect(201);
    await createContact(app, created.body.id as number, {
      firstName: 'Maria',
      city: 'Lodi',
      fields: { referente: 'il titolare' },
    });
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: created.body.id })
      .expect(200);
    const steps = next.body.steps as Array<{ kind: string; html: string | null }>;
    expect(steps.filter((s) => s.kind !== 'outcome').map((s) => s.html)).toEqual([
      'Abita ancora a Lodi?',
      'Sono Giulia: Maria, il titolare è d’accordo?',
    ]);
  });
});
