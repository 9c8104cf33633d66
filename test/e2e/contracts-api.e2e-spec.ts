import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '../../src/auth/auth.service';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contact } from '../../src/contacts/contact.entity';
import { ContractLine } from '../../src/contracts/contract-line.entity';
import { ContractStatusChange } from '../../src/contracts/contract-status-change.entity';
import { Contract, CONTRACT_STATES, ContractState } from '../../src/contracts/contract.entity';
import { ProtocolCounter } from '../../src/contracts/protocol-counter.entity';
import { seedDemoContractReasons } from '../../src/demo/demo-catalogue';
import { Interaction } from '../../src/interactions/interaction.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { Product } from '../../src/products/product.entity';
import { User } from '../../src/users/user.entity';
import type { Role } from '../../src/common/access/role';
import { ContactLease } from '../../src/work/contact-lease.entity';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, isMysqlRun, removeSqliteData, resetDatabase } from '../support/test-app';

interface Actor {
  id: number;
  name: string;
  token: string;
}

interface Closed {
  id: number;
  protocolNumber: string;
  total: string;
  contactId: number;
  interactionId: number;
}

interface ListBody {
  items: Array<{
    id: number;
    protocolNumber: string;
    status: ContractState;
    customer: { firstName: string; lastName: string; phone: string };
  }>;
  next: string | null;
}

/** Whatever is legal from a status; everything else must be a 409. */
const LEGAL: Record<ContractState, ContractState[]> = {
  new: ['verified', 'suspended', 'cancelled'],
  verified: ['activated', 'suspended', 'cancelled'],
  suspended: ['new', 'verified', 'cancelled'],
  activated: [],
  cancelled: [],
};

describe('Contracts API (backoffice list, detail, workflow, export; the close behind them)', () => {
  let app: NestExpressApplication;
  let db: DataSource;
  let clock: Clock;
  let operator: Actor;
  let otherOperator: Actor;
  let backoffice: Actor;
  let coordinator: Actor;
  let admin: Actor;
  let campaign: Campaign;
  let sale: OutcomeStatus;
  let flexibleSale: OutcomeStatus;
  let fibra: Product;
  let modem: Product;
  const http = () => request(app.getHttpServer());
  const as = (actor: Actor) => ({ Authorization: `Bearer ${actor.token}` });
  const list = (actor: Actor, query: Record<string, string | number> = {}) =>
    http().get('/api/v1/contracts').query(query).set(as(actor));
  const detail = (actor: Actor, id: number | string) =>
    http().get(`/api/v1/contracts/${id}`).set(as(actor));
  const move = (actor: Actor, id: number, body: object) =>
    http().post(`/api/v1/contracts/${id}/status`).set(as(actor)).send(body);
  const exportCsv = (actor: Actor, query: Record<string, string> = {}) =>
    http().get('/api/v1/contracts/export.csv').query(query).set(as(actor));
  const numbers = (body: ListBody) => body.items.map((i) => i.protocolNumber);
  /** created_at as the database writes it (UTC), to place a contract in time. */
  async function closedAt(id: number, createdAt: string): Promise<void> {
    await db.query('UPDATE contracts SET created_at = ? WHERE id = ?', [createdAt, id]);
  }
  const csvRows = (text: string) => parse(text, { bom: true });

  async function actor(role: Role, displayName: string): Promise<Actor> {
    const user = await createUser(app, { role, displayName });
    return { id: user.id, name: displayName, token: await tokenFor(app, user) };
  }

  /** Leases the contact to the operator (it is the only one waiting) and returns its id. */
  async function lease(op: Actor, contact: Partial<Contact> = {}, campaignId = campaign.id) {
    const c = await createContact(app, campaignId, contact);
    const res = await http().post('/api/v1/work/next').set(as(op)).send({ campaignId }).expect(200);
    expect(res.body.contact.id).toBe(c.id);
    return c.id;
  }

  const confirm = (op: Actor, contactId: number, body: object) =>
    http()
      .post(`/api/v1/work/${contactId}/outcome`)
      .set(as(op))
      .send({ statusId: sale.id, cart: [{ productId: fibra.id, quantity: 1 }], ...body });

  /** A whole close through the operator's API: lease, confirm C with the cart. */
  async function close(
    op: Actor = operator,
    options: { contact?: Partial<Contact>; body?: object; campaignId?: number } = {},
  ): Promise<Closed> {
    const contactId = await lease(op, options.contact, options.campaignId);
    const res = await confirm(op, contactId, options.body ?? {}).expect(201);
    const contract = res.body.contract as Omit<Closed, 'contactId' | 'interactionId'>;
    return { ...contract, contactId, interactionId: res.body.interactionId as number };
  }

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(new Date('2026-11-30T10:00:00Z'));
    await resetDatabase(app);
    operator = await actor('operator', 'Anna Operatrice');
    otherOperator = await actor('operator', 'Bruno Operatore');
    backoffice = await actor('backoffice', 'Carla Backoffice');
    coordinator = await actor('coordinator', 'Dario Coordinatore');
    admin = await actor('admin', 'Elena Admin');
    sale = await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C' });
    flexibleSale = await createStatus(app, {
      code: 'OKPREZZO',
      label: 'Vendita a prezzo concordato',
      type: 'C',
      allowPriceOverride: true,
    });
    fibra = await createProduct(app, { code: 'FIBRA', unitPrice: '19.90', vatRate: '22.00' });
    modem = await createProduct(app, { code: 'MODEM', unitPrice: '0.10', vatRate: '22.00' });
    campaign = await createCampaign(
      app,
      { code: 'ENERGIA', name: 'Energia casa' },
      {
        statusIds: [sale.id, flexibleSale.id],
        productIds: [fibra.id, modem.id],
        operatorIds: [operator.id, otherOperator.id],
      },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('GET /contracts', () => {
    it('lists newest first with totals, campaign, operator and customer', async () => {
      const first = await close(operator, {
        contact: { firstName: 'Mario', lastName: 'Rossi', phone: mobile(1) },
        body: { cart: [{ productId: fibra.id, quantity: 2 }] },
      });
      const second = await close(otherOperator, { contact: { lastName: 'Bianchi' } });
      const res = await list(backoffice).expect(200);
      expect(numbers(res.body)).toEqual([second.protocolNumber, first.protocolNumber]);
      expect(res.body.next).toBeNull();
      // 2 x 19.90 = 39.80, VAT 8.756 -> 8.76
      expect(res.body.items[1]).toEqual({
        id: first.id,
        protocolNumber: '2026/000001',
        status: 'new',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        campaign: { id: campaign.id, code: 'ENERGIA', name: 'Energia casa' },
        operator: { id: operator.id, name: 'Anna Operatrice' },
        customer: { firstName: 'Mario', lastName: 'Rossi', phone: mobile(1) },
        totalNet: '39.80',
        totalVat: '8.76',
        total: '48.56',
      });
      expect(res.body.items[0]).toMatchObject({
        protocolNumber: '2026/000002',
        operator: { id: otherOperator.id, name: 'Bruno Operatore' },
      });
    });

    it('filters by status, campaign, operator and dates (a day is a day in Rome, to included)', async () => {
      const other = await createCampaign(
        app,
        { code: 'TELCO' },
        { statusIds: [sale.id], productIds: [fibra.id], operatorIds: [operator.id] },
      );
      const early = await close(operator);
      const middle = await close(otherOperator);
      const late = await close(operator, { campaignId: other.id });
      await closedAt(early.id, '2026-11-01 09:00:00');
      // 23:30 UTC on the 14th is already the 15th in Rome.
      await closedAt(middle.id, '2026-11-14 23:30:00');
      await closedAt(late.id, '2026-11-30 10:00:00');
      await move(backoffice, middle.id, { status: 'verified' }).expect(200);

      const expectNumbers = async (query: Record<string, string | number>, expected: Closed[]) => {
        const res = await list(backoffice, query).expect(200);
        expect(numbers(res.body)).toEqual(expected.map((c) => c.protocolNumber));
      };
      await expectNumbers({}, [late, middle, early]);
      await expectNumbers({ status: 'verified' }, [middle]);
      await expectNumbers({ status: 'new' }, [late, early]);
      await expectNumbers({ campaignId: other.id }, [late]);
      await expectNumbers({ operatorId: operator.id }, [late, early]);
      await expectNumbers({ operatorId: otherOperator.id, status: 'new' }, []);
      await expectNumbers({ from: '2026-11-15' }, [late, middle]);
      await expectNumbers({ to: '2026-11-14' }, [early]);
      await expectNumbers({ from: '2026-11-02', to: '2026-11-15' }, [middle]);
      await expectNumbers({ from: '2026-11-14T23:30:00Z' }, [late, middle]);
      await expectNumbers({ to: '2026-11-14T23:30:00Z' }, [early]);
      await expectNumbers({ from: '2026-11-01T10:00:00+01:00', to: '2026-11-01T10:00:01+01:00' }, [
        early,
      ]);
    });

    it('searches by protocol number, phone (exact or its first digits) and last name', async () => {
      const rossi = await close(operator, {
        contact: { lastName: 'Rossi', phone: mobile(1234567) },
      });
      const rossetti = await close(operator, {
        contact: { lastName: 'Rossetti', phone: '+393471234567' },
      });
      const bianchi = await close(operator, {
        contact: { lastName: 'Bianchi', phone: mobile(1234999) },
      });
      const search = async (q: string) => numbers((await list(backoffice, { q }).expect(200)).body);
      expect(await search(rossetti.protocolNumber)).toEqual([rossetti.protocolNumber]);
      expect(await search(' 2026/000003 ')).toEqual([bianchi.protocolNumber]);
      // Typed the way a customer says it: national, spaced.
      expect(await search('333 123 4567')).toEqual([rossi.protocolNumber]);
      expect(await search('+39 333 1234567')).toEqual([rossi.protocolNumber]);
      expect(await search('3331234')).toEqual([bianchi.protocolNumber, rossi.protocolNumber]);
      expect(await search('ross')).toEqual([rossetti.protocolNumber, rossi.protocolNumber]);
      expect(await search('Rossi')).toEqual([rossi.protocolNumber]);
      expect(await search('Verdi')).toEqual([]);
      // Wildcards are taken literally.
      expect(await search('%')).toEqual([]);
      expect(await search('2026/999999')).toEqual([]);
    });

    it('walks every page once with the opaque cursor, newest first, ties broken by id', async () => {
      const closed: Closed[] = [];
      for (let i = 0; i < 7; i++) closed.push(await close(i % 2 ? otherOperator : operator));
      // Three closed in the same second: the id decides their order.
      for (const c of closed.slice(2, 5)) await closedAt(c.id, '2026-11-30 10:00:00');
      const expected = (await db.getRepository(Contract).find())
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
        .map((c) => c.protocolNumber);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { limit: 3 };
        if (after) query.after = after;
        const res = await list(backoffice, query).expect(200);
        const body = res.body as ListBody;
        expect(body.items.length).toBeLessThanOrEqual(3);
        seen.push(...numbers(body));
        after = body.next;
        pages += 1;
      } while (after !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(7);
      // Filters hold across pages.
      const mine = await list(backoffice, { operatorId: operator.id, limit: 2 }).expect(200);
      const rest = await list(backoffice, {
        operatorId: operator.id,
        limit: 2,
        after: mine.body.next,
      }).expect(200);
      expect([...numbers(mine.body), ...numbers(rest.body)]).toHaveLength(4);
      expect(rest.body.next).toBeNull();
    });

    it('answers 400 naming the field for a bad status, date, id, limit or cursor', async () => {
      const cases: Array<[Record<string, string>, RegExp]> = [
        [
          { status: 'done' },
          /^status must be one of: new, verified, suspended, activated, cancelled/,
        ],
        [{ from: '2026-13-01' }, /^from must be a date/],
        [{ from: '2026-02-30' }, /^from must be a date/],
        [{ from: 'ieri' }, /^from must be a date/],
        [{ to: '2026-11-30T10:00' }, /^to must be a date/],
        [{ from: '2026-11-30', to: '2026-11-01' }, /^to must be after from/],
        [{ campaignId: 'abc' }, /^campaignId must be a positive integer/],
        [{ operatorId: '0' }, /^operatorId must be a positive integer/],
        [{ limit: '0' }, /^limit must be a whole number from 1 to 200/],
        [{ limit: '201' }, /^limit must be/],
        [{ limit: '1.5' }, /^limit must be/],
        [{ after: 'not-a-cursor' }, /^after is not a cursor/],
        [{ after: Buffer.from('["x",1]').toString('base64url') }, /^after is not a cursor/],
        [{ q: 'x'.repeat(101) }, /^q must be at most 100/],
      ];
      for (const [query, message] of cases) {
        const res = await list(backoffice, query).expect(400);
        expect(res.body.message).toMatch(message);
      }
      const twice = await http()
        .get('/api/v1/contracts?status=new&status=verified')
        .set(as(backoffice))
        .expect(400);
      expect(twice.body.message).toBe('status must be given once');
    });
  });

  describe('GET /contracts/:id', () => {
    it('gives the lines, the customer snapshot, the call it came from and the history', async () => {
      const closed = await close(operator, {
        contact: { firstName: 'Maria', lastName: 'Verdi', city: 'Forlì', phone: mobile(7) },
        body: {
          notes: 'vuole la fattura elettronica',
          cart: [
            { productId: fibra.id, quantity: 3 },
            { productId: modem.id, quantity: 1 },
          ],
        },
      });
      clock.set(new Date('2026-11-30T11:00:00Z'));
      await move(backoffice, closed.id, { status: 'verified', reason: ' documenti ok ' }).expect(
        200,
      );
      const res = await detail(backoffice, closed.id).expect(200);
      expect(res.body).toEqual({
        id: closed.id,
        protocolNumber: '2026/000001',
        status: 'verified',
        createdAt: expect.any(String),
        statusChangedAt: expect.stringMatching(/^2026-11-30T11:00:0/),
        contactId: closed.contactId,
        campaign: { id: campaign.id, code: 'ENERGIA', name: 'Energia casa' },
        operator: { id: operator.id, name: 'Anna Operatrice' },
        customer: {
          firstName: 'Maria',
          lastName: 'Verdi',
          phone: mobile(7),
          email: null,
          city: 'Forlì',
          province: null,
        },
        // 3 x 19.90 = 59.70, VAT 13.134 -> 13.13; 0.10, VAT 0.022 -> 0.02
        totalNet: '59.80',
        totalVat: '13.15',
        total: '72.95',
        lines: [
          {
            code: 'FIBRA',
            name: fibra.name,
            unitPrice: '19.90',
            vatRate: '22.00',
            quantity: 3,
            net: '59.70',
            vat: '13.13',
            total: '72.83',
            priceOverridden: false,
          },
          {
            code: 'MODEM',
            name: modem.name,
            unitPrice: '0.10',
            vatRate: '22.00',
            quantity: 1,
            net: '0.10',
            vat: '0.02',
            total: '0.12',
            priceOverridden: false,
          },
        ],
        // No step of this campaign fills a contract field (contract-fields.e2e-spec.ts does).
        fields: [],
        interaction: {
          id: closed.interactionId,
          startedAt: '2026-11-30T10:00:00.000Z',
          durationSeconds: 0,
          notes: 'vuole la fattura elettronica',
        },
        history: [
          {
            from: null,
            to: 'new',
            reason: null,
            reasonCode: null,
            reasonLabel: null,
            at: '2026-11-30T10:00:00.000Z',
            user: { id: operator.id, name: 'Anna Operatrice' },
          },
          {
            from: 'new',
            to: 'verified',
            reason: 'documenti ok',
            reasonCode: null,
            reasonLabel: null,
            at: '2026-11-30T11:00:00.000Z',
            user: { id: backoffice.id, name: 'Carla Backoffice' },
          },
        ],
      });
    });

    it('answers 404 for an unknown contract and 400 for an id that is not one', async () => {
      const missing = await detail(backoffice, 999999).expect(404);
      expect(missing.body.message).toBe('contract 999999 not found');
      const bad = await detail(backoffice, 'abc').expect(400);
      expect(bad.body.message).toMatch(/^id must be a positive integer/);
    });
  });

  describe('who sees what', () => {
    it('an operator sees only the contracts they closed; any other is a 404, never a 403', async () => {
      const mine = await close(operator);
      const theirs = await close(otherOperator);
      const own = await list(operator).expect(200);
      expect(numbers(own.body)).toEqual([mine.protocolNumber]);
      // Asking for a colleague's contracts gives none, not theirs.
      const asked = await list(operator, { operatorId: otherOperator.id }).expect(200);
      expect(asked.body.items).toEqual([]);
      const byNumber = await list(operator, { q: theirs.protocolNumber }).expect(200);
      expect(byNumber.body.items).toEqual([]);
      await detail(operator, mine.id).expect(200);
      const hidden = await detail(operator, theirs.id).expect(404);
      const unknown = await detail(operator, 999999).expect(404);
      expect(hidden.body.message).toBe(`contract ${theirs.id} not found`);
      expect(unknown.body.message).toBe('contract 999999 not found');
    });

    it('operators may not change a status (403) nor export; backoffice, coordinators and admins may all', async () => {
      const closed = await close(operator);
      const refused = await move(operator, closed.id, { status: 'verified' }).expect(403);
      expect(refused.body.message).toMatch(/^role "operator" may not do this/);
      await exportCsv(operator).expect(403);
      for (const staff of [backoffice, coordinator, admin]) {
        await list(staff).expect(200);
        await detail(staff, closed.id).expect(200);
        await exportCsv(staff).expect(200);
      }
      await move(backoffice, closed.id, { status: 'verified' }).expect(200);
      await move(coordinator, closed.id, { status: 'activated' }).expect(200);
      const other = await close(operator);
      await move(admin, other.id, { status: 'cancelled', reason: 'doppione' }).expect(200);
      await http().get('/api/v1/contracts').expect(401);
      await http().get(`/api/v1/contracts/${closed.id}`).expect(401);
    });
  });

  describe('POST /contracts/:id/status', () => {
    it('walks new → verified → activated, recording who and when each time', async () => {
      const closed = await close(operator);
      clock.set(new Date('2026-12-01T09:00:00Z'));
      const verified = await move(backoffice, closed.id, { status: 'verified' }).expect(200);
      expect(verified.body).toMatchObject({
        id: closed.id,
        status: 'verified',
        statusChangedAt: '2026-12-01T09:00:00.000Z',
        protocolNumber: closed.protocolNumber,
      });
      clock.set(new Date('2026-12-02T09:00:00Z'));
      const activated = await move(coordinator, closed.id, { status: 'activated' }).expect(200);
      expect(activated.body.status).toBe('activated');
      expect(
        activated.body.history.map((h: { from: string; to: string; user: { id: number } }) => [
          h.from,
          h.to,
          h.user.id,
        ]),
      ).toEqual([
        [null, 'new', operator.id],
        ['new', 'verified', backoffice.id],
        ['verified', 'activated', coordinator.id],
      ]);
      const stored = await db.getRepository(Contract).findOneByOrFail({ id: closed.id });
      expect(stored.status).toBe('activated');
      expect(stored.statusChangedAt?.toISOString()).toBe('2026-12-02T09:00:00.000Z');
    });

    it('cancels from new or verified only with a reason, and a cancelled contract keeps its number', async () => {
      const fresh = await close(operator);
      const checked = await close(operator);
      for (const reason of [undefined, '', '   ']) {
        const res = await move(backoffice, fresh.id, { status: 'cancelled', reason }).expect(400);
        expect(res.body.message).toBe('reason: a cancellation needs a reason');
      }
      const tooLong = await move(backoffice, fresh.id, {
        status: 'cancelled',
        reason: 'x'.repeat(501),
      }).expect(400);
      expect(JSON.stringify(tooLong.body.message)).toContain('reason');
      const cancelled = await move(backoffice, fresh.id, {
        status: 'cancelled',
        reason: 'il cliente ha cambiato idea',
      }).expect(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        protocolNumber: fresh.protocolNumber,
      });
      expect(cancelled.body.history[1]).toMatchObject({
        from: 'new',
        to: 'cancelled',
        reason: 'il cliente ha cambiato idea',
      });
      await move(backoffice, checked.id, { status: 'verified' }).expect(200);
      await move(backoffice, checked.id, { status: 'cancelled', reason: 'firma mancante' }).expect(
        200,
      );
      const res = await list(backoffice, { status: 'cancelled' }).expect(200);
      expect(numbers(res.body)).toEqual([checked.protocolNumber, fresh.protocolNumber]);
      // The number is not given again: the next close draws the next one.
      const next = await close(operator);
      expect(next.protocolNumber).toBe('2026/000003');
    });

    it('refuses every other move with a 409 naming the current and the requested status', async () => {
      const reached: Record<ContractState, Closed> = {
        new: await close(operator),
        verified: await close(operator),
        suspended: await close(operator),
        activated: await close(operator),
        cancelled: await close(operator),
      };
      await move(backoffice, reached.verified.id, { status: 'verified' }).expect(200);
      await seedDemoContractReasons(db.manager);
      await move(backoffice, reached.suspended.id, {
        status: 'suspended',
        reasonCode: 'documents_missing',
      }).expect(200);
      await move(backoffice, reached.activated.id, { status: 'verified' }).expect(200);
      await move(backoffice, reached.activated.id, { status: 'activated' }).expect(200);
      await move(backoffice, reached.cancelled.id, { status: 'cancelled', reason: 'x' }).expect(
        200,
      );
      const historyBefore = await db.getRepository(ContractStatusChange).count();
      let refusals = 0;
      for (const from of CONTRACT_STATES) {
        for (const to of CONTRACT_STATES) {
          if (LEGAL[from].includes(to)) continue;
          const res = await move(backoffice, reached[from].id, {
            status: to,
            reason: 'prova',
          }).expect(409);
          expect(res.body.message).toMatch(
            new RegExp(
              `^status: contract ${reached[from].protocolNumber.replace('/', '\\/')} is ${from} and cannot become ${to} \\(`,
            ),
          );
          refusals += 1;
        }
      }
      expect(refusals).toBe(16);
      expect(await db.getRepository(ContractStatusChange).count()).toBe(historyBefore);
      for (const state of CONTRACT_STATES) {
        const stored = await db.getRepository(Contract).findOneByOrFail({ id: reached[state].id });
        expect(stored.status).toBe(state);
      }
    });

    it('checks its body and the id (400 naming the field, 404 unknown)', async () => {
      const closed = await close(operator);
      const bad = await move(backoffice, closed.id, { status: 'archived' }).expect(400);
      expect(bad.body.message).toEqual([
        'status must be one of: new, verified, suspended, activated, cancelled',
      ]);
      const missing = await move(backoffice, closed.id, {}).expect(400);
      expect(missing.body.message).toEqual(['status is required']);
      const extra = await move(backoffice, closed.id, { status: 'verified', by: 'me' }).expect(400);
      expect(JSON.stringify(extra.body.message)).toContain('by');
      await move(backoffice, 999999, { status: 'verified' }).expect(404);
      await http()
        .post('/api/v1/contracts/abc/status')
        .set(as(backoffice))
        .send({ status: 'verified' })
        .expect(400);
    });
  });

  describe('GET /contracts/export.csv', () => {
    it('streams the filtered contracts as CSV with a BOM, formula-like text defused, dot decimals', async () => {
      const plain = await close(operator, {
        contact: { firstName: 'Luca', lastName: 'Neri', phone: mobile(11) },
        body: { cart: [{ productId: fibra.id, quantity: 2 }] },
      });
      const sly = await close(otherOperator, {
        contact: { firstName: '@SUM(A1)', lastName: '=HYPERLINK("http://x")', phone: mobile(12) },
      });
      await closedAt(plain.id, '2026-07-01 08:30:00');
      await closedAt(sly.id, '2026-08-01 08:30:00');
      await move(backoffice, sly.id, { status: 'verified' }).expect(200);

      const res = await exportCsv(backoffice).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="contracts-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(res.text.startsWith('\uFEFF')).toBe(true);
      const rows = csvRows(res.text);
      expect(rows[0]).toEqual([
        'protocolNumber',
        'date',
        'timezone',
        'status',
        'campaignCode',
        'campaignName',
        'operator',
        'firstName',
        'lastName',
        'phone',
        'totalNet',
        'totalVat',
        'total',
        'fiscalCode',
        'vatNumber',
        'iban',
        'supplyAddress',
        'pod',
        'pdr',
        'documentNumber',
        'customFields',
      ]);
      expect(rows).toHaveLength(3);
      expect(rows[1]!.slice(3, 10)).toEqual([
        'verified',
        'ENERGIA',
        'Energia casa',
        'Bruno Operatore',
        "'@SUM(A1)",
        `'=HYPERLINK("http://x")`,
        mobile(12),
      ]);
      // 08:30 UTC in July is 10:30 in Rome (summer time).
      expect(rows[2]).toEqual([
        '2026/000001',
        '2026-07-01 10:30',
        'Europe/Rome',
        'new',
        'ENERGIA',
        'Energia casa',
        'Anna Operatrice',
        'Luca',
        'Neri',
        mobile(11),
        '39.80',
        '8.76',
        '48.56',
        // No contract field was captured.
        ...Array<string>(8).fill(''),
      ]);

      const verified = csvRows(
        (await exportCsv(backoffice, { status: 'verified' }).expect(200)).text,
      );
      expect(verified.slice(1).map((r) => r[0])).toEqual([sly.protocolNumber]);
      const found = csvRows((await exportCsv(coordinator, { q: 'Neri' }).expect(200)).text);
      expect(found.slice(1).map((r) => r[0])).toEqual([plain.protocolNumber]);
      const none = csvRows((await exportCsv(admin, { from: '2027-01-01' }).expect(200)).text);
      expect(none).toHaveLength(1);
      const bad = await exportCsv(backoffice, { status: 'nuovo' }).expect(400);
      expect(bad.body.message).toMatch(/^status must be one of/);
    });
  });

  describe('the close (type C) behind the contracts', () => {
    it('records the price an allowed status lets the operator set, and flags it', async () => {
      const closed = await close(operator, {
        body: {
          statusId: flexibleSale.id,
          cart: [
            { productId: fibra.id, quantity: 2, unitPrice: '15' },
            { productId: modem.id, quantity: 1, unitPrice: '0.1' },
          ],
        },
      });
      // 2 x 15.00 = 30.00, VAT 6.60; the modem at its own price (however written) is no change.
      expect(closed.total).toBe('36.72');
      const lines = await db
        .getRepository(ContractLine)
        .find({ where: { contractId: closed.id }, order: { id: 'ASC' } });
      expect(lines.map((l) => [l.code, l.unitPrice, l.priceOverridden, l.net, l.vat])).toEqual([
        ['FIBRA', '15.00', true, '30.00', '6.60'],
        ['MODEM', '0.10', false, '0.10', '0.02'],
      ]);
      const free = await close(operator, {
        body: {
          statusId: flexibleSale.id,
          cart: [{ productId: fibra.id, quantity: 1, unitPrice: '0' }],
        },
      });
      expect(free.total).toBe('0.00');
      const shown = await detail(backoffice, closed.id).expect(200);
      expect(shown.body.lines[0]).toMatchObject({ unitPrice: '15.00', priceOverridden: true });
    });

    it('refuses a changed price when the status does not allow it (400 naming the line), and a bad price', async () => {
      const contactId = await lease(operator);
      const refused = await confirm(operator, contactId, {
        cart: [
          { productId: modem.id, quantity: 1 },
          { productId: fibra.id, quantity: 1, unitPrice: '15.00' },
        ],
      }).expect(400);
      expect(refused.body.message).toBe(
        'cart.1.unitPrice: status OK does not allow changing the price of FIBRA (19.90)',
      );
      for (const unitPrice of [
        19.9,
        '-1.00',
        '1.234',
        'abc',
        '1e3',
        '',
        '100000000.00',
        ' 19.90',
      ]) {
        const res = await confirm(operator, contactId, {
          statusId: flexibleSale.id,
          cart: [{ productId: fibra.id, quantity: 1, unitPrice }],
        }).expect(400);
        expect(res.body.message).toEqual([expect.stringMatching(/^cart\.0\.unitPrice must be/)]);
      }
      // More than DECIMAL(12,2) can hold is a 400 too, not a database error.
      const huge = await confirm(operator, contactId, {
        statusId: flexibleSale.id,
        cart: [{ productId: fibra.id, quantity: 999, unitPrice: '99999999.99' }],
      }).expect(400);
      expect(huge.body.message).toMatch(/^cart\.0\.quantity: 999 x 99999999\.99 comes to more/);
      expect(await db.getRepository(Contract).count()).toBe(0);
      // The catalogue price, even written by the operator, is no change.
      const same = await confirm(operator, contactId, {
        cart: [{ productId: fibra.id, quantity: 1, unitPrice: '19.9' }],
      }).expect(201);
      expect(same.body.contract.protocolNumber).toBe('2026/000001');
    });

    it('lets admins set the price-override flag on close statuses only', async () => {
      const created = await http()
        .post('/api/v1/outcome-statuses')
        .set(as(admin))
        .send({
          code: 'VENDLIB',
          label: 'Vendita prezzo libero',
          type: 'C',
          color: '#2E7D32',
          allowPriceOverride: true,
        })
        .expect(201);
      expect(created.body.allowPriceOverride).toBe(true);
      const off = await http()
        .patch(`/api/v1/outcome-statuses/${created.body.id}`)
        .set(as(admin))
        .send({ allowPriceOverride: false })
        .expect(200);
      expect(off.body.allowPriceOverride).toBe(false);
      const wrong = await http()
        .post('/api/v1/outcome-statuses')
        .set(as(admin))
        .send({ code: 'NR2', label: 'No', type: 'N', color: '#000000', allowPriceOverride: true })
        .expect(400);
      expect(wrong.body.message).toBe(
        'allowPriceOverride is only allowed for type C (online close) statuses',
      );
      const becomesN = await http()
        .patch(`/api/v1/outcome-statuses/${sale.id}`)
        .set(as(admin))
        .send({ type: 'N' })
        .expect(200);
      expect(becomesN.body).not.toHaveProperty('allowPriceOverride');
    });

    it('refuses a bad cart with a 400 naming the field, writing nothing and drawing no number', async () => {
      const inactive = await createProduct(app, { code: 'OLD', active: false });
      await db.query('INSERT INTO campaign_products (campaign_id, product_id) VALUES (?, ?)', [
        campaign.id,
        inactive.id,
      ]);
      const contactId = await lease(operator);
      const refusals: Array<[object, string]> = [
        [{ cart: undefined }, 'cart'],
        [{ cart: [] }, 'cart'],
        [{ cart: [{ productId: 99999, quantity: 1 }] }, 'cart.0.productId'],
        [{ cart: [{ productId: inactive.id, quantity: 1 }] }, 'cart.0.productId'],
        [{ cart: [{ productId: fibra.id, quantity: 0 }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: fibra.id, quantity: 1.5 }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: fibra.id, quantity: 1000 }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: fibra.id, quantity: '2' }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: fibra.id }] }, 'cart.0.quantity'],
        [{ cart: [{ productId: 'x', quantity: 1 }] }, 'cart.0.productId'],
        [{ cart: { productId: fibra.id, quantity: 1 } }, 'cart'],
      ];
      for (const [body, field] of refusals) {
        const res = await confirm(operator, contactId, body).expect(400);
        const message = JSON.stringify(res.body.message);
        expect(message).toContain(field);
      }
      expect(await db.getRepository(Contract).count()).toBe(0);
      expect(await db.getRepository(ProtocolCounter).count()).toBe(0);
      const ok = await confirm(operator, contactId, {}).expect(201);
      expect(ok.body.contract.protocolNumber).toBe('2026/000001');
    });
  });

  describe('protocol numbers', () => {
    it("follow the campaign's year: the same instant is 2027 in Rome and still 2026 in New York", async () => {
      const newYork = await createCampaign(
        app,
        { timezone: 'America/New_York' },
        { statusIds: [sale.id], productIds: [fibra.id], operatorIds: [operator.id] },
      );
      clock.set(new Date('2026-12-31T23:30:00Z'));
      const rome = await close(operator);
      const ny = await close(operator, { campaignId: newYork.id });
      expect([rome.protocolNumber, ny.protocolNumber]).toEqual(['2027/000001', '2026/000001']);
    });

    it('are written as PROTOCOL_FORMAT says, the count going on', async () => {
      const config = app.get(ConfigService);
      const first = await close(operator);
      try {
        config.set('PROTOCOL_FORMAT', 'ES-YYYY-NNNNNNN');
        const second = await close(operator);
        expect([first.protocolNumber, second.protocolNumber]).toEqual([
          '2026/000001',
          'ES-2026-0000002',
        ]);
        const found = await list(backoffice, { q: 'ES-2026-0000002' }).expect(200);
        expect(numbers(found.body)).toEqual(['ES-2026-0000002']);
      } finally {
        config.set('PROTOCOL_FORMAT', 'YYYY/NNNNNN');
      }
    });

    it('leave no gap when the close fails after its number was drawn: the next close takes it', async () => {
      // A real failure inside the outcome's transaction, after ContractWriter drew the number
      // and inserted the contract: the outcome inserts its interaction last, and a trigger
      // refuses that row when its notes say so (SIGNAL on MySQL, RAISE(ABORT) on SQLite).
      const trigger = 'test_fail_interaction_after_draw';
      const marker = 'FAIL AFTER THE DRAW';
      await db.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      await db.query(
        isMysqlRun()
          ? `CREATE TRIGGER ${trigger} BEFORE INSERT ON interactions FOR EACH ROW
             IF NEW.notes = '${marker}' THEN
               SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'forced failure after the draw';
             END IF`
          : `CREATE TRIGGER ${trigger} BEFORE INSERT ON interactions
             WHEN NEW.notes = '${marker}'
             BEGIN SELECT RAISE(ABORT, 'forced failure after the draw'); END`,
      );
      try {
        const first = await close(operator);
        const contactId = await lease(operator);
        await confirm(operator, contactId, { notes: marker }).expect(500);
        // Nothing of the failed close stayed: no contract, line, history, interaction, number.
        expect(await db.getRepository(Contract).count()).toBe(1);
        expect(await db.getRepository(ContractLine).count()).toBe(1);
        expect(await db.getRepository(ContractStatusChange).count()).toBe(1);
        expect(await db.getRepository(Interaction).countBy({ contactId })).toBe(0);
        expect(await db.getRepository(ProtocolCounter).findOneByOrFail({ year: 2026 })).toEqual({
          year: 2026,
          lastNumber: 1,
        });
        // The operator still holds the contact and confirms it again.
        expect(await db.getRepository(ContactLease).countBy({ contactId })).toBe(1);
        const again = await confirm(operator, contactId, { notes: 'seconda prova' }).expect(201);
        expect([first.protocolNumber, again.body.contract.protocolNumber]).toEqual([
          '2026/000001',
          '2026/000002',
        ]);
      } finally {
        await db.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      }
    });

    it('200 operators closing at once get 200 different, consecutive numbers in commit order', async () => {
      const count = 200;
      // Straight to the database with tokens issued by the service: 200 password hashes
      // would take longer than the race itself.
      const users = await db.getRepository(User).save(
        Array.from({ length: count }, (_, i) => ({
          username: `race${i}`,
          passwordHash: 'not-used',
          displayName: `Operatore ${i}`,
          role: 'operator' as const,
          languages: null,
          uiLanguage: null,
          active: true,
          lastLoginAt: null,
        })),
      );
      const auth = app.get(AuthService);
      const desks: Actor[] = [];
      for (const user of users) {
        const issued = await auth.issueToken(user);
        desks.push({ id: user.id, name: user.displayName, token: issued.token });
      }
      await db.query(
        `INSERT INTO campaign_operators (campaign_id, user_id) VALUES ${users.map(() => '(?, ?)').join(', ')}`,
        users.flatMap((u) => [campaign.id, u.id]),
      );
      for (let i = 0; i < count; i++) await createContact(app, campaign.id);
      // Every desk takes a contact (in groups, as a shift starts), then all confirm at once.
      const held = new Map<number, number>();
      for (let i = 0; i < count; i += 25) {
        const group = desks.slice(i, i + 25);
        const answers = await Promise.all(
          group.map((d) =>
            http().post('/api/v1/work/next').set(as(d)).send({ campaignId: campaign.id }),
          ),
        );
        answers.forEach((res, j) => {
          expect(res.status).toBe(200);
          held.set(group[j]!.id, res.body.contact.id as number);
        });
      }
      expect(new Set(held.values()).size).toBe(count);
      const results = await Promise.all(
        desks.map((d) =>
          confirm(d, held.get(d.id)!, { cart: [{ productId: modem.id, quantity: 1 }] }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(count).fill(201));

      const contracts = await db.getRepository(Contract).find({ order: { id: 'ASC' } });
      expect(contracts).toHaveLength(count);
      const expected = Array.from(
        { length: count },
        (_, i) => `2026/${String(i + 1).padStart(6, '0')}`,
      );
      // Unique and consecutive with no gap...
      expect(contracts.map((c) => c.protocolNumber).sort()).toEqual(expected);
      // ...and in the order the contracts were written (each drew, inserted and committed
      // while holding the counter row, so the auto-increment id follows the same order).
      expect(contracts.map((c) => c.protocolNumber)).toEqual(expected);
      expect(await db.getRepository(ProtocolCounter).findOneByOrFail({ year: 2026 })).toEqual({
        year: 2026,
        lastNumber: count,
      });
      expect(await db.getRepository(ContractStatusChange).count()).toBe(count);
      const page = await list(backoffice, { limit: 200 }).expect(200);
      expect(new Set(numbers(page.body)).size).toBe(count);
    }, 300_000);
  });
});
