import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Product } from '../../src/products/product.entity';
import { createProduct } from '../factories/catalogue.factory';
import { createUser, tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Products API', () => {
  let app: NestExpressApplication;
  let admin: { Authorization: string };
  const http = () => request(app.getHttpServer());
  const products = () => app.get(DataSource).getRepository(Product);
  const valid = { code: 'fibra-100', name: 'Fibra 100 Mega', unitPrice: '19.9', vatRate: '22' };

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = {
      Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role: 'admin' }))}`,
    };
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('creates a product (201) with 2-decimal strings, and reads it back', async () => {
    const created = await http().post('/api/v1/products').set(admin).send(valid).expect(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      code: 'FIBRA-100',
      name: 'Fibra 100 Mega',
      unitPrice: '19.90',
      vatRate: '22.00',
      grossPrice: '24.28',
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const one = await http().get(`/api/v1/products/${created.body.id}`).set(admin).expect(200);
    expect(one.body).toEqual(created.body);
    // What the database holds, read as the driver gives it.
    const [row] = await app
      .get(DataSource)
      .query('SELECT unit_price AS price, vat_rate AS vat FROM products WHERE id = ?', [
        created.body.id,
      ]);
    expect(Number(row.price)).toBe(19.9);
    expect(Number(row.vat)).toBe(22);
  });

  it('keeps the largest price exactly and takes 0 and 100 % VAT', async () => {
    const big = await http()
      .post('/api/v1/products')
      .set(admin)
      .send({ code: 'BIG', name: 'Big', unitPrice: '9999999999.99', vatRate: '100' })
      .expect(201);
    expect(big.body).toMatchObject({ unitPrice: '9999999999.99', vatRate: '100.00' });
    const read = await http().get(`/api/v1/products/${big.body.id}`).set(admin).expect(200);
    expect(read.body.unitPrice).toBe('9999999999.99');
    const free = await http()
      .post('/api/v1/products')
      .set(admin)
      .send({ code: 'FREE', name: 'Omaggio', unitPrice: '0', vatRate: '0.0', active: false })
      .expect(201);
    expect(free.body).toMatchObject({
      unitPrice: '0.00',
      vatRate: '0.00',
      grossPrice: '0.00',
      active: false,
    });
  });

  it('lists by code, searching code or name and filtering on active', async () => {
    await createProduct(app, { code: 'ADSL', name: 'Linea ADSL' });
    await createProduct(app, { code: 'FIBRA', name: 'Fibra ottica' });
    await createProduct(app, { code: 'MOBILE', name: 'Sim 100% dati', active: false });
    const all = await http().get('/api/v1/products').set(admin).expect(200);
    expect(all.body.map((p: { code: string }) => p.code)).toEqual(['ADSL', 'FIBRA', 'MOBILE']);
    const byName = await http().get('/api/v1/products?q=OTTICA').set(admin).expect(200);
    expect(byName.body.map((p: { code: string }) => p.code)).toEqual(['FIBRA']);
    const byCode = await http().get('/api/v1/products?q=ads').set(admin).expect(200);
    expect(byCode.body.map((p: { code: string }) => p.code)).toEqual(['ADSL']);
    // LIKE wildcards are searched for literally.
    const percent = await http().get('/api/v1/products?q=100%25').set(admin).expect(200);
    expect(percent.body.map((p: { code: string }) => p.code)).toEqual(['MOBILE']);
    expect((await http().get('/api/v1/products?q=_').set(admin).expect(200)).body).toEqual([]);
    expect(
      (await http().get("/api/v1/products?q=' OR 1=1 --").set(admin).expect(200)).body,
    ).toEqual([]);
    const active = await http().get('/api/v1/products?active=true').set(admin).expect(200);
    expect(active.body.map((p: { code: string }) => p.code)).toEqual(['ADSL', 'FIBRA']);
    const inactive = await http().get('/api/v1/products?active=false&q=sim').set(admin).expect(200);
    expect(inactive.body.map((p: { code: string }) => p.code)).toEqual(['MOBILE']);
    const badActive = await http().get('/api/v1/products?active=1').set(admin).expect(400);
    expect(badActive.body.message).toBe('active must be true or false');
    const longQ = await http()
      .get(`/api/v1/products?q=${'x'.repeat(101)}`)
      .set(admin)
      .expect(400);
    expect(longQ.body.message).toBe('q must be at most 100 characters');
    await http().get('/api/v1/products?q=a&q=b').set(admin).expect(400);
  });

  it('updates part of a product and deactivates it', async () => {
    const product = await createProduct(app, { code: 'P1', unitPrice: '10.00' });
    const url = `/api/v1/products/${product.id}`;
    const updated = await http()
      .patch(url)
      .set(admin)
      .send({ unitPrice: '12.5', name: ' Nuovo nome ' })
      .expect(200);
    expect(updated.body).toMatchObject({
      code: 'P1',
      name: 'Nuovo nome',
      unitPrice: '12.50',
      vatRate: '22.00',
      grossPrice: '15.25',
      active: true,
    });
    const off = await http().patch(url).set(admin).send({ active: false }).expect(200);
    expect(off.body.active).toBe(false);
    expect(await products().findOneByOrFail({ id: product.id })).toMatchObject({
      unitPrice: '12.50',
      active: false,
    });
    await http().patch('/api/v1/products/999999').set(admin).send({ name: 'x' }).expect(404);
  });

  it('refuses a duplicate code with 409, on create and on rename', async () => {
    await http().post('/api/v1/products').set(admin).send(valid).expect(201);
    const again = await http()
      .post('/api/v1/products')
      .set(admin)
      .send({ ...valid, code: 'FIBRA-100' })
      .expect(409);
    expect(again.body).toEqual({
      statusCode: 409,
      message: 'code "FIBRA-100" is already used by another product',
    });
    const other = await createProduct(app, { code: 'OTHER' });
    await http()
      .patch(`/api/v1/products/${other.id}`)
      .set(admin)
      .send({ code: 'fibra-100' })
      .expect(409);
    expect((await products().findOneByOrFail({ id: other.id })).code).toBe('OTHER');
  });

  it('of ten admins creating the same code at once, exactly one succeeds', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http()
          .post('/api/v1/products')
          .set(admin)
          .send({ ...valid, name: `Tentativo ${i}` }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await products().countBy({ code: 'FIBRA-100' })).toBe(1);
  });

  it.each(['operator', 'coordinator', 'backoffice'] as const)(
    'lets a %s read the catalogue (200) but not change it (403); no token is 401',
    async (role) => {
      const product = await createProduct(app);
      const auth = {
        Authorization: `Bearer ${await tokenFor(app, await createUser(app, { role }))}`,
      };
      await http().get('/api/v1/products').set(auth).expect(200);
      await http().get(`/api/v1/products/${product.id}`).set(auth).expect(200);
      await http().post('/api/v1/products').set(auth).send(valid).expect(403);
      await http()
        .patch(`/api/v1/products/${product.id}`)
        .set(auth)
        .send({ name: 'x' })
        .expect(403);
      await http().get('/api/v1/products').expect(401);
      await http().get(`/api/v1/products/${product.id}`).expect(401);
      await http().post('/api/v1/products').send(valid).expect(401);
      await http().patch(`/api/v1/products/${product.id}`).send({ name: 'x' }).expect(401);
      expect(await products().count()).toBe(1);
      expect((await products().findOneByOrFail({ id: product.id })).name).toBe(product.name);
    },
  );

  describe('bad input gets a 400 naming the field and stores nothing', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['missing code', { ...valid, code: undefined }, /^code is required$/],
      ['missing name', { ...valid, name: undefined }, /^name is required$/],
      ['missing unitPrice', { ...valid, unitPrice: undefined }, /^unitPrice is required$/],
      ['missing vatRate', { ...valid, vatRate: undefined }, /^vatRate is required$/],
      ['code with SQL', { ...valid, code: "'; DROP TABLE products;--" }, /^code must be 1-32/],
      ['huge code', { ...valid, code: 'A'.repeat(100_000) }, /^code must be 1-32/],
      ['empty name', { ...valid, name: '  ' }, /^name must not be empty$/],
      ['huge name', { ...valid, name: 'n'.repeat(201) }, /^name must be shorter than or equal/],
      [
        'price as a JSON number',
        { ...valid, unitPrice: 19.9 },
        /^unitPrice must be a decimal string such as "19.90" \(JSON numbers are refused\)$/,
      ],
      ['vat as a JSON number', { ...valid, vatRate: 22 }, /^vatRate must be a decimal string/],
      [
        'negative price',
        { ...valid, unitPrice: '-1.00' },
        /^unitPrice must be a decimal such as "19.90"/,
      ],
      ['three decimals', { ...valid, unitPrice: '19.999' }, /^unitPrice must be a decimal/],
      ['comma decimal', { ...valid, unitPrice: '19,90' }, /^unitPrice must be a decimal/],
      ['exponent', { ...valid, unitPrice: '1e3' }, /^unitPrice must be a decimal/],
      [
        'eleven integer digits',
        { ...valid, unitPrice: '12345678901' },
        /^unitPrice must be a decimal/,
      ],
      ['price NaN', { ...valid, unitPrice: 'NaN' }, /^unitPrice must be a decimal/],
      ['price Infinity', { ...valid, unitPrice: 'Infinity' }, /^unitPrice must be a decimal/],
      [
        'huge price text',
        { ...valid, unitPrice: '9'.repeat(100_000) },
        /^unitPrice must be a decimal/,
      ],
      [
        'vat over 100',
        { ...valid, vatRate: '100.01' },
        /^vatRate must be a percentage from 0 to 100/,
      ],
      ['negative vat', { ...valid, vatRate: '-4' }, /^vatRate must be a percentage/],
      ['vat with %', { ...valid, vatRate: '22%' }, /^vatRate must be a percentage/],
      ['active as text', { ...valid, active: 'yes' }, /^active must be a boolean value$/],
      ['unknown field', { ...valid, price: '1.00' }, /^property price should not exist$/],
    ];

    it.each(cases)('%s', async (_name, body, message) => {
      const response = await http()
        .post('/api/v1/products')
        .set(admin)
        .send(body as object);
      expect(response.status).toBe(400);
      const messages = ([] as string[]).concat(response.body.message);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(await products().count()).toBe(0);
    });

    it('a PATCH with a wrong value changes nothing', async () => {
      const product = await createProduct(app, { code: 'KEEP', unitPrice: '5.00' });
      const url = `/api/v1/products/${product.id}`;
      for (const body of [
        { unitPrice: 5.5 },
        { unitPrice: '5.555' },
        { vatRate: '101' },
        { code: null },
        { unitPrice: null },
        { id: 7 },
      ]) {
        const response = await http().patch(url).set(admin).send(body).expect(400);
        expect(String(response.body.message)).toMatch(/unitPrice|vatRate|code|id/);
      }
      expect(await products().findOneByOrFail({ id: product.id })).toMatchObject({
        code: 'KEEP',
        unitPrice: '5.00',
        vatRate: '22.00',
      });
    });

    it('a bad or unknown id in the path', async () => {
      await http().get('/api/v1/products/abc').set(admin).expect(400);
      await http().patch('/api/v1/products/0').set(admin).send({ name: 'x' }).expect(400);
      expect((await http().get('/api/v1/products/999999').set(admin).expect(404)).body).toEqual({
        statusCode: 404,
        message: 'product 999999 not found',
      });
    });
  });
});
