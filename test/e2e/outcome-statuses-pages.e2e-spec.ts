import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import TestAgent from 'supertest/lib/agent';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Outcome status pages (admin)', () => {
  let app: NestExpressApplication;
  let browser: TestAgent;
  const statuses = () => app.get(DataSource).getRepository(OutcomeStatus);

  /**
   * Posts a form the way a browser does (the page's CSRF token, urlencoded, Referer set)
   * and expects the 303 to `location` (the form's page itself when it was refused).
   */
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

  it('lists statuses grouped by type, each with its swatch, letter and code, archived apart', async () => {
    await createStatus(app, {
      code: 'RICH',
      label: 'Richiamare',
      type: 'R',
      color: '#0D47A1',
      callbackVisibility: 'private',
    });
    await createStatus(app, {
      code: 'NORISP',
      label: 'Non risponde',
      type: 'N',
      color: '#FFEB3B',
      quick: true,
      quickOrder: 2,
      retryAfterMinutes: 30,
      maxAttempts: 4,
    });
    await createStatus(app, { code: 'VECCHIO', label: 'Vecchio', archivedAt: new Date() });
    const page = await browser.get('/outcome-statuses').expect(200);
    const html = page.text;
    expect(html).toContain('<h1>Stati contatto</h1>');
    for (const name of [
      'Richiamare',
      'Negativo',
      'Chiusura in linea',
      'Appuntamento',
      'Archiviati',
    ]) {
      expect(html).toContain(name);
    }
    // Colour with the text colour computed on the server, the letter inside, the code beside.
    expect(html).toMatch(/style="background-color:#0D47A1;color:#FFFFFF"[^>]*>R<\/span>/);
    expect(html).toMatch(/style="background-color:#FFEB3B;color:#000000"[^>]*>N<\/span>/);
    expect(html).toContain('<code class="status-code">NORISP</code>');
    expect(html).toContain('Ripeti dopo 30 min, massimo 4 tentativi');
    expect(html).toContain('Richiamata privata');
    const archivedSection = html.slice(html.indexOf('id="group-archived"'));
    expect(archivedSection).toContain('VECCHIO');
    expect(html.slice(0, html.indexOf('id="group-archived"'))).not.toContain('VECCHIO');
  });

  it('creates a status from the form and shows it in the list', async () => {
    await submit(
      '/outcome-statuses/new',
      '/outcome-statuses',
      {
        code: 'occupato',
        label: 'Occupato',
        labelEn: 'Busy',
        type: 'N',
        color: '#ff5722',
        quick: 'true',
        quickOrder: '3',
        callbackVisibility: '',
        retryAfterMinutes: '15',
        maxAttempts: '6',
      },
      '/outcome-statuses',
    );
    const list = await browser.get('/outcome-statuses').expect(200);
    expect(list.text).toContain('Stato OCCUPATO creato.');
    expect(await statuses().findOneByOrFail({ code: 'OCCUPATO' })).toMatchObject({
      color: '#FF5722',
      quick: true,
      quickOrder: 3,
      retryAfterMinutes: 15,
      maxAttempts: 6,
      doNotCall: false,
      callbackVisibility: null,
    });
  });

  it('shows the form with a preview tile whose text colour suits the colour', async () => {
    const form = await browser.get('/outcome-statuses/new').expect(200);
    expect(form.text).toContain(
      'id="status-preview" style="background-color:#1E88E5;color:#000000"',
    );
    expect(form.text).toContain('<input type="color" id="colorPicker" value="#1E88E5"');
    expect(form.text).toContain('<script src="/assets/js/statuses.js" defer></script>');
  });

  it('sends a refused form back with what was typed and the errors beside the fields', async () => {
    await submit(
      '/outcome-statuses/new',
      '/outcome-statuses',
      {
        code: 'ok',
        label: 'Mio stato',
        type: 'N',
        color: 'rosso',
        quickOrder: '12',
      },
      '/outcome-statuses/new',
    );
    const again = await browser.get('/outcome-statuses/new').expect(200);
    expect(again.text).toContain('Alcuni campi non sono validi');
    expect(again.text).toMatch(/id="color-error">[^<]+</);
    expect(again.text).toMatch(/id="quickOrder-error">[^<]+</);
    expect(again.text).toContain('value="Mio stato"');
    expect(again.text).toContain('value="rosso"');
    expect(again.text).toContain('aria-invalid="true"');
    // An unusable colour previews as neutral grey, not as a broken style.
    expect(again.text).toContain('style="background-color:#CCCCCC;color:#000000"');
    expect(await statuses().count()).toBe(0);
  });

  it('checks the type rules without scripts too: a callback visibility on an N status is refused', async () => {
    await submit(
      '/outcome-statuses/new',
      '/outcome-statuses',
      {
        code: 'X',
        label: 'X',
        type: 'N',
        color: '#000000',
        callbackVisibility: 'public',
      },
      '/outcome-statuses/new',
    );
    const again = await browser.get('/outcome-statuses/new').expect(200);
    expect(again.text).toMatch(
      /id="callbackVisibility-error">La visibilità vale solo per gli esiti di tipo R \(richiamata\)\.</,
    );
    expect(await statuses().count()).toBe(0);
  });

  it('saves the whole status from the edit form: emptied fields are cleared', async () => {
    const status = await createStatus(app, {
      code: 'NR',
      type: 'N',
      quick: true,
      quickOrder: 1,
      retryAfterMinutes: 10,
      maxAttempts: 3,
      labelEn: 'x',
    });
    const edit = await browser.get(`/outcome-statuses/${status.id}/edit`).expect(200);
    expect(edit.text).toContain('value="NR"');
    expect(edit.text).toMatch(/<option value="1" selected>1<\/option>/);
    await submit(
      `/outcome-statuses/${status.id}/edit`,
      `/outcome-statuses/${status.id}`,
      {
        code: 'NR',
        label: 'Nuova etichetta',
        type: 'R',
        color: '#00ff00',
        callbackVisibility: 'public',
      },
      '/outcome-statuses',
    );
    expect(await statuses().findOneByOrFail({ id: status.id })).toMatchObject({
      label: 'Nuova etichetta',
      labelEn: null,
      type: 'R',
      color: '#00FF00',
      quick: false,
      quickOrder: null,
      callbackVisibility: 'public',
      retryAfterMinutes: null,
      maxAttempts: null,
    });
  });

  it('lets an admin allow price changes on a close (C) status only, ticked and unticked', async () => {
    const fields = { code: 'VEN', label: 'Vendita', type: 'C', color: '#16a34a' };
    await submit(
      '/outcome-statuses/new',
      '/outcome-statuses',
      { ...fields, allowPriceOverride: 'true' },
      '/outcome-statuses',
    );
    const sale = await statuses().findOneByOrFail({ code: 'VEN' });
    expect(sale.allowPriceOverride).toBe(true);
    const list = await browser.get('/outcome-statuses').expect(200);
    expect(list.text).toContain('Prezzo modificabile');
    const edit = await browser.get(`/outcome-statuses/${sale.id}/edit`).expect(200);
    expect(edit.text).toMatch(
      /id="allowPriceOverride" name="allowPriceOverride" value="true" checked/,
    );
    // An unticked box is not sent: saving the form clears it.
    await submit(
      `/outcome-statuses/${sale.id}/edit`,
      `/outcome-statuses/${sale.id}`,
      fields,
      '/outcome-statuses',
    );
    expect((await statuses().findOneByOrFail({ id: sale.id })).allowPriceOverride).toBe(false);
    // Another type has no cart: asked for it anyway, the form comes back naming the field.
    await submit(
      '/outcome-statuses/new',
      '/outcome-statuses',
      { code: 'NO', label: 'No', type: 'N', color: '#000000', allowPriceOverride: 'true' },
      '/outcome-statuses/new',
    );
    const again = await browser.get('/outcome-statuses/new').expect(200);
    expect(again.text).toMatch(
      /id="allowPriceOverride-error">allowPriceOverride is only allowed for type C/,
    );
    expect(await statuses().countBy({ code: 'NO' })).toBe(0);
  });

  it('archives, restores and deletes from the page; a status in use is not deleted', async () => {
    const used = await createStatus(app, { code: 'USATO' });
    await createCampaign(app, {}, { statusIds: [used.id] });
    const editPage = `/outcome-statuses/${used.id}/edit`;

    await submit(editPage, `/outcome-statuses/${used.id}/delete`, {}, editPage);
    const refused = await browser.get(editPage).expect(200);
    expect(refused.text).toContain('Lo stato USATO è in uso (1 campagne, 0 contatti)');
    expect(await statuses().countBy({ id: used.id })).toBe(1);

    await submit(editPage, `/outcome-statuses/${used.id}/archive`, {}, '/outcome-statuses');
    expect((await statuses().findOneByOrFail({ id: used.id })).archivedAt).not.toBeNull();
    expect((await browser.get('/outcome-statuses').expect(200)).text).toContain(
      'Stato USATO archiviato.',
    );
    await submit(
      '/outcome-statuses',
      `/outcome-statuses/${used.id}/restore`,
      {},
      '/outcome-statuses',
    );
    expect((await statuses().findOneByOrFail({ id: used.id })).archivedAt).toBeNull();

    const unused = await createStatus(app, { code: 'LIBERO' });
    await submit(
      `/outcome-statuses/${unused.id}/edit`,
      `/outcome-statuses/${unused.id}/delete`,
      {},
      '/outcome-statuses',
    );
    expect(await statuses().countBy({ id: unused.id })).toBe(0);
  });

  it('refuses a form without the CSRF token', async () => {
    await browser
      .post('/outcome-statuses')
      .type('form')
      .send({ code: 'X', label: 'X', type: 'N', color: '#000000' })
      .expect(303);
    expect(await statuses().count()).toBe(0);
  });

  it('shows other roles the 403 page', async () => {
    const operator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    const page = await operator.get('/outcome-statuses').expect(403);
    expect(page.text).toContain('Accesso negato');
    await operator.get('/outcome-statuses/new').expect(403);
  });
});
