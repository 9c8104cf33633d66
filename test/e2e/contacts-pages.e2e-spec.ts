import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { createCampaign, createStatus } from '../factories/catalogue.factory';
import { addToDoNotCall, createContact, mobile } from '../factories/contact.factory';
import { createUser } from '../factories/user.factory';
import { csrfFrom, signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Contact pages', () => {
  let app: NestExpressApplication;
  let campaign: Campaign;
  const contacts = () => app.get(DataSource).getRepository(Contact);

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(async () => {
    await resetDatabase(app);
    campaign = await createCampaign(app, { name: 'Fibra Nord' });
  });
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  async function admin() {
    return signedInAgent(app, await createUser(app, { role: 'admin' }));
  }

  it("lists a campaign's contacts with search and pages of 50", async () => {
    for (let i = 0; i < 55; i++) {
      await createContact(app, campaign.id, {
        lastName: `Cognome${String(i).padStart(2, '0')}`,
        phone: mobile(i),
      });
    }
    await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Zeta <b>',
      phone: mobile(99),
    });
    const agent = await admin();
    const page = await agent.get(`/campaigns/${campaign.id}/contacts`).expect(200);
    expect(page.text).toContain('Contatti · Fibra Nord');
    expect(page.text).toContain('Contatti: 56');
    expect(page.text.match(/<a href="\/contacts\/\d+">/g)).toHaveLength(50);
    expect(page.text).toContain('Successivi →');
    const next = /href="(\/campaigns\/\d+\/contacts\?after=[^"]+)"/.exec(page.text)![1]!;
    const second = await agent.get(next).expect(200);
    expect(second.text.match(/<a href="\/contacts\/\d+">/g)).toHaveLength(6);
    expect(second.text).toContain('Zeta &lt;b&gt; Maria');
    expect(second.text).toContain('← Precedenti');
    const search = await agent.get(`/campaigns/${campaign.id}/contacts?q=zeta`).expect(200);
    expect(search.text.match(/<a href="\/contacts\/\d+">/g)).toHaveLength(1);
    const phone = await agent
      .get(`/campaigns/${campaign.id}/contacts?q=${encodeURIComponent('333 000 0099')}`)
      .expect(200);
    expect(phone.text).toContain('+393330000099');
    const none = await agent.get(`/campaigns/${campaign.id}/contacts?q=nessuno`).expect(200);
    expect(none.text).toContain('Nessun contatto corrisponde a «nessuno».');
    await agent.get('/campaigns/999999/contacts').expect(404);
  });

  it('adds a contact from the form, and sends bad input back beside the field with what was typed', async () => {
    const agent = await admin();
    const page = await agent.get(`/campaigns/${campaign.id}/contacts`).expect(200);
    const csrf = csrfFrom(page.text);
    await agent
      .post(`/campaigns/${campaign.id}/contacts`)
      .type('form')
      .set('Referer', `http://127.0.0.1/campaigns/${campaign.id}/contacts`)
      .send({
        _csrf: csrf,
        firstName: 'Maria',
        lastName: 'Rossi',
        phone: '333 123 4567',
        email: '',
        city: 'Milano',
        province: 'mi',
      })
      .expect(303)
      .expect('Location', `/campaigns/${campaign.id}/contacts`);
    const after = await agent.get(`/campaigns/${campaign.id}/contacts`).expect(200);
    expect(after.text).toContain('Contatto Maria Rossi aggiunto (+393331234567).');
    const stored = await contacts().findOneByOrFail({ phone: '+393331234567' });
    expect(stored).toMatchObject({ email: null, province: 'MI', city: 'Milano' });

    const bad = await agent
      .post(`/campaigns/${campaign.id}/contacts`)
      .type('form')
      .send({ _csrf: csrfFrom(after.text), firstName: 'Luca', lastName: 'Bianchi', phone: '12345' })
      .expect(303);
    const form = await agent.get(bad.headers.location as string).expect(200);
    expect(form.text).toContain('«12345» non è un numero di telefono valido.');
    expect(form.text).toMatch(/id="phone" name="phone"[^>]*value="12345"/);
    expect(form.text).toMatch(/id="firstName" name="firstName"[^>]*value="Luca"/);
    expect(form.text).toContain('id="phone-error"');

    const duplicate = await agent
      .post(`/campaigns/${campaign.id}/contacts`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        firstName: 'Maria',
        lastName: 'Rossi',
        phone: '+39 333 1234567',
      })
      .expect(303);
    const page3 = await agent.get(duplicate.headers.location as string).expect(200);
    expect(page3.text).toContain('Il numero +393331234567 è già presente in questa campagna.');

    await addToDoNotCall(app, '+393339999999');
    const blocked = await agent
      .post(`/campaigns/${campaign.id}/contacts`)
      .type('form')
      .send({
        _csrf: csrfFrom(page3.text),
        firstName: 'Anna',
        lastName: 'Verdi',
        phone: '3339999999',
      })
      .expect(303);
    const page4 = await agent.get(blocked.headers.location as string).expect(200);
    expect(page4.text).toContain('Il numero +393339999999 è nella lista «non chiamare».');
    expect(await contacts().count()).toBe(1);
  });

  it('shows a contact with its details, custom fields and empty history sections', async () => {
    const status = await createStatus(app, { label: 'Richiamare', color: '#ff9900', type: 'R' });
    const contact = await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      phone: '+393331234567',
      email: 'maria@example.it',
      city: 'Milano',
      province: 'MI',
      language: 'it',
      fields: { customerCode: 'A-1021', '<script>': '<img src=x>' },
      lastStatusId: status.id,
      lastOutcomeAt: new Date('2026-05-04T10:30:00Z'),
      attempts: 2,
      state: 'callback',
    });
    const agent = await admin();
    const page = await agent.get(`/contacts/${contact.id}`).expect(200);
    for (const text of [
      'Maria Rossi',
      '+393331234567',
      'maria@example.it',
      'Fibra Nord',
      'customerCode',
      'A-1021',
      '&lt;script&gt;',
      '&lt;img src&#x3D;x&gt;',
      'Richiamare',
      'Da richiamare',
      'Nessuna chiamata registrata.',
      'Nessun richiamo.',
      'Nessun contratto.',
      'Nessun appuntamento.',
    ]) {
      expect(page.text).toContain(text);
    }
    expect(page.text).not.toContain('<script>');
    await agent.get('/contacts/999999').expect(404);
    await agent.get('/contacts/abc').expect(400);
  });

  it('searches across campaigns from /contacts', async () => {
    const other = await createCampaign(app, { name: 'Luce Sud' });
    await createContact(app, campaign.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      phone: mobile(1),
    });
    await createContact(app, other.id, {
      firstName: 'Anna',
      lastName: 'Rossini',
      phone: mobile(2),
    });
    const agent = await admin();
    const empty = await agent.get('/contacts').expect(200);
    expect(empty.text).toContain('Cerca in tutte le campagne');
    const found = await agent.get('/contacts?q=ross').expect(200);
    expect(found.text).toContain('Fibra Nord');
    expect(found.text).toContain('Luce Sud');
    expect(found.text.match(/<a href="\/contacts\/\d+">/g)).toHaveLength(2);
    const none = await agent.get('/contacts?q=zzz').expect(200);
    expect(none.text).toContain('Nessun contatto trovato per «zzz».');
  });

  it('keeps operators and backoffice out of the contact pages (403)', async () => {
    const contact = await createContact(app, campaign.id);
    for (const role of ['operator', 'backoffice'] as const) {
      const agent = await signedInAgent(app, await createUser(app, { role }));
      await agent.get(`/campaigns/${campaign.id}/contacts`).expect(403);
      await agent.get('/contacts').expect(403);
      await agent.get(`/contacts/${contact.id}`).expect(403);
      await agent.get(`/campaigns/${campaign.id}/contacts/export.csv`).expect(403);
    }
    const coordinator = await signedInAgent(app, await createUser(app, { role: 'coordinator' }));
    await coordinator.get(`/campaigns/${campaign.id}/contacts`).expect(200);
    await coordinator.get(`/contacts/${contact.id}`).expect(200);
  });
});
