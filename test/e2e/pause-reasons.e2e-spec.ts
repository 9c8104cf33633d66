import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { PauseReason } from '../../src/monitor/pause-reason.entity';
import { createUser, tokenFor } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

interface ReasonBody {
  id: number;
  code: string;
  label: string;
  labelEn: string | null;
  maxMinutes: number | null;
  position: number;
  archived: boolean;
}

interface ErrorBody {
  statusCode: number;
  message: string | string[];
}

/** The message of an error answer as one string, whatever its shape. */
const said = (body: unknown): string => {
  const { message } = body as ErrorBody;
  return Array.isArray(message) ? message.join(' | ') : message;
};

describe('Pause reasons (admin): API and pages', () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const reasons = () => app.get(DataSource).getRepository(PauseReason);
  const create = (body: object, token = admin) =>
    http().post('/api/v1/pause-reasons').set(as(token)).send(body);
  const patch = (id: number | string, body: object, token = admin) =>
    http().patch(`/api/v1/pause-reasons/${id}`).set(as(token)).send(body);
  async function created(body: object): Promise<ReasonBody> {
    return (await create(body).expect(201)).body as ReasonBody;
  }

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    admin = await tokenFor(app, await createUser(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  describe('API', () => {
    it('creates a reason (201): code trimmed and lower-cased, optional fields empty', async () => {
      const res = await create({ code: ' Pausa ', label: ' Pausa caffè ' }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number) as number,
        code: 'pausa',
        label: 'Pausa caffè',
        labelEn: null,
        maxMinutes: null,
        position: 0,
        archived: false,
      });
      const full = await created({
        code: 'formazione',
        label: 'Formazione',
        labelEn: 'Training',
        maxMinutes: 120,
        position: 2,
      });
      expect(full).toMatchObject({ labelEn: 'Training', maxMinutes: 120, position: 2 });
      expect(await reasons().findOneByOrFail({ id: full.id })).toMatchObject({
        code: 'formazione',
        archivedAt: null,
      });
    });

    it('lists every reason with its archived flag, in menu order', async () => {
      const late = await created({ code: 'riunione', label: 'Riunione', position: 3 });
      const first = await created({ code: 'pausa', label: 'Pausa', position: 1 });
      const gone = await created({ code: 'fumo', label: 'Fumo', position: 2 });
      await http().post(`/api/v1/pause-reasons/${gone.id}/archive`).set(as(admin)).expect(200);
      const res = await http().get('/api/v1/pause-reasons').set(as(admin)).expect(200);
      const list = res.body as ReasonBody[];
      expect(list.map((r) => [r.code, r.archived])).toEqual([
        ['pausa', false],
        ['fumo', true],
        ['riunione', false],
      ]);
      const one = await http().get(`/api/v1/pause-reasons/${first.id}`).set(as(admin)).expect(200);
      expect(one.body).toEqual(first);
      expect(late.archived).toBe(false);
    });

    it('answers 409 naming code for a code already used, on create and on update', async () => {
      await created({ code: 'pausa', label: 'Pausa' });
      const other = await created({ code: 'mensa', label: 'Mensa' });
      const dup = await create({ code: 'PAUSA', label: 'Altra' }).expect(409);
      expect(dup.body).toMatchObject({ statusCode: 409 });
      expect(said(dup.body)).toMatch(/^code "pausa" is already a pause reason/);
      const renamed = await patch(other.id, { code: 'pausa' }).expect(409);
      expect(said(renamed.body)).toMatch(/code "pausa"/);
      expect((await reasons().findOneByOrFail({ id: other.id })).code).toBe('mensa');
      expect(await reasons().count()).toBe(2);
    });

    it.each([
      [{ label: 'Pausa' }, 'code'],
      [{ code: 'due parole', label: 'Pausa' }, 'code'],
      [{ code: 'x'.repeat(33), label: 'Pausa' }, 'code'],
      [{ code: 42, label: 'Pausa' }, 'code'],
      [{ code: 'pausa' }, 'label'],
      [{ code: 'pausa', label: '   ' }, 'label'],
      [{ code: 'pausa', label: 'x'.repeat(81) }, 'label'],
      [{ code: 'pausa', label: 'Pausa', labelEn: 7 }, 'labelEn'],
      [{ code: 'pausa', label: 'Pausa', maxMinutes: 0 }, 'maxMinutes'],
      [{ code: 'pausa', label: 'Pausa', maxMinutes: 481 }, 'maxMinutes'],
      [{ code: 'pausa', label: 'Pausa', maxMinutes: 1.5 }, 'maxMinutes'],
      [{ code: 'pausa', label: 'Pausa', maxMinutes: 'tanti' }, 'maxMinutes'],
      [{ code: 'pausa', label: 'Pausa', position: -1 }, 'position'],
      [{ code: 'pausa', label: 'Pausa', position: 1000 }, 'position'],
      [{ code: 'pausa', label: 'Pausa', colour: 'red' }, 'colour'],
    ])('refuses %j with a 400 naming %s', async (body, field) => {
      const res = await create(body).expect(400);
      expect(said(res.body)).toContain(field);
      expect(await reasons().count()).toBe(0);
    });

    it('refuses a body that is not an object', async () => {
      const res = await http()
        .post('/api/v1/pause-reasons')
        .set(as(admin))
        .set('Content-Type', 'application/json')
        .send('[1]')
        .expect(400);
      expect(said(res.body)).toContain('body');
    });

    it('updates only the fields sent; empty labelEn clears it', async () => {
      const reason = await created({
        code: 'pausa',
        label: 'Pausa',
        labelEn: 'Break',
        maxMinutes: 15,
        position: 1,
      });
      const res = await patch(reason.id, { label: 'Pausa breve', maxMinutes: 10 }).expect(200);
      expect(res.body).toEqual({ ...reason, label: 'Pausa breve', maxMinutes: 10 });
      const cleared = await patch(reason.id, { labelEn: '' }).expect(200);
      expect((cleared.body as ReasonBody).labelEn).toBeNull();
      await patch(reason.id, {}).expect(200);
      expect(await reasons().findOneByOrFail({ id: reason.id })).toMatchObject({
        code: 'pausa',
        label: 'Pausa breve',
        labelEn: null,
        maxMinutes: 10,
        position: 1,
      });
      expect(said((await patch(reason.id, { position: 'primo' }).expect(400)).body)).toContain(
        'position',
      );
      expect(said((await patch(reason.id, { label: '' }).expect(400)).body)).toContain('label');
      // null clears the attention limit; on what cannot be empty it changes nothing.
      const unlimited = await patch(reason.id, { maxMinutes: null, code: null, label: null });
      expect(unlimited.status).toBe(200);
      expect(unlimited.body).toMatchObject({
        code: 'pausa',
        label: 'Pausa breve',
        maxMinutes: null,
      });
    });

    it('archives and restores (200); archived reasons are not offered to operators', async () => {
      const reason = await created({ code: 'pausa', label: 'Pausa' });
      await created({ code: 'mensa', label: 'Mensa' });
      const operator = await tokenFor(app, await createUser(app, { role: 'operator' }));
      const offered = async () =>
        (
          (await http().get('/api/v1/me/state').set(as(operator)).expect(200)).body as {
            pauseReasons: ReasonBody[];
          }
        ).pauseReasons.map((r) => r.code);
      expect(await offered()).toEqual(['pausa', 'mensa']);

      const archived = await http()
        .post(`/api/v1/pause-reasons/${reason.id}/archive`)
        .set(as(admin))
        .expect(200);
      expect(archived.body).toMatchObject({ id: reason.id, archived: true });
      const stored = await reasons().findOneByOrFail({ id: reason.id });
      expect(stored.archivedAt).toBeInstanceOf(Date);
      // Archiving twice keeps the first date.
      await http().post(`/api/v1/pause-reasons/${reason.id}/archive`).set(as(admin)).expect(200);
      expect((await reasons().findOneByOrFail({ id: reason.id })).archivedAt).toEqual(
        stored.archivedAt,
      );
      expect(await offered()).toEqual(['mensa']);

      const restored = await http()
        .post(`/api/v1/pause-reasons/${reason.id}/restore`)
        .set(as(admin))
        .expect(200);
      expect(restored.body).toMatchObject({ id: reason.id, archived: false });
      expect(await offered()).toEqual(['pausa', 'mensa']);
    });

    it('answers 404 for an unknown id and 400 naming id for one that is not a number', async () => {
      const missing = [
        http().get('/api/v1/pause-reasons/999999').set(as(admin)),
        patch(999999, { label: 'X' }),
        http().post('/api/v1/pause-reasons/999999/archive').set(as(admin)),
        http().post('/api/v1/pause-reasons/999999/restore').set(as(admin)),
      ];
      for (const res of await Promise.all(missing)) {
        expect(res.status).toBe(404);
        expect(said(res.body)).toBe('pause reason 999999 not found');
      }
      for (const res of await Promise.all([
        http().get('/api/v1/pause-reasons/abc').set(as(admin)),
        patch('0', { label: 'X' }),
        http().post('/api/v1/pause-reasons/1.5/archive').set(as(admin)),
      ])) {
        expect(res.status).toBe(400);
        expect(said(res.body)).toContain('id');
      }
    });

    it('is for admins only: 403 for the other roles, 401 without a token', async () => {
      const reason = await created({ code: 'pausa', label: 'Pausa' });
      for (const role of ['operator', 'coordinator', 'backoffice'] as const) {
        const token = await tokenFor(app, await createUser(app, { role }));
        await http().get('/api/v1/pause-reasons').set(as(token)).expect(403);
        await create({ code: `x-${role}`, label: 'X' }, token).expect(403);
        await patch(reason.id, { label: 'X' }, token).expect(403);
        await http().post(`/api/v1/pause-reasons/${reason.id}/archive`).set(as(token)).expect(403);
      }
      await http().get('/api/v1/pause-reasons').expect(401);
      await http().post('/api/v1/pause-reasons').send({ code: 'x', label: 'X' }).expect(401);
      expect(await reasons().count()).toBe(1);
    });
  });

  describe('pages', () => {
    let browser: TestAgent;

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

    beforeEach(async () => {
      browser = await signedInAgent(app, await createUser(app, { role: 'admin' }));
    });

    it('lists the reasons with their labels, attention minutes, position and state; the menu links here', async () => {
      await created({
        code: 'pausa',
        label: 'Pausa <b>caffè</b>',
        labelEn: 'Break',
        maxMinutes: 15,
        position: 1,
      });
      const gone = await created({ code: 'fumo', label: 'Fumo', position: 0 });
      await http().post(`/api/v1/pause-reasons/${gone.id}/archive`).set(as(admin)).expect(200);
      const page = (await browser.get('/pause-reasons').expect(200)).text;
      expect(page).toContain('<h1>Motivi di pausa</h1>');
      // A settings page: its link in the settings menu, and the menu itself, are marked.
      expect(page).toContain('href="/pause-reasons" class="nav-menu-link active"');
      expect(page).toMatch(/<summary class="nav-link active">Impostazioni<\/summary>/);
      expect(page).toContain('Pausa &lt;b&gt;caffè&lt;/b&gt;');
      expect(page).toContain('Break');
      expect(page).toContain('15 min');
      // In use first, then the archived ones, each with its button.
      expect(page.indexOf('data-reason="pausa"')).toBeLessThan(page.indexOf('data-reason="fumo"'));
      expect(page).toMatch(/data-reason="fumo" class="row-inactive"[\s\S]*?Archiviato/);
      expect(page).toContain(`action="/pause-reasons/${gone.id}/restore"`);
      expect(page).toMatch(/action="\/pause-reasons\/\d+\/archive"/);
      expect(page).toMatch(/name="_csrf" value="[^"]+"/);
      expect(page).not.toContain('pauseReasons.');

      const english = await signedInAgent(
        app,
        await createUser(app, { role: 'admin', uiLanguage: 'en' }),
      );
      for (const path of [
        '/pause-reasons',
        '/pause-reasons/new',
        `/pause-reasons/${gone.id}/edit`,
      ]) {
        const text = (await english.get(path).expect(200)).text;
        expect(text).toContain('Pause reasons');
        expect(text).not.toMatch(/pauseReasons\.|nav\.pauseReasons/);
      }
      const form = (await english.get(`/pause-reasons/${gone.id}/edit`).expect(200)).text;
      expect(form).toContain('Attention after (minutes)');
      expect(form).toContain(`action="/pause-reasons/${gone.id}/restore"`);
    });

    it('creates a reason from the form', async () => {
      await submit(
        '/pause-reasons/new',
        '/pause-reasons',
        {
          code: 'Riunione',
          label: 'Riunione',
          labelEn: 'Meeting',
          maxMinutes: '60',
          position: '3',
        },
        '/pause-reasons',
      );
      expect((await browser.get('/pause-reasons').expect(200)).text).toContain(
        'Motivo riunione creato.',
      );
      expect(await reasons().findOneByOrFail({ code: 'riunione' })).toMatchObject({
        label: 'Riunione',
        labelEn: 'Meeting',
        maxMinutes: 60,
        position: 3,
        archivedAt: null,
      });
    });

    it('sends a refused form back with the typed values and the errors beside the fields', async () => {
      await submit(
        '/pause-reasons/new',
        '/pause-reasons',
        { code: 'due parole', label: 'Pausa', maxMinutes: '600' },
        '/pause-reasons/new',
      );
      const again = (await browser.get('/pause-reasons/new').expect(200)).text;
      expect(again).toMatch(/id="code-error">[^<]+</);
      expect(again).toMatch(/id="maxMinutes-error">[^<]+</);
      expect(again).toContain('value="due parole"');
      expect(again).toContain('value="600"');
      expect(again).toContain('aria-invalid="true"');
      expect(await reasons().count()).toBe(0);

      await created({ code: 'pausa', label: 'Pausa' });
      await submit(
        '/pause-reasons/new',
        '/pause-reasons',
        { code: 'PAUSA', label: 'Doppia' },
        '/pause-reasons/new',
      );
      const duplicate = (await browser.get('/pause-reasons/new').expect(200)).text;
      expect(duplicate).toContain('Il codice pausa è già usato da un altro motivo di pausa.');
      expect(duplicate).toMatch(
        /id="code-error">Il codice pausa è già usato da un altro motivo di pausa\./,
      );
      expect(duplicate).toContain('value="Doppia"');
    });

    it('edits a reason: the whole form is saved, empty fields are cleared', async () => {
      const reason = await created({
        code: 'pausa',
        label: 'Pausa',
        labelEn: 'Break',
        maxMinutes: 15,
        position: 2,
      });
      const edit = (await browser.get(`/pause-reasons/${reason.id}/edit`).expect(200)).text;
      expect(edit).toContain('value="Break"');
      expect(edit).toContain('value="15"');
      expect(edit).toContain(`action="/pause-reasons/${reason.id}/archive"`);
      await submit(
        `/pause-reasons/${reason.id}/edit`,
        `/pause-reasons/${reason.id}`,
        { code: 'pausa', label: 'Pausa lunga', labelEn: '', maxMinutes: '', position: '' },
        '/pause-reasons',
      );
      expect(await reasons().findOneByOrFail({ id: reason.id })).toMatchObject({
        label: 'Pausa lunga',
        labelEn: null,
        maxMinutes: null,
        position: 0,
      });
      expect((await browser.get('/pause-reasons').expect(200)).text).toContain(
        'Motivo pausa salvato.',
      );
    });

    it('archives and restores from the list', async () => {
      const reason = await created({ code: 'pausa', label: 'Pausa' });
      await submit('/pause-reasons', `/pause-reasons/${reason.id}/archive`, {}, '/pause-reasons');
      expect((await reasons().findOneByOrFail({ id: reason.id })).archivedAt).not.toBeNull();
      const page = (await browser.get('/pause-reasons').expect(200)).text;
      expect(page).toContain('Motivo pausa archiviato.');
      await submit('/pause-reasons', `/pause-reasons/${reason.id}/restore`, {}, '/pause-reasons');
      expect((await reasons().findOneByOrFail({ id: reason.id })).archivedAt).toBeNull();
      expect((await browser.get('/pause-reasons').expect(200)).text).toContain(
        'Motivo pausa ripristinato.',
      );
    });

    it('refuses a form without its CSRF token', async () => {
      await browser
        .post('/pause-reasons')
        .type('form')
        .send({ code: 'pausa', label: 'Pausa' })
        .expect(303);
      expect(await reasons().count()).toBe(0);
    });

    it('shows the 404 page for an unknown reason and the 403 page to other roles', async () => {
      await browser.get('/pause-reasons/999999/edit').expect(404);
      const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
      expect((await coordinator.get('/pause-reasons').expect(403)).text).toContain(
        'Accesso negato',
      );
      const nav = (await coordinator.get('/').expect(200)).text;
      expect(nav).not.toContain('href="/pause-reasons"');
    });
  });
});
