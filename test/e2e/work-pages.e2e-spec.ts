import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Clock } from '../../src/common/time/clock';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import {
  createAgent,
  createCampaign,
  createProduct,
  createStatus,
} from '../factories/catalogue.factory';
import { createContact } from '../factories/contact.factory';
import { createUser, type TestUser, tokenFor } from '../factories/user.factory';
import { signedInAgent } from '../support/browser-session';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

/** The CSRF token the layout puts in its meta tag, for the page's script. */
function metaCsrf(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF meta tag on the page');
  return match[1];
}

describe('Workstation page (/work)', () => {
  let app: NestExpressApplication;
  let clock: Clock;
  let operator: TestUser;
  let campaign: Campaign;
  let statuses: { noAnswer: OutcomeStatus; callback: OutcomeStatus; wrong: OutcomeStatus };
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    clock = app.get(Clock);
  });
  beforeEach(async () => {
    clock.set(null);
    await resetDatabase(app);
    operator = await createUser(app, { role: 'operator', displayName: 'Giulia Operatrice' });
    statuses = {
      noAnswer: await createStatus(app, {
        code: 'NR',
        label: 'Non risponde',
        labelEn: 'No answer',
        type: 'N',
        quick: true,
        quickOrder: 1,
        color: '#9ca3af',
      }),
      callback: await createStatus(app, {
        code: 'RIC',
        label: 'Richiamare',
        labelEn: 'Call back',
        type: 'R',
        quick: true,
        quickOrder: 2,
        color: '#f59e0b',
        callbackVisibility: 'private',
      }),
      wrong: await createStatus(app, {
        code: 'NE',
        label: 'Numero errato',
        type: 'N',
        color: '#111827',
      }),
    };
    campaign = await createCampaign(
      app,
      { name: 'Fibra <Nord>' },
      {
        statusIds: [statuses.noAnswer.id, statuses.callback.id, statuses.wrong.id],
        operatorIds: [operator.id],
      },
    );
  });
  afterAll(async () => {
    clock.set(null);
    await app.close();
    removeSqliteData();
  });

  /** Leases the next contact to the operator through the API, as the page's script does. */
  async function leaseNext(user: TestUser = operator): Promise<number> {
    const token = await tokenFor(app, user);
    const res = await http()
      .post('/api/v1/work/next')
      .set('Authorization', `Bearer ${token}`)
      .send({})
      .expect(200);
    return (res.body as { contact: { id: number } }).contact.id;
  }

  it('shows an operator the empty workstation with their campaigns, and a menu link to it', async () => {
    const other = await createCampaign(app, { name: 'Non mia' });
    const agent = await signedInAgent(app, operator);
    const page = await agent.get('/work').expect(200);
    expect(page.text).toContain('<h1>Postazione operatore</h1>');
    expect(page.text).toContain('href="/work" class="nav-link active"');
    expect(page.text).toContain('Prossimo contatto');
    expect(page.text).toContain('Nessun contatto in lavorazione');
    expect(page.text).toContain('Fibra &lt;Nord&gt;');
    expect(page.text).not.toContain(other.name);
    expect(page.text).not.toContain('id="work-card"');
    expect(page.text).toContain('<script src="/assets/js/work.js" defer></script>');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('href="/work"');
  });

  it('tells an operator without campaigns to ask their coordinator', async () => {
    const loner = await createUser(app, { role: 'operator' });
    const page = await (await signedInAgent(app, loner)).get('/work').expect(200);
    expect(page.text).toContain('Non sei assegnato a nessuna campagna');
    expect(page.text).not.toContain('id="work-campaign"');
  });

  it('is refused to admin, coordinator and backoffice', async () => {
    for (const role of ['admin', 'coordinator', 'backoffice'] as const) {
      const agent = await signedInAgent(app, await createUser(app, { role }));
      const page = await agent.get('/work').expect(403);
      expect(page.text).not.toContain('id="work-next"');
      expect((await agent.get('/').expect(200)).text).not.toContain('href="/work"');
    }
    await http().get('/work').expect(303).expect('Location', '/login?next=%2Fwork');
  });

  it('renders the leased contact: escaped script, click-to-call, quick keys, the full list, the draft', async () => {
    const db = app.get(DataSource);
    await db
      .getRepository(CampaignStep)
      .update({ campaignId: campaign.id, kind: 'outcome' }, { position: 5 });
    await db.getRepository(CampaignStep).save([
      {
        campaignId: campaign.id,
        position: 2,
        kind: 'question',
        title: 'Operatore attuale?',
        body: null,
        choices: ['TIM', 'Vodafone'],
        required: false,
      },
      {
        campaignId: campaign.id,
        position: 3,
        kind: 'consent',
        title: 'Consenso alla registrazione',
        body: null,
        choices: null,
        required: true,
      },
      {
        campaignId: campaign.id,
        position: 4,
        kind: 'notes',
        title: 'Appunti',
        body: null,
        choices: null,
        required: false,
      },
    ]);
    const contact = await createContact(app, campaign.id, {
      firstName: '<b>Maria</b>',
      lastName: "D'Angelo",
      city: 'Milano',
      province: 'MI',
      fields: { customerCode: 'C-42' },
    });
    const agent = await signedInAgent(app, operator);
    expect(await leaseNext()).toBe(contact.id);
    // The page's own script path: the session cookie with the meta tag's token.
    const token = metaCsrf((await agent.get('/work').expect(200)).text);
    await agent
      .put(`/api/v1/work/${contact.id}/draft`)
      .send({ draft: { notes: 'ha detto "richiamare" <presto>' } })
      .expect(403);
    await agent
      .put(`/api/v1/work/${contact.id}/draft`)
      .set('X-CSRF-Token', token)
      .send({ draft: { notes: 'ha detto "richiamare" <presto>', statusId: statuses.callback.id } })
      .expect(200);

    const page = await agent.get('/work').expect(200);
    expect(page.text).toContain(`data-contact-id="${contact.id}"`);
    expect(page.text).toContain('data-timezone="Europe/Rome"');
    expect(page.text).toContain('Buongiorno &lt;b&gt;Maria&lt;/b&gt;');
    expect(page.text).not.toContain('<b>Maria</b>');
    expect(page.text).toContain('&lt;b&gt;Maria&lt;/b&gt; D&#x27;Angelo');
    expect(page.text).toContain(`href="tel:${contact.phone}"`);
    expect(page.text).toContain('Milano (MI)');
    expect(page.text).toContain('<dt>customerCode</dt><dd>C-42</dd>');
    expect(page.text).toContain('Primo contatto: nessuno storico.');
    // Quick buttons in their order with keys 1 and 2; the third status is only in the list.
    const quick = [...page.text.matchAll(/data-status-id="(\d+)" data-key="(\d)"/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(quick).toEqual([`${statuses.noAnswer.id}:1`, `${statuses.callback.id}:2`]);
    expect(page.text.match(/name="statusId"/g)).toHaveLength(3);
    expect(page.text).toContain('data-color="#f59e0b"');
    // Steps in order, each with its inputs.
    const at = (text: string) => page.text.indexOf(text);
    expect(at('Buongiorno')).toBeLessThan(at('Operatore attuale?'));
    expect(at('Operatore attuale?')).toBeLessThan(at('Consenso alla registrazione'));
    expect(at('Consenso alla registrazione')).toBeLessThan(at('id="work-notes"'));
    expect(at('id="work-notes"')).toBeLessThan(at('id="work-outcome"'));
    expect(page.text).toContain('value="Vodafone"');
    expect(page.text).toContain('CONFERMA ESITO');
    expect(page.text).toContain('STOP / CHIUDI');
    expect(page.text).toContain('<dialog id="work-stop-dialog"');
    // The draft goes back to the page, escaped inside its attribute.
    expect(page.text).toContain(
      `data-draft="{&quot;notes&quot;:&quot;ha detto \\&quot;richiamare\\&quot; &lt;presto&gt;&quot;,&quot;statusId&quot;:${statuses.callback.id}}"`,
    );
    // "Next contact" waits for this contact's outcome.
    expect(page.text).toMatch(/id="work-next" class="btn btn-primary work-next" disabled/);
  });

  it("renders a sale's cart: the campaign's active products to search, VAT per product, the price rule per status", async () => {
    const [sale, saleFixed] = [
      await createStatus(app, { code: 'VEN', type: 'C', allowPriceOverride: true }),
      await createStatus(app, { code: 'VFX', type: 'C' }),
    ];
    const fibra = await createProduct(app, {
      code: 'FIB',
      name: 'Fibra <1 Giga>',
      unitPrice: '1234.50',
      vatRate: '5.50',
    });
    const old = await createProduct(app, { code: 'OLD', name: 'Vecchio', active: false });
    await createProduct(app, { code: 'ALT', name: 'Altra campagna' });
    const shop = await createCampaign(
      app,
      { name: 'Negozio' },
      {
        statusIds: [sale.id, saleFixed.id],
        operatorIds: [operator.id],
        productIds: [fibra.id, old.id],
      },
    );
    await createContact(app, shop.id);
    await leaseNext();
    const page = await (await signedInAgent(app, operator)).get('/work').expect(200);
    const items = [...page.text.matchAll(/<li data-product-id="(\d+)"[^>]*>/g)];
    expect(items.map((m) => Number(m[1]))).toEqual([fibra.id]);
    expect(items[0]![0]).toContain('data-code="FIB" data-name="Fibra &lt;1 Giga&gt;"');
    expect(items[0]![0]).toContain(
      'data-price="1234.50" data-vat="5.50" data-vat-percent="5,5\u00a0%"',
    );
    expect(page.text).toContain('1.234,50\u00a0€ <small>+ IVA 5,5\u00a0%</small>');
    expect(page.text).not.toContain('Altra campagna');
    expect(page.text).toContain(`id="work-cart-box" data-max-quantity="999"`);
    const override = (id: number) =>
      new RegExp(`value="${id}" data-type="C"[^>]*data-price-override="(\\w+)"`).exec(
        page.text,
      )?.[1];
    expect(override(sale.id)).toBe('true');
    expect(override(saleFixed.id)).toBe('false');
    expect(page.text).toContain('CONFERMA CONTRATTO');
  });

  it("renders an appointment's agenda: the week grid's data for the script, the customer and address for the summary", async () => {
    clock.set(new Date('2026-11-30T09:30:00Z'));
    const visit = await createStatus(app, { code: 'APP', label: 'Appuntamento', type: 'T' });
    const far = await createAgent(app, { name: 'Anna Lontana', zones: ['TO'] });
    const near = await createAgent(app, { name: 'Marco <Bianchi>', zones: ['MI'] });
    const field = await createCampaign(
      app,
      { name: 'Visite', overlapPolicy: 'warn' },
      { statusIds: [visit.id], operatorIds: [operator.id], agentIds: [far.id, near.id] },
    );
    const contact = await createContact(app, field.id, {
      firstName: 'Maria',
      lastName: 'Rossi',
      city: 'Milano',
      province: 'MI',
      fields: { indirizzo: 'Via <Dante> 12', cap: '20121' },
    });
    expect(await leaseNext()).toBe(contact.id);
    const agent = await signedInAgent(app, operator);
    const page = await agent.get('/work').expect(200);
    const panel = page.text.slice(
      page.text.indexOf('data-panel="T"'),
      page.text.indexOf('id="work-actions"'),
    );
    // What public/js/work-agenda.js asks the agenda for, and the policy it draws taken slots by.
    expect(panel).toContain(`data-campaign-id="${field.id}"`);
    expect(panel).toContain(`data-contact-id="${contact.id}"`);
    expect(panel).toContain('data-policy="warn"');
    expect(panel).toContain('Orari di Europe/Rome · visite di 60 minuti');
    // The slot picked travels in hidden inputs (draft and outcome); no free-typed time any more.
    expect(panel).toContain(
      '<input type="hidden" id="appointment-agent" name="appointment.agentId">',
    );
    expect(panel).toContain(
      '<input type="hidden" id="appointment-start" name="appointment.startsAt">',
    );
    expect(panel).not.toContain('datetime-local');
    expect(panel).not.toContain('<select');
    expect(panel).toContain('name="appointment.notes"');
    // The summary: the customer, the phone and the address from the list's fields, escaped.
    expect(panel).toContain(
      `Maria Rossi · <span class="work-agenda-phone">${contact.phone}</span>`,
    );
    expect(panel).toContain('Via &lt;Dante&gt; 12, 20121 Milano (MI)');
    expect(panel).not.toContain('Via <Dante>');
    // Under the policy warn the summary asks for the acknowledgement; then the confirmation.
    expect(panel).toContain('name="appointment.acknowledgeOverlap" id="appointment-ack"');
    expect(panel).toContain('CONFERMA APPUNTAMENTO');
    // The agenda writes its dates in the page's language (it was left empty inside the steps).
    expect(panel).toContain('data-lang="it"');
    // The agenda's script is part of the workstation's one bundle.
    expect(page.text).toContain('<script src="/assets/js/work.js" defer></script>');
    expect(page.text).toContain('<link rel="stylesheet" href="/assets/css/work-agenda.css">');

    // The script's request, with the page's session: the agent covering the province first.
    const res = await agent
      .get(`/api/v1/campaigns/${field.id}/agenda`)
      .query({ from: '2026-11-30', to: '2026-12-06', contactId: contact.id })
      .expect(200);
    const agenda = res.body as {
      agents: Array<{ name: string; coversZone: boolean; nextFree: { start: string } | null }>;
    };
    expect(agenda.agents.map((a) => [a.name, a.coversZone])).toEqual([
      ['Marco <Bianchi>', true],
      ['Anna Lontana', false],
    ]);
    // 10:30 in Rome: the next free slot is 11:00.
    expect(agenda.agents[0]!.nextFree?.start).toBe('2026-11-30T10:00:00.000Z');
  });

  it('shows a callback with its context and the history with outcome colours, in English', async () => {
    clock.set(new Date('2026-11-24T10:00:00Z'));
    const english = await createUser(app, { role: 'operator', uiLanguage: 'en' });
    await app
      .get(DataSource)
      .query('INSERT INTO campaign_operators (campaign_id, user_id) VALUES (?, ?)', [
        campaign.id,
        english.id,
      ]);
    const contact = await createContact(app, campaign.id, { firstName: 'Luca' });
    expect(await leaseNext(english)).toBe(contact.id);
    const token = await tokenFor(app, english);
    await http()
      .post(`/api/v1/work/${contact.id}/outcome`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        statusId: statuses.callback.id,
        notes: 'Richiamare dopo le 18, chiedere del marito',
        callback: { at: '2026-11-24T17:30:00Z' },
      })
      .expect(201);
    clock.set(new Date('2026-11-24T17:31:00Z'));
    expect(await leaseNext(english)).toBe(contact.id);

    const page = await (await signedInAgent(app, english)).get('/work').expect(200);
    expect(page.text).toContain('<h1>Operator workstation</h1>');
    expect(page.text).toContain('Next contact');
    expect(page.text).toContain('CONFIRM OUTCOME');
    const context = page.text.slice(page.text.indexOf('id="work-callback-context"'));
    expect(context).toContain('Callback');
    expect(context).toContain('Tue 24/11/2026, 18:30');
    expect(context).toContain(english.displayName);
    expect(context).toContain('<dd>Richiamare</dd>');
    expect(context).toContain('Richiamare dopo le 18, chiedere del marito');
    const history = page.text.slice(page.text.indexOf('id="work-history"'));
    expect(history).toContain('data-color="#f59e0b"');
    expect(history).toContain('<b>RIC</b> Call back');
    expect(history).toContain('Calls');
    // The quick buttons speak English too.
    expect(page.text).toContain('<b>NR</b> No answer');
  });
});
