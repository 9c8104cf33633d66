import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { ContactList } from '../../src/contacts/contact-list.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { Contract } from '../../src/contracts/contract.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

/**
 * Lists with a life cycle: every import is a list with its figures; a paused list's
 * contacts are not dispatched; a recycle puts some of its contacts back in the queue, once.
 */
describe('Contact lists', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let coordinator: string;
  let operator: { id: number; token: string };
  let campaign: Campaign;
  let noAnswer: number;
  let notInterested: number;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const contacts = () => db.getRepository(Contact);

  /** A list of the campaign with `count` contacts, each with the state and last outcome given. */
  async function listWith(
    rows: Array<{ state: Contact['state']; lastStatusId?: number | null; phone?: string }>,
    name = 'Lista',
  ): Promise<{ list: ContactList; ids: number[] }> {
    const list = await db
      .getRepository(ContactList)
      .save({ campaignId: campaign.id, name, sourceFile: null, createdBy: null, active: true });
    const ids: number[] = [];
    for (const [i, row] of rows.entries()) {
      const contact = await createContact(app, campaign.id, {
        phone: row.phone ?? mobile(list.id * 1000 + i),
        state: row.state,
        attempts: row.state === 'new' ? 0 : 3,
        lastStatusId: row.lastStatusId ?? null,
        lastOutcomeAt: row.lastStatusId ? new Date('2026-11-01T10:00:00Z') : null,
      });
      await contacts()
        .createQueryBuilder()
        .update()
        .set({ listId: list.id })
        .where({ id: contact.id })
        .execute();
      ids.push(contact.id);
    }
    return { list, ids };
  }

  const recycle = (listId: number, body: unknown, key?: string) => {
    const post = http()
      .post(`/api/v1/lists/${listId}/recycle`)
      .set(as(coordinator))
      .send(body as object);
    return key ? post.set('Idempotency-Key', key) : post;
  };

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(app);
    coordinator = await tokenFor(app, await createUser(app, { role: 'coordinator' }));
    const op = await createUser(app, { role: 'operator' });
    operator = { id: op.id, token: await tokenFor(app, op) };
    noAnswer = (await createStatus(app, { code: 'NR', type: 'N' })).id;
    notInterested = (await createStatus(app, { code: 'NI', type: 'N' })).id;
    campaign = await createCampaign(
      app,
      {},
      { statusIds: [noAnswer, notInterested], operatorIds: [op.id] },
    );
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('an import is a list: named after its file, with its contacts counted by state', async () => {
    const file = 'Nome;Cognome;Telefono\nAnna;Rossi;3331234567\nLuca;Bianchi;3331234568\n';
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
      .set(as(coordinator))
      .field('listName', 'Clienti dicembre')
      .attach('file', Buffer.from(file), 'dicembre.csv')
      .expect(200);
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts/import`)
      .set(as(coordinator))
      .attach('file', Buffer.from(file.replace(/33312/g, '33398')), 'gennaio.csv')
      .expect(200);
    const lists = await http()
      .get(`/api/v1/campaigns/${campaign.id}/lists`)
      .set(as(coordinator))
      .expect(200);
    expect(
      lists.body.map((l: ContactList & { total: number }) => [
        l.name,
        l.sourceFile,
        l.active,
        l.total,
      ]),
    ).toEqual([
      ['gennaio.csv', 'gennaio.csv', true, 2],
      ['Clienti dicembre', 'dicembre.csv', true, 2],
    ]);
    expect(lists.body[0].byState).toEqual({
      new: 2,
      in_progress: 0,
      callback: 0,
      retry: 0,
      done: 0,
      final: 0,
    });
    // A contact added by the API joins a list of its campaign, and no other.
    const [first] = lists.body as Array<{ id: number }>;
    await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts`)
      .set(as(coordinator))
      .send({ firstName: 'Zoe', lastName: 'Verdi', phone: '3331112223', listId: first!.id })
      .expect(201);
    expect((await contacts().findOneByOrFail({ lastName: 'Verdi' })).listId).toBe(first!.id);
    const elsewhere = await db.getRepository(ContactList).save({
      campaignId: (await createCampaign(app)).id,
      name: 'Altra',
      sourceFile: null,
      createdBy: null,
      active: true,
    });
    const refused = await http()
      .post(`/api/v1/campaigns/${campaign.id}/contacts`)
      .set(as(coordinator))
      .send({ firstName: 'Ugo', lastName: 'Neri', phone: '3331112224', listId: elsewhere.id })
      .expect(400);
    expect(refused.body.message).toBe(`listId ${elsewhere.id} is not a list of this campaign`);
  });

  it('a paused list is not dispatched; resumed, it is', async () => {
    const { list, ids } = await listWith([{ state: 'new' }]);
    await http()
      .patch(`/api/v1/lists/${list.id}`)
      .set(as(coordinator))
      .send({ active: false })
      .expect(200);
    const none = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id });
    expect(none.status).not.toBe(200);
    expect(await contacts().findOneByOrFail({ id: ids[0] })).toMatchObject({ state: 'new' });
    const resumed = await http()
      .patch(`/api/v1/lists/${list.id}`)
      .set(as(coordinator))
      .send({ active: true })
      .expect(200);
    expect(resumed.body.active).toBe(true);
    const next = await http()
      .post('/api/v1/work/next')
      .set(as(operator.token))
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(next.body.contact.id).toBe(ids[0]);
  });

  it('recycles the contacts whose last outcome is asked, never a listed number or a signed contract', async () => {
    const { list, ids } = await listWith([
      { state: 'done', lastStatusId: noAnswer },
      { state: 'final', lastStatusId: noAnswer },
      { state: 'done', lastStatusId: notInterested },
      { state: 'done', lastStatusId: noAnswer, phone: '+393339990001' },
      { state: 'done', lastStatusId: noAnswer },
      { state: 'retry', lastStatusId: noAnswer },
    ]);
    await addToDoNotCall(app, '+393339990001');
    await db.getRepository(Contract).save({
      protocolNumber: 'P-1',
      contactId: ids[4]!,
      campaignId: campaign.id,
      operatorId: null,
      status: 'new',
      customer: {
        firstName: 'Anna',
        lastName: 'Rossi',
        phone: mobile(5),
        email: null,
        city: null,
        province: null,
      },
      totalNet: '8.20',
      totalVat: '1.80',
      total: '10.00',
    });

    const detail = await http().get(`/api/v1/lists/${list.id}`).set(as(coordinator)).expect(200);
    expect(
      detail.body.byStatus.map((s: { code: string; count: number }) => [s.code, s.count]),
    ).toEqual([
      ['NR', 5],
      ['NI', 1],
    ]);

    const done = await recycle(list.id, { statusIds: [noAnswer] }).expect(200);
    expect(done.body).toEqual({ requeued: 2, repeated: false });
    const after = await contacts().findBy({ listId: list.id });
    const byId = new Map(after.map((c) => [c.id, c]));
    expect(byId.get(ids[0]!)).toMatchObject({ state: 'retry', attempts: 0 });
    expect(byId.get(ids[1]!)).toMatchObject({ state: 'retry', attempts: 0 });
    expect(byId.get(ids[2]!)!.state).toBe('done'); // another outcome
    expect(byId.get(ids[3]!)!.state).toBe('done'); // on the do-not-call list
    expect(byId.get(ids[4]!)!.state).toBe('done'); // a contract
    // Asked again: nothing left to requeue.
    expect((await recycle(list.id, { statusIds: [noAnswer] }).expect(200)).body.requeued).toBe(0);
  });

  it('only outcomes older than asked, and one request key is one recycle', async () => {
    const { list } = await listWith([
      { state: 'done', lastStatusId: noAnswer },
      { state: 'done', lastStatusId: noAnswer },
    ]);
    // The outcomes are of 1 November: older than a year is none of them.
    expect(
      (await recycle(list.id, { statusIds: [noAnswer], olderThanMinutes: 525_600 }).expect(200))
        .body.requeued,
    ).toBe(0);
    const first = await recycle(list.id, { statusIds: [noAnswer] }, 'recycle-0001').expect(200);
    expect(first.body).toEqual({ requeued: 2, repeated: false });
    // The same request again (a retry after a timeout): the first one's answer.
    await contacts()
      .createQueryBuilder()
      .update()
      .set({ state: 'done' })
      .where({ listId: list.id })
      .execute();
    const again = await recycle(list.id, { statusIds: [noAnswer] }, 'recycle-0001').expect(200);
    expect(again.body).toEqual({ requeued: 2, repeated: true });
    expect(await contacts().countBy({ listId: list.id, state: 'done' })).toBe(2);
  });

  it('two recycles of one list at once: each contact requeued once', async () => {
    const { list } = await listWith(
      Array.from({ length: 40 }, () => ({ state: 'done' as const, lastStatusId: noAnswer })),
    );
    const both = await Promise.all([1, 2].map(() => recycle(list.id, { statusIds: [noAnswer] })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const requeued = both.map((r) => (r.body as { requeued: number }).requeued);
    expect(requeued[0]! + requeued[1]!).toBe(40);
    if (isMysqlRun()) expect(requeued.sort((a, b) => a - b)).toEqual([0, 40]);
    expect(await contacts().countBy({ listId: list.id, state: 'retry' })).toBe(40);
  });

  it('bad input is a 400 naming the field; an unknown list is a 404', async () => {
    const { list } = await listWith([{ state: 'done', lastStatusId: noAnswer }]);
    const cases: Array<[unknown, string | undefined, RegExp]> = [
      [{}, undefined, /^statusIds /],
      [{ statusIds: [] }, undefined, /^statusIds must name at least one status$/],
      [{ statusIds: ['x'] }, undefined, /^statusIds must be a list of status ids$/],
      [{ statusIds: [999_999] }, undefined, /^statusIds must be ids of outcome statuses$/],
      [
        { statusIds: [noAnswer], olderThanMinutes: -1 },
        undefined,
        /^olderThanMinutes must be from 0 to 525600$/,
      ],
      [{ statusIds: [noAnswer] }, 'bad key!', /^Idempotency-Key must be 8-64 letters/],
    ];
    for (const [body, key, message] of cases) {
      const refused = await recycle(list.id, body, key).expect(400);
      expect(
        ([] as string[]).concat(refused.body.message as string | string[]).join(' | '),
      ).toMatch(message);
    }
    await http()
      .patch(`/api/v1/lists/${list.id}`)
      .set(as(coordinator))
      .send({ active: 'no' })
      .expect(400);
    await http().get('/api/v1/lists/999999').set(as(coordinator)).expect(404);
    await recycle(999_999, { statusIds: [noAnswer] }).expect(404);
    await http().get('/api/v1/campaigns/999999/lists').set(as(coordinator)).expect(404);
    expect(await contacts().countBy({ listId: list.id, state: 'done' })).toBe(1);
  });

  it('operators, backoffice and integrations may not see or change lists', async () => {
    const { list } = await listWith([{ state: 'done', lastStatusId: noAnswer }]);
    for (const role of ['operator', 'backoffice', 'integration'] as const) {
      const token = await tokenFor(app, await createUser(app, { role }));
      await http().get(`/api/v1/campaigns/${campaign.id}/lists`).set(as(token)).expect(403);
      await http().get(`/api/v1/lists/${list.id}`).set(as(token)).expect(403);
      await http()
        .patch(`/api/v1/lists/${list.id}`)
        .set(as(token))
        .send({ active: false })
        .expect(403);
      await recycle(list.id, { statusIds: [noAnswer] })
        .set(as(token))
        .expect(403);
    }
    expect((await db.getRepository(ContactList).findOneByOrFail({ id: list.id })).active).toBe(
      true,
    );
    expect(await contacts().countBy({ listId: list.id, state: 'done' })).toBe(1);
  });

  describe('pages', () => {
    it("lists a campaign's lists, shows one, pauses it and recycles it from forms", async () => {
      const { list } = await listWith(
        [
          { state: 'done', lastStatusId: noAnswer },
          { state: 'done', lastStatusId: noAnswer },
          { state: 'done', lastStatusId: notInterested },
        ],
        'Clienti novembre',
      );
      const agent = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
      const lists = await agent.get(`/campaigns/${campaign.id}/lists`).expect(200);
      expect(lists.text).toContain(`<a href="/lists/${list.id}">Clienti novembre</a>`);
      const page = await agent.get(`/lists/${list.id}`).expect(200);
      expect(page.text).toMatch(/<code>NR<\/code> [^<]*<\/td><td class="num">2<\/td>/);
      const csrf = csrfFrom(page.text);

      const paused = await agent
        .post(`/lists/${list.id}/active`)
        .type('form')
        .send({ _csrf: csrf, active: 'false' })
        .expect(303);
      expect(paused.headers.location).toBe(`/lists/${list.id}`);
      expect((await agent.get(`/lists/${list.id}`).expect(200)).text).toContain(
        'Lista «Clienti novembre» in pausa',
      );
      expect((await db.getRepository(ContactList).findOneByOrFail({ id: list.id })).active).toBe(
        false,
      );

      // Nothing ticked: back to the form, said beside the statuses.
      await agent
        .post(`/lists/${list.id}/recycle`)
        .type('form')
        .send({ _csrf: csrf, olderThanHours: '' })
        .expect(303);
      const refused = await agent.get(`/lists/${list.id}`).expect(200);
      expect(refused.text).toMatch(/id="statusIds-error">[^<]+</);
      expect(await contacts().countBy({ listId: list.id, state: 'retry' })).toBe(0);

      await agent
        .post(`/lists/${list.id}/recycle`)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&statusIds=${noAnswer}&olderThanHours=1`)
        .expect(303);
      expect((await agent.get(`/lists/${list.id}`).expect(200)).text).toContain(
        '2 contatti rimessi in coda.',
      );
      expect(await contacts().countBy({ listId: list.id, state: 'retry' })).toBe(2);

      const csv = await agent.get(`/lists/${list.id}/outcomes.csv`).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(
        csv.text
          .replace(/^\uFEFF/, '')
          .trim()
          .split(/\r?\n/),
      ).toEqual([
        'code,label,type,contacts',
        // A recycled contact keeps its last outcome until its next call.
        expect.stringMatching(/^NR,[^,]*,N,2$/) as string,
        expect.stringMatching(/^NI,[^,]*,N,1$/) as string,
      ]);
    });

    it('an operator may not open the list pages', async () => {
      const { list } = await listWith([{ state: 'new' }]);
      const agent = await signedInAgent(app, await createUser(app, { role: 'operator' }));
      await agent.get(`/campaigns/${campaign.id}/lists`).expect(403);
      await agent.get(`/lists/${list.id}`).expect(403);
      await agent.get(`/lists/${list.id}/outcomes.csv`).expect(403);
    });
  });
});
