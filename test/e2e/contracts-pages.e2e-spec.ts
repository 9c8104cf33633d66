import { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Clock } from '../../src/common/time/clock';
import { Contract } from '../../src/contracts/contract.entity';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { Product } from '../../src/products/product.entity';
import { createCampaign, createProduct, createStatus } from '../factories/catalogue.factory';
import { createContact, mobile } from '../factories/contact.factory';
import { createUser, TestUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface Closed {
  id: number;
  protocolNumber: string;
}

describe('Contract pages (backoffice list, contract page, status actions, export)', () => {
  let app: NestExpressApplication;
  let clock: Clock;
  let operator: TestUser;
  let operatorToken: string;
  let backoffice: TestUser;
  let browser: TestAgent;
  let campaign: Campaign;
  let sale: OutcomeStatus;
  let fibra: Product;
  let modem: Product;
  const http = () => request(app.getHttpServer());
  const contracts = () => app.get(DataSource).getRepository(Contract);

  /** A close through the operator's API: lease the only waiting contact, confirm C with a cart. */
  async function close(
    contact: { firstName?: string; lastName?: string; phone?: string } = {},
    cart = [{ productId: fibra.id, quantity: 1 }],
    notes?: string,
    createdAt = '2026-11-30 10:00:00',
  ): Promise<Closed> {
    const created = await createContact(app, campaign.id, contact);
    const auth = { Authorization: `Bearer ${operatorToken}` };
    const next = await http()
      .post('/api/v1/work/next')
      .set(auth)
      .send({ campaignId: campaign.id })
      .expect(200);
    expect(next.body.contact.id).toBe(created.id);
    const res = await http()
      .post(`/api/v1/work/${created.id}/outcome`)
      .set(auth)
      .send({ statusId: sale.id, cart, notes })
      .expect(201);
    const contract = res.body.contract as Closed;
    // created_at is the database's clock: place the contract in time (UTC) explicitly.
    await app
      .get(DataSource)
      .query('UPDATE contracts SET created_at = ? WHERE id = ?', [createdAt, contract.id]);
    return contract;
  }

  /** An attribute as a browser reads it (handlebars escapes `=` and `&`). */
  const attribute = (value: string | undefined) =>
    value?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

  /** Posts a status form from the contract page like a browser; returns the 303's target. */
  async function act(id: number, fields: Record<string, string>): Promise<string> {
    const page = await browser.get(`/contracts/${id}`).expect(200);
    const res = await browser
      .post(`/contracts/${id}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields })
      .expect(303);
    return String(res.headers.location);
  }

  beforeAll(async () => {
    app = await createTestApp();
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(new Date('2026-11-30T10:00:00Z'));
    await resetDatabase(app);
    operator = await createUser(app, { role: 'operator', displayName: 'Anna Operatrice' });
    operatorToken = await tokenFor(app, operator);
    backoffice = await createUser(app, { role: 'backoffice', displayName: 'Carla Backoffice' });
    sale = await createStatus(app, { code: 'OK', label: 'Vendita', type: 'C' });
    fibra = await createProduct(app, {
      code: 'FIBRA',
      name: 'Fibra casa',
      unitPrice: '19.90',
      vatRate: '22.00',
    });
    modem = await createProduct(app, {
      code: 'MODEM',
      name: 'Modem',
      unitPrice: '49.00',
      vatRate: '22.00',
    });
    campaign = await createCampaign(
      app,
      { code: 'ENERGIA', name: 'Energia casa' },
      { statusIds: [sale.id], productIds: [fibra.id, modem.id], operatorIds: [operator.id] },
    );
    browser = await signedInAgent(app, backoffice);
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  describe('GET /contracts', () => {
    it('lists newest first with date in the campaign zone, status badge, operator, customer and total', async () => {
      const first = await close({ firstName: 'Mario', lastName: 'Rossi', phone: mobile(1) }, [
        { productId: fibra.id, quantity: 2 },
        { productId: modem.id, quantity: 1 },
      ]);
      const second = await close({ firstName: 'Lucia', lastName: 'Bianchi', phone: mobile(2) });
      const page = await browser.get('/contracts').expect(200);
      expect(page.text).toContain('<h1>Contratti</h1>');
      expect(page.text).toContain('href="/contracts" class="nav-link active"');
      expect(page.text.indexOf(second.protocolNumber)).toBeLessThan(
        page.text.indexOf(first.protocolNumber),
      );
      expect(page.text).toContain(`<a class="ctr-protocol" href="/contracts/${first.id}">`);
      // 10:00 UTC is 11:00 in Rome (the campaign's zone, the default one: not repeated).
      expect(page.text).toContain('lun 30/11/2026, 11:00');
      expect(page.text).toContain('<span class="ctr-status ctr-status-new">Nuovo</span>');
      expect(page.text).toContain('Energia casa');
      expect(page.text).toContain('Anna Operatrice');
      expect(page.text).toContain('Rossi Mario');
      // 2 x 19.90 + 49.00 = 88.80 net, 19.54 VAT
      expect(page.text).toContain('108,34\u00a0€');
      expect(page.text).toContain('href="/contracts/export.csv"');
    });

    it('applies the filters and the search, and keeps them in the export link', async () => {
      const rossi = await close({ lastName: 'Rossi', phone: mobile(1) });
      const bianchi = await close({ lastName: 'Bianchi', phone: mobile(2) });
      const verdi = await close({ lastName: 'Verdi', phone: mobile(3) });
      expect(await act(bianchi.id, { status: 'verified' })).toBe(`/contracts/${bianchi.id}`);

      const verified = await browser.get('/contracts?status=verified&q=').expect(200);
      expect(verified.text).toContain(bianchi.protocolNumber);
      expect(verified.text).not.toContain(rossi.protocolNumber);
      expect(verified.text).toContain('<option value="verified" selected>Verificato</option>');
      expect(attribute(/id="contracts-export" href="([^"]+)"/.exec(verified.text)?.[1])).toBe(
        '/contracts/export.csv?status=verified',
      );

      const byNumber = await browser
        .get('/contracts')
        .query({ q: verdi.protocolNumber })
        .expect(200);
      expect(byNumber.text).toContain(verdi.protocolNumber);
      expect(byNumber.text).not.toContain(rossi.protocolNumber);
      expect(byNumber.text).not.toContain(bianchi.protocolNumber);

      const byName = await browser.get('/contracts?q=Ross').expect(200);
      expect(byName.text).toContain(rossi.protocolNumber);
      expect(byName.text).not.toContain(verdi.protocolNumber);

      const byPhone = await browser
        .get('/contracts')
        .query({ q: mobile(3) })
        .expect(200);
      expect(byPhone.text).toContain(verdi.protocolNumber);
      expect(byPhone.text).not.toContain(rossi.protocolNumber);

      const byCampaignAndOperator = await browser
        .get('/contracts')
        .query({
          campaignId: campaign.id,
          operatorId: operator.id,
          from: '2026-11-30',
          to: '2026-11-30',
        })
        .expect(200);
      for (const c of [rossi, bianchi, verdi])
        expect(byCampaignAndOperator.text).toContain(c.protocolNumber);
      expect(byCampaignAndOperator.text).toContain(`<option value="${campaign.id}" selected>`);

      const dayBefore = await browser.get('/contracts?to=2026-11-29').expect(200);
      expect(dayBefore.text).not.toContain(rossi.protocolNumber);
      expect(dayBefore.text).toContain('Nessun contratto corrisponde ai filtri.');
    });

    it('says a wrong filter beside the form (400), not an error page', async () => {
      const res = await browser.get('/contracts?from=2026-12-02&to=2026-12-01').expect(400);
      expect(res.text).toContain('<form class="card ctr-filters"');
      expect(res.text).toContain('La data finale deve essere successiva a quella iniziale.');
      expect(res.text).toContain(
        'id="to" name="to" type="date" value="2026-12-01" aria-invalid="true"',
      );
    });

    it('pages newest first with next and previous links', async () => {
      const made: Closed[] = [];
      for (let i = 1; i <= 5; i++) {
        const at = `2026-11-30 10:0${i}:00`;
        made.push(
          await close({ lastName: `Cliente${i}`, phone: mobile(i) }, undefined, undefined, at),
        );
      }
      const numbersOn = (html: string) =>
        [...html.matchAll(/class="ctr-protocol" href="\/contracts\/\d+">([^<]+)</g)].map(
          (m) => m[1],
        );
      const link = (html: string, rel: 'next' | 'prev') => {
        const match = new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html);
        return attribute(match?.[1]);
      };
      const newestFirst = made.map((c) => c.protocolNumber).reverse();

      const one = await browser.get('/contracts?limit=2&status=new').expect(200);
      expect(numbersOn(one.text)).toEqual(newestFirst.slice(0, 2));
      expect(link(one.text, 'prev')).toBeUndefined();
      const toTwo = link(one.text, 'next');
      expect(toTwo).toMatch(/^\/contracts\?status=new&limit=2&after=/);

      const two = await browser.get(toTwo!).expect(200);
      expect(numbersOn(two.text)).toEqual(newestFirst.slice(2, 4));
      const three = await browser.get(link(two.text, 'next')!).expect(200);
      expect(numbersOn(three.text)).toEqual(newestFirst.slice(4));
      expect(link(three.text, 'next')).toBeUndefined();

      const backToTwo = await browser.get(link(three.text, 'prev')!).expect(200);
      expect(numbersOn(backToTwo.text)).toEqual(newestFirst.slice(2, 4));
      const backToOne = await browser.get(link(backToTwo.text, 'prev')!).expect(200);
      expect(numbersOn(backToOne.text)).toEqual(newestFirst.slice(0, 2));
      expect(link(backToOne.text, 'prev')).toBeUndefined();
    });
  });

  describe('operators', () => {
    it('never reach the pages: 403 page, and no menu item', async () => {
      const closed = await close();
      const asOperator = await signedInAgent(app, operator);
      for (const path of ['/contracts', `/contracts/${closed.id}`, '/contracts/export.csv']) {
        const res = await asOperator.get(path).expect(403);
        expect(res.text).toContain('403');
      }
      const home = await asOperator.get('/').expect(200);
      expect(home.text).not.toContain('href="/contracts"');
      const page = await asOperator.get('/').expect(200);
      await asOperator
        .post(`/contracts/${closed.id}/status`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), status: 'verified' })
        .expect((res) => expect([303, 403]).toContain(res.status));
      expect((await contracts().findOneByOrFail({ id: closed.id })).status).toBe('new');
    });
  });

  describe('GET /contracts/:id', () => {
    it('shows the number, customer, campaign, source call, lines with totals and history', async () => {
      const closed = await close(
        { firstName: 'Mario', lastName: 'Rossi', phone: mobile(7) },
        [
          { productId: fibra.id, quantity: 2 },
          { productId: modem.id, quantity: 1 },
        ],
        'Cliente interessato anche al mobile',
      );
      const page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain(
        `<h1 class="ctr-number" id="protocol-number">${closed.protocolNumber}</h1>`,
      );
      expect(page.text).toContain(
        '<span class="ctr-status ctr-status-new" id="contract-status">Nuovo</span>',
      );
      expect(page.text).toContain('Mario Rossi');
      expect(page.text).toContain(mobile(7));
      expect(page.text).toContain('Energia casa');
      expect(page.text).toContain('Anna Operatrice');
      expect(page.text).toContain('Cliente interessato anche al mobile');
      expect(page.text).toContain('<code>FIBRA</code>');
      expect(page.text).toContain('Fibra casa');
      expect(page.text).toContain('39,80\u00a0€'); // 2 x 19.90
      expect(page.text).toContain('<td class="ctr-num">22\u00a0%</td>');
      expect(page.text).toContain('<td class="ctr-num" id="contract-total">108,34\u00a0€</td>');
      expect(page.text).toContain('data-print');
      expect(page.text).toContain('/assets/css/contracts.css');
      // Only the moves allowed from "new".
      expect(page.text).toContain('value="verified"');
      expect(page.text).toContain('value="cancelled"');
      expect(page.text).not.toContain('value="activated"');
    });

    it('answers 404 for a contract that does not exist', async () => {
      await browser.get('/contracts/999999').expect(404);
    });
  });

  describe('POST /contracts/:id/status', () => {
    it('verifies then activates through the forms, with a flash and the history', async () => {
      const closed = await close();
      expect(await act(closed.id, { status: 'verified' })).toBe(`/contracts/${closed.id}`);
      let page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain(`Contratto ${closed.protocolNumber} verificato.`);
      expect(page.text).toContain('id="contract-status">Verificato</span>');
      expect(page.text).toContain('value="activated"');
      expect(page.text).not.toContain('value="verified"');

      await act(closed.id, { status: 'activated' });
      page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain(`Contratto ${closed.protocolNumber} attivato.`);
      expect(page.text).toContain('id="contract-status">Attivato</span>');
      expect(page.text).not.toContain('name="status"');
      expect(page.text).toContain('nessun&#x27;altra azione possibile');
      const history =
        /<table class="table ctr-history"[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? '';
      expect(history.match(/Carla Backoffice/g)).toHaveLength(2);
      expect((await contracts().findOneByOrFail({ id: closed.id })).status).toBe('activated');
    });

    it('refuses a cancel without a reason beside the field, then cancels with one', async () => {
      const closed = await close();
      expect(await act(closed.id, { status: 'cancelled', reason: '   ' })).toBe(
        `/contracts/${closed.id}`,
      );
      let page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain('<details class="ctr-cancel" open>');
      expect(page.text).toContain(
        '<p class="field-error" id="reason-error">Scrivi il motivo dell&#x27;annullamento.</p>',
      );
      expect(page.text).toContain('aria-invalid="true"');
      expect((await contracts().findOneByOrFail({ id: closed.id })).status).toBe('new');

      await act(closed.id, { status: 'cancelled', reason: 'Il cliente ha cambiato idea' });
      page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain(`Contratto ${closed.protocolNumber} annullato.`);
      expect(page.text).toContain('id="contract-status">Annullato</span>');
      expect(page.text).toContain('Il cliente ha cambiato idea');
      expect(page.text).toContain(closed.protocolNumber);
    });

    it('shows a move the workflow refuses (409) as a flash error', async () => {
      const closed = await close();
      await act(closed.id, { status: 'activated' });
      const page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain('flash flash-error');
      expect(page.text).toContain('Il contratto è «Nuovo» e non può diventare «Attivato»');
      expect((await contracts().findOneByOrFail({ id: closed.id })).status).toBe('new');
    });

    it('refuses an unknown status beside the actions, and a post without the CSRF token', async () => {
      const closed = await close();
      await act(closed.id, { status: 'shipped' });
      const page = await browser.get(`/contracts/${closed.id}`).expect(200);
      expect(page.text).toContain('id="status-error"');
      await browser
        .post(`/contracts/${closed.id}/status`)
        .type('form')
        .send({ status: 'verified' })
        .expect((res) => expect([303, 403]).toContain(res.status));
      expect((await contracts().findOneByOrFail({ id: closed.id })).status).toBe('new');
    });
  });

  describe('GET /contracts/export.csv', () => {
    it('exports the filtered list with the session cookie', async () => {
      const rossi = await close({ firstName: 'Mario', lastName: 'Rossi', phone: mobile(1) });
      const bianchi = await close({ lastName: 'Bianchi', phone: mobile(2) });
      await act(bianchi.id, { status: 'verified' });
      const list = await browser.get('/contracts?status=new').expect(200);
      const href = attribute(/id="contracts-export" href="([^"]+)"/.exec(list.text)?.[1]);
      expect(href).toBe('/contracts/export.csv?status=new');

      const res = await browser.get(href!).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="contracts-/);
      const rows: string[][] = parse(res.text, { bom: true });
      expect(rows[0]?.slice(0, 4)).toEqual(['protocolNumber', 'date', 'timezone', 'status']);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toEqual(
        expect.arrayContaining([rossi.protocolNumber, 'new', 'ENERGIA', 'Mario', 'Rossi']),
      );

      // The API's export answers the same session too (reads need no CSRF token).
      const api = await browser.get('/api/v1/contracts/export.csv?status=verified').expect(200);
      expect(api.text).toContain(bianchi.protocolNumber);
    });

    it('answers a wrong filter with a 400 page', async () => {
      const res = await browser.get('/contracts/export.csv?status=shipped').expect(400);
      expect(res.text).toContain('status must be one of');
    });
  });
});
