import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import type { CampaignView } from '../../src/campaigns/dto/campaign.view';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { WRAP_UP_GRACE_MS } from '../../src/work/contact-leases';
import { WrapUpService } from '../../src/work/wrap-up.service';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

type Body = Record<string, unknown>;

const MONDAY = new Date('2026-11-30T10:00:00Z');
const at = (seconds: number) => new Date(MONDAY.getTime() + seconds * 1000);

/** Wrap-up as a campaign setting: what it may confirm, "fine chiamata", the deadline, races. */
describe('Wrap-up', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let admin: string;
  let operator: { id: number; token: string };
  let notReached: OutcomeStatus;
  let notInterested: OutcomeStatus;
  let callback: OutcomeStatus;
  let sale: OutcomeStatus;
  let appointment: OutcomeStatus;
  let campaign: Campaign;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const message = (body: { message: string | string[] }) =>
    Array.isArray(body.message) ? body.message.join(' | ') : body.message;
  const wrapUps = () => app.get(WrapUpService);
  const leaseOf = (contactId: number) =>
    db.getRepository(ContactLease).findOneByOrFail({ contactId });
  const interactionsOf = (contactId: number) =>
    db.getRepository(Interaction).find({ where: { contactId }, order: { id: 'ASC' } });

  const steps = (requiredConsent: boolean) => [
    { kind: 'script', title: 'Saluto', body: 'Buongiorno {{contact.firstName}}' },
    {
      kind: 'consent',
      title: 'Registrazione',
      body: 'Posso registrare?',
      required: requiredConsent,
    },
    { kind: 'outcome', title: 'Esito' },
  ];
  const input = (overrides: Body = {}): Body => ({
    code: 'LUCE',
    name: 'Luce casa',
    steps: steps(true),
    statusIds: [notReached.id, notInterested.id, callback.id, sale.id, appointment.id],
    operatorIds: [operator.id],
    wrapUpSeconds: 30,
    wrapUpStatusId: notReached.id,
    ...overrides,
  });
  /** A stored campaign as the PUT that would replace it with itself. */
  const inputOf = (view: CampaignView, overrides: Body = {}): Body => ({
    code: view.code,
    name: view.name,
    timezone: view.timezone,
    callingHours: view.callingHours,
    steps: view.steps.map((s) => ({
      kind: s.kind,
      title: s.title,
      ...(s.body ? { body: s.body } : {}),
      required: s.required,
    })),
    statusIds: view.statusIds,
    operatorIds: view.operatorIds,
    wrapUpSeconds: view.wrapUpSeconds,
    wrapUpStatusId: view.wrapUpStatusId,
    ...overrides,
  });

  /** A new contact in the campaign, and the operator takes the next one (a given back one first). */
  async function take(token = operator.token, campaignId = campaign.id): Promise<number> {
    await createContact(app, campaignId);
    const res = await http().post('/api/v1/work/next').set(as(token)).send({ campaignId });
    expect(res.status).toBe(200);
    return (res.body as { contact: { id: number } }).contact.id;
  }
  const callEnded = (contactId: number, token = operator.token) =>
    http().post(`/api/v1/work/${contactId}/call-ended`).set(as(token));

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(MONDAY);
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
    const user = await createUser(app, { role: 'operator' });
    operator = { id: user.id, token: await tokenFor(app, user) };
    notReached = await createStatus(app, {
      code: 'NR',
      label: 'Non risponde',
      type: 'N',
      customerReached: false,
    });
    notInterested = await createStatus(app, { code: 'NI', label: 'Non interessato', type: 'N' });
    callback = await createStatus(app, { code: 'RC', type: 'R', callbackVisibility: 'private' });
    sale = await createStatus(app, { code: 'VE', type: 'C' });
    appointment = await createStatus(app, { code: 'AP', type: 'T' });
    campaign = await createCampaign(
      app,
      { name: 'Assistenza', wrapUpSeconds: 30, wrapUpStatusId: notReached.id },
      { statusIds: [notReached.id, notInterested.id, callback.id], operatorIds: [operator.id] },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('the campaign’s setting', () => {
    it('is saved and shown with the campaign (POST, PATCH), and null clears it', async () => {
      const created = await http().post('/api/v1/campaigns').set(as(admin)).send(input());
      expect(created.status).toBe(201);
      const view = created.body as CampaignView;
      expect(view).toMatchObject({ wrapUpSeconds: 30, wrapUpStatusId: notReached.id });

      const patched = await http()
        .patch(`/api/v1/campaigns/${view.id}`)
        .set(as(admin))
        .send({ wrapUpSeconds: 3600 })
        .expect(200);
      expect(patched.body).toMatchObject({ wrapUpSeconds: 3600, wrapUpStatusId: notReached.id });
      const cleared = await http()
        .patch(`/api/v1/campaigns/${view.id}`)
        .set(as(admin))
        .send({ wrapUpSeconds: null, wrapUpStatusId: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ wrapUpSeconds: null, wrapUpStatusId: null });
      // A replace that leaves it out has none (PUT replaces the whole campaign).
      const replaced = await http()
        .put(`/api/v1/campaigns/${view.id}`)
        .set(as(admin))
        .send(input({ wrapUpSeconds: undefined, wrapUpStatusId: undefined }))
        .expect(200);
      expect(replaced.body).toMatchObject({ wrapUpSeconds: null, wrapUpStatusId: null });
      // Without required steps a status that reaches the customer needs nothing either.
      const plain = await http()
        .post('/api/v1/campaigns')
        .set(as(admin))
        .send(input({ code: 'GAS', steps: steps(false), wrapUpStatusId: notInterested.id }))
        .expect(201);
      expect(plain.body).toMatchObject({ wrapUpStatusId: notInterested.id });

      const coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
      await http()
        .patch(`/api/v1/campaigns/${view.id}`)
        .set(as(coordinator))
        .send({ wrapUpSeconds: 60, wrapUpStatusId: notReached.id })
        .expect(403);
    });

    it('refuses bad values with a 400 naming the field, and saves nothing', async () => {
      const cases: Array<[Body, string, RegExp]> = [
        [{ wrapUpSeconds: 4 }, 'wrapUpSeconds', /from 5 to 3600/],
        [{ wrapUpSeconds: 3601 }, 'wrapUpSeconds', /from 5 to 3600/],
        [{ wrapUpSeconds: 30.5 }, 'wrapUpSeconds', /whole number/],
        [{ wrapUpSeconds: '30' }, 'wrapUpSeconds', /whole number/],
        [{ wrapUpStatusId: 'NR' }, 'wrapUpStatusId', /id of one of the campaign/],
        [{ wrapUpStatusId: null }, 'wrapUpStatusId', /needs the status it confirms/],
        [{ wrapUpSeconds: null }, 'wrapUpSeconds', /needs its seconds/],
        [{ wrapUpStatusId: 999_999 }, 'wrapUpStatusId', /not one of this campaign’s statuses/],
        [
          { statusIds: [notInterested.id] },
          'wrapUpStatusId',
          /not one of this campaign’s statuses/,
        ],
        [{ wrapUpStatusId: callback.id }, 'wrapUpStatusId', /RC \(type R\) needs a callback/],
        [{ wrapUpStatusId: sale.id }, 'wrapUpStatusId', /VE \(type C\) needs a cart/],
        [{ wrapUpStatusId: appointment.id }, 'wrapUpStatusId', /AP \(type T\) needs a/],
        // Reaching the customer, so the required consent applies: no wrap-up can answer it.
        [
          { wrapUpStatusId: notInterested.id },
          'wrapUpStatusId',
          /NI reaches the customer, so it needs answers to the required steps "Registrazione"/,
        ],
      ];
      for (const [change, field, words] of cases) {
        const res = await http().post('/api/v1/campaigns').set(as(admin)).send(input(change));
        const said = message(res.body as { message: string });
        expect([field, res.status]).toEqual([field, 400]);
        expect(said.startsWith(field)).toBe(true);
        expect(said).toMatch(words);
      }
      expect(await db.getRepository(Campaign).countBy({ code: 'LUCE' })).toBe(0);

      const patch = await http()
        .patch(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({ wrapUpStatusId: callback.id })
        .expect(400);
      expect(message(patch.body as { message: string })).toMatch(/^wrapUpStatusId: RC/);
      const unknown = await http()
        .patch(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({ wrapUpSeconds: 30, steps: [] })
        .expect(400);
      expect(message(unknown.body as { message: string })).toMatch(/steps/);
      await http()
        .patch('/api/v1/campaigns/999999')
        .set(as(admin))
        .send({ wrapUpSeconds: 30 })
        .expect(404);
      expect(await db.getRepository(Campaign).findOneByOrFail({ id: campaign.id })).toMatchObject({
        wrapUpSeconds: 30,
        wrapUpStatusId: notReached.id,
      });
    });

    it('refuses later changes that would make the wrap-up status need answers or a sub-form', async () => {
      const created = await http()
        .post('/api/v1/campaigns')
        .set(as(admin))
        .send(input({ steps: steps(false), wrapUpStatusId: notInterested.id }))
        .expect(201);
      const view = created.body as CampaignView;

      // Making the consent required while the wrap-up status reaches the customer.
      const required = await http()
        .put(`/api/v1/campaigns/${view.id}`)
        .set(as(admin))
        .send(inputOf(view, { steps: steps(true) }))
        .expect(400);
      expect(message(required.body as { message: string })).toMatch(
        /^wrapUpStatusId: NI reaches the customer, so it needs answers to the required steps "Registrazione"/,
      );
      // Taking the status off the campaign.
      const unlinked = await http()
        .put(`/api/v1/campaigns/${view.id}`)
        .set(as(admin))
        .send(inputOf(view, { statusIds: [notReached.id] }))
        .expect(400);
      expect(message(unlinked.body as { message: string })).toMatch(/^wrapUpStatusId:/);
      const unchanged = await db.getRepository(CampaignStep).findBy({ campaignId: view.id });
      expect(unchanged.find((s) => s.kind === 'consent')?.required).toBe(false);

      // The status itself: another type, or (with required steps) reaching the customer.
      const typed = await http()
        .patch(`/api/v1/outcome-statuses/${notInterested.id}`)
        .set(as(admin))
        .send({ type: 'R' })
        .expect(400);
      expect(message(typed.body as { message: string })).toMatch(
        /^type: NI is the wrap-up status of campaign LUCE/,
      );
      const reached = await http()
        .patch(`/api/v1/outcome-statuses/${notReached.id}`)
        .set(as(admin))
        .send({ customerReached: true })
        .expect(200);
      expect(reached.body).toMatchObject({ customerReached: true });
      // NR is not LUCE's wrap-up, but it is the fixture campaign's, which has no required step:
      // fine. Give that campaign a required step and NR back its "not reached".
      await http()
        .patch(`/api/v1/outcome-statuses/${notReached.id}`)
        .set(as(admin))
        .send({ customerReached: false })
        .expect(200);
      await db
        .getRepository(CampaignStep)
        .update({ campaignId: campaign.id, kind: 'outcome' }, { position: 3 });
      await db.getRepository(CampaignStep).save({
        campaignId: campaign.id,
        position: 2,
        kind: 'question',
        title: 'Fornitore',
        body: null,
        choices: null,
        required: true,
        consentPurpose: null,
      });
      const nowReached = await http()
        .patch(`/api/v1/outcome-statuses/${notReached.id}`)
        .set(as(admin))
        .send({ customerReached: true })
        .expect(400);
      expect(message(nowReached.body as { message: string })).toMatch(
        /^customerReached: NR is the wrap-up status of campaign C\d+/,
      );
      const archived = await http()
        .post(`/api/v1/outcome-statuses/${notReached.id}/archive`)
        .set(as(admin))
        .expect(409);
      expect(message(archived.body as { message: string })).toMatch(/wrap-up status of campaign/);
      expect(
        await db.getRepository(OutcomeStatus).findOneByOrFail({ id: notReached.id }),
      ).toMatchObject({ type: 'N', customerReached: false, archivedAt: null });
      // A change that keeps it possible is fine: a label, a colour.
      await http()
        .patch(`/api/v1/outcome-statuses/${notInterested.id}`)
        .set(as(admin))
        .send({ label: 'Non interessato (post-chiamata)' })
        .expect(200);
    });

    it('the campaign’s pages show it, and the form says a refusal beside the field', async () => {
      const agent = await signedInAgent(
        app,
        await createUser(app, { role: 'admin', uiLanguage: 'en', password: 'admin-pass-123' }),
      );
      const show = await agent.get(`/campaigns/${campaign.id}`).expect(200);
      expect(show.text).toMatch(
        /id="wrap-up-summary"[\s\S]*after 30 s NR Non risponde is confirmed/,
      );
      const edit = await agent.get(`/campaigns/${campaign.id}/edit`).expect(200);
      expect(edit.text).toMatch(/id="wrapUpSeconds"[^>]*value="30"/);
      expect(edit.text).toMatch(new RegExp(`<option value="${notReached.id}" selected>NR`));
      // Type R is not offered; a status of another type sent by hand is refused beside it.
      expect(edit.text).not.toMatch(new RegExp(`<option value="${callback.id}"`));
      const fields = new URLSearchParams([
        ['_csrf', csrfFrom(edit.text)],
        ['code', campaign.code],
        ['name', campaign.name],
        ['timezone', 'Europe/Rome'],
        ['week[d1][first][start]', '09:00'],
        ['week[d1][first][end]', '18:00'],
        ['statusIds', String(notReached.id)],
        ['statusIds', String(callback.id)],
        ['steps[0][kind]', 'outcome'],
        ['steps[0][title]', 'Esito'],
        ['wrapUpSeconds', '45'],
        ['wrapUpStatusId', String(callback.id)],
      ]);
      const refused = await agent
        .post(`/campaigns/${campaign.id}`)
        .type('form')
        .send(fields.toString())
        .expect(303);
      const back = await agent.get(refused.headers.location as string).expect(200);
      const error = /id="wrapUpStatusId-error"[^>]*>([\s\S]*?)<\/p>/.exec(back.text);
      expect(error?.[1]).toContain('RC is type R');
      expect(back.text).toMatch(/id="wrapUpSeconds"[^>]*value="45"/);
      fields.set('wrapUpStatusId', '');
      fields.set('wrapUpSeconds', '');
      fields.set('_csrf', csrfFrom(back.text));
      await agent
        .post(`/campaigns/${campaign.id}`)
        .type('form')
        .send(fields.toString())
        .expect(303);
      expect(await db.getRepository(Campaign).findOneByOrFail({ id: campaign.id })).toMatchObject({
        wrapUpSeconds: null,
        wrapUpStatusId: null,
      });
    });
  });

  describe('fine chiamata (POST /work/:contactId/call-ended)', () => {
    it('starts the deadline once: a second end keeps the first; the lease outlives it', async () => {
      await http()
        .patch(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({ wrapUpSeconds: 600 })
        .expect(200);
      const contactId = await take();
      await callEnded(contactId).expect(204);
      const first = await leaseOf(contactId);
      expect(first.wrapUpAt).toEqual(at(600));
      // Longer than the lease: kept alive until the wrap-up has had its chance.
      expect(first.expiresAt.getTime()).toBeGreaterThanOrEqual(
        at(600).getTime() + WRAP_UP_GRACE_MS,
      );
      clock.set(at(10));
      await callEnded(contactId).expect(204);
      expect((await leaseOf(contactId)).wrapUpAt).toEqual(at(600));
      // A heartbeat renews the lease but never below the deadline.
      await http().post(`/api/v1/work/${contactId}/heartbeat`).set(as(operator.token)).expect(200);
      expect((await leaseOf(contactId)).expiresAt.getTime()).toBeGreaterThanOrEqual(
        at(600).getTime() + WRAP_UP_GRACE_MS,
      );
      // The page sees the seconds left (a reload keeps counting).
      const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
      expect(current.body).toMatchObject({
        wrapUp: { seconds: 600, statusId: notReached.id, secondsLeft: 590 },
      });
    });

    it('does nothing for a campaign without wrap-up', async () => {
      await http()
        .patch(`/api/v1/campaigns/${campaign.id}`)
        .set(as(admin))
        .send({ wrapUpSeconds: null, wrapUpStatusId: null })
        .expect(200);
      const contactId = await take();
      await callEnded(contactId).expect(204);
      expect((await leaseOf(contactId)).wrapUpAt).toBeNull();
      const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
      expect(current.body).toMatchObject({ wrapUp: null });
    });

    it('is the holding operator’s alone: 403 for others and other roles, 404, 409, 401', async () => {
      const contactId = await take();
      // An operator of another campaign, and one of this campaign not holding the contact.
      const stranger = await createUser(app, { role: 'operator' });
      const strangerToken = await tokenFor(app, stranger);
      await createCampaign(app, {}, { statusIds: [notReached.id], operatorIds: [stranger.id] });
      const refused = await callEnded(contactId, strangerToken).expect(403);
      expect(message(refused.body as { message: string })).toMatch(
        /^contactId: .*not leased to you/,
      );
      const colleague = await createUser(app, { role: 'operator' });
      await db
        .getRepository(CampaignOperator)
        .insert({ campaignId: campaign.id, userId: colleague.id });
      await callEnded(contactId, await tokenFor(app, colleague)).expect(403);
      for (const role of ['coordinator', 'backoffice', 'admin'] as const) {
        const token = await tokenFor(app, await createUser(app, { role }));
        await callEnded(contactId, token).expect(403);
      }
      await http().post(`/api/v1/work/${contactId}/call-ended`).expect(401);
      expect((await leaseOf(contactId)).wrapUpAt).toBeNull();

      const missing = await callEnded(999_999).expect(404);
      expect(message(missing.body as { message: string })).toMatch(/^contactId: contact 999999/);
      await callEnded(0).expect(400);
      await http()
        .post(`/api/v1/work/${contactId}/outcome`)
        .set(as(operator.token))
        .send({ statusId: notInterested.id })
        .expect(201);
      const late = await callEnded(contactId).expect(409);
      expect(message(late.body as { message: string })).toMatch(/already confirmed/);
    });
  });

  describe('when the deadline passes', () => {
    it('confirms the campaign’s status as the operator’s outcome with their draft notes', async () => {
      const contactId = await take();
      await http()
        .put(`/api/v1/work/${contactId}/draft`)
        .set(as(operator.token))
        .send({ draft: { notes: '  Cade la linea, riprovare  ', statusId: notInterested.id } })
        .expect(200);
      await callEnded(contactId).expect(204);
      clock.set(at(29));
      expect(await wrapUps().applyDue()).toBe(0);
      expect(await interactionsOf(contactId)).toEqual([]);
      clock.set(at(31));
      expect(await wrapUps().applyDue()).toBe(1);
      const [interaction, ...more] = await interactionsOf(contactId);
      expect(more).toEqual([]);
      expect(interaction).toMatchObject({
        statusId: notReached.id,
        operatorId: operator.id,
        notes: 'Cade la linea, riprovare',
      });
      const contact = await db.getRepository(Contact).findOneByOrFail({ id: contactId });
      expect(contact).toMatchObject({ lastStatusId: notReached.id, attempts: 1 });
      expect(await db.getRepository(ContactLease).countBy({ contactId })).toBe(0);
      // The page's poll: nothing held any more, so it moves on.
      await http().get('/api/v1/work/current').set(as(operator.token)).expect(204);
      // Idempotent: a second run, and a late end of call, confirm nothing more.
      expect(await wrapUps().applyDue()).toBe(0);
      await callEnded(contactId).expect(409);
      expect(await interactionsOf(contactId)).toHaveLength(1);
    });

    it('without notes in the draft, an automatic note says what happened', async () => {
      const contactId = await take();
      await callEnded(contactId).expect(204);
      clock.set(at(30));
      expect(await wrapUps().applyDue()).toBe(1);
      expect((await interactionsOf(contactId))[0]?.notes).toBe(
        'Esito automatico dopo 30 s di post-chiamata',
      );
    });

    it('confirms nothing after a discard, or for a status the outcome now refuses', async () => {
      const discarded = await take();
      await callEnded(discarded).expect(204);
      await http().post(`/api/v1/work/${discarded}/discard`).set(as(operator.token)).expect(204);
      clock.set(at(60));
      expect(await wrapUps().applyDue()).toBe(0);
      expect(await interactionsOf(discarded)).toEqual([]);

      // Changed behind the rules' back (straight in the table): the outcome refuses it, the
      // wrap-up is dropped and the operator confirms by hand.
      clock.set(MONDAY);
      const contactId = await take();
      await callEnded(contactId).expect(204);
      await db.getRepository(OutcomeStatus).update({ id: notReached.id }, { archivedAt: MONDAY });
      clock.set(at(30));
      expect(await wrapUps().applyDue()).toBe(0);
      expect(await interactionsOf(contactId)).toEqual([]);
      expect((await leaseOf(contactId)).wrapUpAt).toBeNull();
      const current = await http().get('/api/v1/work/current').set(as(operator.token)).expect(200);
      expect(current.body).toMatchObject({
        contact: { id: contactId },
        wrapUp: { secondsLeft: null },
      });
      expect(await wrapUps().applyDue()).toBe(0);
    });

    it('racing the operator’s own confirm, the call has exactly one interaction', async () => {
      for (let round = 0; round < 6; round++) {
        clock.set(MONDAY);
        const contactId = await take();
        await callEnded(contactId).expect(204);
        clock.set(at(30));
        const [confirm, applied] = await Promise.all([
          http()
            .post(`/api/v1/work/${contactId}/outcome`)
            .set(as(operator.token))
            .send({ statusId: notInterested.id, notes: 'mine' }),
          wrapUps().applyDue(),
        ]);
        const interactions = await interactionsOf(contactId);
        expect(interactions).toHaveLength(1);
        if (confirm.status === 201) {
          expect([applied, interactions[0]?.statusId]).toEqual([0, notInterested.id]);
        } else {
          expect([confirm.status, applied, interactions[0]?.statusId]).toEqual([
            409,
            1,
            notReached.id,
          ]);
        }
        expect(await db.getRepository(ContactLease).countBy({ contactId })).toBe(0);
      }
    });
  });
});
