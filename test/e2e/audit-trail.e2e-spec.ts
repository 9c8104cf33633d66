import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser, type TestUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface Line {
  id: number;
  user: { id: number; name: string } | null;
  action: string;
  entity: string;
  entityId: number | null;
  detail: unknown;
}

/** The audit trail: who did what, when, before -> after, readable by admins only. */
describe('Audit trail', () => {
  let app: NestExpressApplication;
  let admin: TestUser;
  let token: string;
  const http = () => request(app.getHttpServer());
  const as = (t: string) => ({ Authorization: `Bearer ${t}` });
  const lines = async (query: Record<string, string | number> = {}): Promise<Line[]> =>
    (await http().get('/api/v1/audit').query(query).set(as(token)).expect(200)).body
      .lines as Line[];

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await createUser(app, { role: 'admin', displayName: 'Anna Admin' });
    token = await tokenFor(app, admin);
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('records sign-ins and failed ones, with the address and never the password', async () => {
    await http()
      .post('/api/v1/auth/login')
      .send({ username: admin.username, password: 'sbagliata-123' })
      .expect(401);
    await http()
      .post('/api/v1/auth/login')
      .send({ username: admin.username, password: admin.password })
      .expect(200);
    const auth = await lines({ action: 'auth' });
    // The newest first; the token of the test's admin was a sign-in too.
    expect(auth.slice(0, 2).map((l) => [l.action, l.user?.id ?? null, l.entityId])).toEqual([
      ['auth.signed_in', admin.id, admin.id],
      ['auth.sign_in_failed', null, admin.id],
    ]);
    expect(auth[1]!.detail).toEqual({ username: admin.username, address: expect.any(String) });
    const everything = JSON.stringify(await lines({ limit: 200 }));
    expect(everything).not.toContain('sbagliata');
    expect(everything).not.toContain(admin.password);
    expect(everything).not.toMatch(/passwordHash|\$argon2/);
  });

  it('records configuration edits with who and before -> after', async () => {
    const created = await http()
      .post('/api/v1/outcome-statuses')
      .set(as(token))
      .send({ code: 'NI', label: 'Non interessato', type: 'N', color: '#aa0000' })
      .expect(201);
    await http()
      .patch(`/api/v1/outcome-statuses/${created.body.id}`)
      .set(as(token))
      .send({ label: 'Non interessa' })
      .expect(200);
    const status = await lines({ entity: 'outcome_status' });
    expect(status.map((l) => l.action)).toEqual([
      'outcome_status.updated',
      'outcome_status.created',
    ]);
    expect(status[0]).toMatchObject({
      user: { id: admin.id, name: `Anna Admin (${admin.username})` },
      entityId: created.body.id,
      detail: { label: ['Non interessato', 'Non interessa'] },
    });
    expect(status[1]!.detail).toMatchObject({ code: 'NI', label: 'Non interessato' });
  });

  it("records a user's role change and a campaign's workflow change", async () => {
    const operator = await createUser(app, { role: 'operator' });
    await http()
      .patch(`/api/v1/users/${operator.id}`)
      .set(as(token))
      .send({ role: 'coordinator' })
      .expect(200);
    const [roleLine] = await lines({ action: 'user.updated', entityId: operator.id });
    expect(roleLine!.detail).toMatchObject({ role: ['operator', 'coordinator'] });

    const one = await createStatus(app, { code: 'AA' });
    const two = await createStatus(app, { code: 'BB' });
    const campaign = await createCampaign(app, {}, { statusIds: [one.id] });
    const current = await http().get(`/api/v1/campaigns/${campaign.id}`).set(as(token)).expect(200);
    const body = current.body as Record<string, unknown>;
    await http()
      .put(`/api/v1/campaigns/${campaign.id}`)
      .set(as(token))
      .send({
        code: body.code,
        name: body.name,
        timezone: body.timezone,
        callingHours: body.callingHours,
        steps: [
          { kind: 'script', title: 'Saluto', body: 'Buongiorno' },
          { kind: 'outcome', title: 'Esito' },
        ],
        statusIds: [one.id, two.id],
      })
      .expect(200);
    const [workflow] = await lines({ action: 'campaign.workflow_changed' });
    expect(workflow).toMatchObject({
      user: { id: admin.id },
      entityId: campaign.id,
      detail: { statusIds: [[one.id], [one.id, two.id]] },
    });
  });

  it('records do-not-call changes and who downloaded which file', async () => {
    await http()
      .post('/api/v1/do-not-call')
      .set(as(token))
      .send({ phone: '3331234567' })
      .expect(201);
    await http().delete('/api/v1/do-not-call/%2B393331234567').set(as(token)).expect(204);
    const dnc = await lines({ entity: 'do_not_call' });
    expect(dnc.map((l) => [l.action, l.detail])).toEqual([
      ['do_not_call.deleted', { phone: '+393331234567' }],
      ['do_not_call.created', expect.objectContaining({ phone: '+393331234567' })],
    ]);
    await http().get('/api/v1/audit/export').query({ action: 'auth' }).set(as(token)).expect(200);
    const [download] = await lines({ action: 'export.downloaded' });
    expect(download).toMatchObject({
      user: { id: admin.id },
      detail: { file: 'audit.csv', path: '/api/v1/audit/export?action=auth' },
    });
  });

  it('pages newest first, filters by day, and writes the file in the Italian dialect', async () => {
    for (let i = 0; i < 5; i++) await createStatus(app, { code: `S${i}` });
    const mine = { entity: 'outcome_status', limit: 3 };
    const first = await http().get('/api/v1/audit').query(mine).set(as(token)).expect(200);
    expect(first.body.lines).toHaveLength(3);
    const second = await http()
      .get('/api/v1/audit')
      .query({ ...mine, before: first.body.next })
      .set(as(token))
      .expect(200);
    expect(second.body.lines).toHaveLength(2);
    expect(second.body.next).toBeNull();
    const ids = [...first.body.lines, ...second.body.lines].map((l: Line) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(await lines({ from: '2000-01-01', to: '2000-01-31' })).toEqual([]);
    const csv = await http()
      .get('/api/v1/audit/export')
      .query({ dialect: 'excel-it', entity: 'outcome_status' })
      .set(as(token))
      .expect(200);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(rows).toHaveLength(6);
    expect(rows[1]!.split(';')[2]).toBe('outcome_status.created');
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ action: 'DROP TABLE' }, 'action'],
    [{ actor: 'anna' }, 'actor'],
    [{ from: '2026-02-30' }, 'from'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const res = await http().get('/api/v1/audit').query(query).set(as(token)).expect(400);
    expect([].concat(res.body.message).join(' | ')).toMatch(new RegExp(`^${field}`));
  });

  it('is read only and for admins: other roles get 403, and no route changes a line', async () => {
    for (const role of ['coordinator', 'backoffice', 'operator'] as const) {
      const other = await tokenFor(app, await createUser(app, { role }));
      await http().get('/api/v1/audit').set(as(other)).expect(403);
      await http().get('/api/v1/audit/export').set(as(other)).expect(403);
    }
    const [line] = await lines();
    await http().delete(`/api/v1/audit/${line!.id}`).set(as(token)).expect(404);
    await http().patch(`/api/v1/audit/${line!.id}`).set(as(token)).send({}).expect(404);
    const count = await app.get(DataSource).query('SELECT COUNT(*) AS n FROM audit_log');
    expect(Number(count[0].n)).toBeGreaterThan(0);
  });

  it('the page shows the lines as people read them, and a wrong filter beside it', async () => {
    const browser = await signedInAgent(app, admin);
    await createStatus(app, { code: 'ZZ', label: 'Zeta' });
    const page = await browser.get('/audit').query({ entity: 'outcome_status' }).expect(200);
    expect(page.text).toContain('outcome_status.created');
    expect(page.text).toMatch(/code: ZZ/);
    const refused = await browser.get('/audit').query({ from: 'ieri' }).expect(400);
    expect(refused.text).toMatch(/data-field="from"/);
    const operator = await createUser(app, { role: 'operator' });
    const theirs = await signedInAgent(app, operator);
    await theirs.get('/audit').expect(403);
  });
});
