import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import TestAgent from 'supertest/lib/agent';
import { Product } from '../../src/products/product.entity';
import { createProduct } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Product pages (admin)', () => {
  let app: NestExpressApplication;
  let browser: TestAgent;
  const products = () => app.get(DataSource).getRepository(Product);

  /** Posts a form like a browser and expects the 303 to `location`. */
  async function submit(
    page: string,
    action: string,
    fields: Record<string, string>,
    location: string,
  ): Promise<void> {
    const html = (await browser.get(page).expect(200)).text;
    // supertest listens on a new port per request: name one host for Host and Referer.
    await browser
      .post(action)
      .type('form')
      .set('Host', 'esito.test')
      .set('Referer', `http://esito.test${page}`)
      .send({ _csrf: csrfFrom(html), ...fields })
      .expect(303)
      .expect('Location', location);
  }

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    browser = await signedInAgent(app, await createUser(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('lists products with Italian money formatting, and searches', async () => {
    await createProduct(app, { code: 'FIBRA', name: 'Fibra ottica', unitPrice: '1234.50' });
    await createProduct(app, { code: 'ADSL', name: 'Linea <b>ADSL</b>', active: false });
    const list = await browser.get('/products').expect(200);
    expect(list.text).toContain('<h1>Prodotti</h1>');
    expect(list.text).toContain('1.234,50 €');
    expect(list.text).toContain('22,00 %');
    expect(list.text).toContain('1.506,09 €'); // 1234.50 + 22 %
    expect(list.text).toContain('Linea &lt;b&gt;ADSL&lt;/b&gt;');
    const found = await browser.get('/products?q=ottica&active=').expect(200);
    expect(found.text).toContain('FIBRA');
    expect(found.text).not.toContain('>ADSL<');
    expect(found.text).toContain('value="ottica"');
    const inactive = await browser.get('/products?active=false').expect(200);
    expect(inactive.text).toContain('<code>ADSL</code>');
    expect(inactive.text).not.toContain('<code>FIBRA</code>');
    const none = await browser.get('/products?q=zzz').expect(200);
    expect(none.text).toContain('Nessun prodotto corrisponde alla ricerca.');
    await browser.get('/products?active=maybe').expect(400);
  });

  it('creates a product from the form, taking a decimal comma', async () => {
    await submit(
      '/products/new',
      '/products',
      { code: 'sim-10', name: 'Sim 10 GB', unitPrice: '9,9', vatRate: '22', active: 'true' },
      '/products',
    );
    expect((await browser.get('/products').expect(200)).text).toContain('Prodotto SIM-10 creato.');
    expect(await products().findOneByOrFail({ code: 'SIM-10' })).toMatchObject({
      unitPrice: '9.90',
      vatRate: '22.00',
      active: true,
    });
  });

  it('sends a refused form back with the typed values and the errors beside the fields', async () => {
    await submit(
      '/products/new',
      '/products',
      { code: 'X1', name: 'Prodotto', unitPrice: '12.345', vatRate: '150' },
      '/products/new',
    );
    const again = await browser.get('/products/new').expect(200);
    expect(again.text).toMatch(/id="unitPrice-error">[^<]+</);
    expect(again.text).toMatch(/id="vatRate-error">[^<]+</);
    expect(again.text).toContain('value="12.345"');
    expect(again.text).toContain('value="Prodotto"');
    expect(await products().count()).toBe(0);

    await createProduct(app, { code: 'DUP' });
    await submit(
      '/products/new',
      '/products',
      { code: 'dup', name: 'Doppio', unitPrice: '1', vatRate: '22', active: 'true' },
      '/products/new',
    );
    const duplicate = await browser.get('/products/new').expect(200);
    expect(duplicate.text).toContain('Il codice DUP è già usato da un altro prodotto.');
    expect(duplicate.text).toMatch(
      /id="code-error">Il codice DUP è già usato da un altro prodotto\./,
    );
  });

  it('edits a product; an unticked box deactivates it; activate and deactivate buttons', async () => {
    const product = await createProduct(app, { code: 'EDIT', unitPrice: '10.00' });
    const edit = await browser.get(`/products/${product.id}/edit`).expect(200);
    expect(edit.text).toContain('value="10.00"');
    await submit(
      `/products/${product.id}/edit`,
      `/products/${product.id}`,
      { code: 'EDIT', name: 'Rinominato', unitPrice: '11', vatRate: '10' },
      '/products',
    );
    expect(await products().findOneByOrFail({ id: product.id })).toMatchObject({
      name: 'Rinominato',
      unitPrice: '11.00',
      vatRate: '10.00',
      active: false,
    });
    await submit('/products?q=EDIT', `/products/${product.id}/activate`, {}, '/products?q=EDIT');
    expect((await products().findOneByOrFail({ id: product.id })).active).toBe(true);
    await submit('/products', `/products/${product.id}/deactivate`, {}, '/products');
    expect((await products().findOneByOrFail({ id: product.id })).active).toBe(false);
    expect((await browser.get('/products').expect(200)).text).toContain(
      'Prodotto EDIT disattivato.',
    );
  });

  it('shows other roles the 403 page', async () => {
    const operator = await signedInAgent(app, await createUser(app, { role: 'operator' }));
    expect((await operator.get('/products').expect(403)).text).toContain('Accesso negato');
  });
});
