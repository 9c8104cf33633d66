import { NestExpressApplication } from '@nestjs/platform-express';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { FollowUpTemplatesService } from '../../src/follow-ups/follow-up-templates.service';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

type Fields = Array<[string, string]>;

const row = (i: number, fields: Record<string, string>): Fields =>
  Object.entries(fields).map(([key, value]) => [`steps[${i}][${key}]`, value]);

describe("Consent step purpose in the workflow editor; a status's follow-up templates", () => {
  let app: NestExpressApplication;
  let admin: TestAgent;

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await signedInAgent(app, await createUser(app, { role: 'admin', uiLanguage: 'en' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('saves a consent step’s purpose from the campaign form and refuses a bad one beside it', async () => {
    const status = await createStatus(app, { code: 'OK', type: 'N' });
    const campaign = await createCampaign(app, { code: 'LUCE' }, { statusIds: [status.id] });
    const edit = `/campaigns/${campaign.id}/edit`;
    const post = async (purpose: string) => {
      const html = (await admin.get(edit).expect(200)).text;
      const fields: Fields = [
        ['_csrf', csrfFrom(html)],
        ['code', 'LUCE'],
        ['name', 'Luce'],
        ['timezone', 'Europe/Rome'],
        ['week[d1][first][start]', '09:00'],
        ['week[d1][first][end]', '18:00'],
        ['statusIds', String(status.id)],
        ...row(0, { kind: 'consent', title: 'Registrazione', consentPurpose: purpose }),
        // A purpose sent with another kind belongs to no consent step: not stored.
        ...row(1, { kind: 'question', title: 'Domanda', consentPurpose: 'contact' }),
        ...row(2, { kind: 'outcome', title: 'Esito' }),
      ];
      return admin
        .post(`/campaigns/${campaign.id}`)
        .set('Host', 'crm.example')
        .set('Referer', `http://crm.example${edit}`)
        .type('form')
        .send(new URLSearchParams(fields).toString())
        .expect(303);
    };
    const steps = () =>
      app
        .get(DataSource)
        .getRepository(CampaignStep)
        .find({ where: { campaignId: campaign.id }, order: { position: 'ASC' } });

    expect((await post('recording')).headers.location).toBe(`/campaigns/${campaign.id}`);
    expect((await steps()).map((s) => [s.kind, s.consentPurpose])).toEqual([
      ['consent', 'recording'],
      ['question', null],
      ['outcome', null],
    ]);
    const form = (await admin.get(edit).expect(200)).text;
    expect(form).toMatch(
      /name="steps\[0\]\[consentPurpose\]"[^>]*>[\s\S]*?<option value="recording" selected>/,
    );
    const show = (await admin.get(`/campaigns/${campaign.id}`).expect(200)).text;
    expect(show).toContain('Consent to the recording');

    expect((await post('sms')).headers.location).toBe(edit);
    const refused = (await admin.get(edit).expect(200)).text;
    expect(refused).toMatch(/id="steps\.0\.consentPurpose-error">Value not allowed\.</);
    expect(refused).toMatch(/id="step-0-consentPurpose"[^>]*aria-invalid="true"/);
    expect((await steps())[0]!.consentPurpose).toBe('recording');
  });

  it('lists the templates of a status on its page, to edit them or add one preset to it', async () => {
    const [noAnswer, other] = [
      await createStatus(app, { code: 'NORISP', type: 'N' }),
      await createStatus(app, { code: 'ALTRO', type: 'N' }),
    ];
    const templates = app.get(FollowUpTemplatesService);
    const body = 'Gentile {{contact.firstName}}, non l’abbiamo trovata.';
    const any = await templates.create({
      statusId: noAnswer.id,
      language: 'it',
      subject: 'Non risponde',
      body,
    });
    const voicemail = await templates.create({
      statusId: noAnswer.id,
      reason: 'voicemail',
      language: 'en',
      subject: 'We called you',
      body,
    });
    const elsewhere = await templates.create({
      statusId: other.id,
      language: 'it',
      subject: 'Altro',
      body,
    });

    const html = (await admin.get(`/outcome-statuses/${noAnswer.id}/edit`).expect(200)).text;
    expect(html).toMatch(
      new RegExp(`href="/follow-ups/templates/${any.id}/edit">any reason · Italian</a>`),
    );
    expect(html).toMatch(
      new RegExp(
        `href="/follow-ups/templates/${voicemail.id}/edit"><code>voicemail</code> · English`,
      ),
    );
    expect(html).not.toContain(`/follow-ups/templates/${elsewhere.id}/edit`);
    expect(html).toContain(`href="/follow-ups/templates/new?statusId=${noAnswer.id}"`);
    const none = (await admin.get(`/outcome-statuses/${other.id}/edit`).expect(200)).text;
    expect(none).toContain(`/follow-ups/templates/${elsewhere.id}/edit`);

    const preset = (
      await admin.get(`/follow-ups/templates/new?statusId=${noAnswer.id}`).expect(200)
    ).text;
    expect(preset).toMatch(new RegExp(`<option value="${noAnswer.id}" selected>`));
    const junk = (await admin.get('/follow-ups/templates/new?statusId=abc').expect(200)).text;
    expect(junk).not.toMatch(/<option value="\d+" selected>/);
  });
});
