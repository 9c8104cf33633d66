import { ContractReason } from '../contracts/contract-reason.entity';
import { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { CallbackCapacity } from '../callback-requests/callback-capacity.entity';
import { CallbackOfferSettings } from '../callback-requests/callback-offer-settings.entity';
import { CampaignAgent } from '../campaigns/campaign-agent.entity';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { CampaignProduct } from '../campaigns/campaign-product.entity';
import { CampaignStatus } from '../campaigns/campaign-status.entity';
import { CampaignStep } from '../campaigns/campaign-step.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { windowsOf } from '../campaigns/calling-hours';
import type { ContactQueue } from '../contacts/contact-queue';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Product } from '../products/product.entity';
import { User } from '../users/user.entity';

const STATUSES: Array<Partial<OutcomeStatus>> = [
  {
    code: 'RICHIAMO',
    label: 'Richiamare',
    labelEn: 'Call back',
    type: 'R',
    color: '#F5A623',
    quick: true,
    quickOrder: 1,
    callbackVisibility: 'private',
  },
  {
    code: 'RICH_PUB',
    label: 'Richiamo per tutti',
    labelEn: 'Call back (anyone)',
    type: 'R',
    color: '#F8C45C',
    callbackVisibility: 'public',
  },
  {
    code: 'NO_RISP',
    label: 'Non risponde',
    labelEn: 'No answer',
    type: 'N',
    color: '#9E9E9E',
    quick: true,
    quickOrder: 2,
    retryAfterMinutes: 60,
    maxAttempts: 3,
    customerReached: false,
  },
  {
    code: 'OCCUPATO',
    label: 'Occupato',
    labelEn: 'Busy',
    type: 'N',
    color: '#78909C',
    quick: true,
    quickOrder: 3,
    retryAfterMinutes: 15,
    maxAttempts: 5,
    customerReached: false,
  },
  {
    code: 'SEGRETERIA',
    label: 'Segreteria',
    labelEn: 'Voicemail',
    type: 'N',
    color: '#B0BEC5',
    quick: true,
    quickOrder: 7,
    retryAfterMinutes: 120,
    maxAttempts: 3,
    customerReached: false,
  },
  {
    code: 'NON_INT',
    label: 'Non interessato',
    labelEn: 'Not interested',
    type: 'N',
    color: '#D0021B',
    quick: true,
    quickOrder: 4,
  },
  {
    code: 'NON_CHIAMARE',
    label: 'Non chiamare più',
    labelEn: 'Do not call',
    type: 'N',
    color: '#424242',
    doNotCall: true,
  },
  {
    code: 'VENDITA',
    label: 'Vendita',
    labelEn: 'Sale',
    type: 'C',
    color: '#2E7D32',
    quick: true,
    quickOrder: 5,
  },
  {
    code: 'APPUNTAMENTO',
    label: 'Appuntamento',
    labelEn: 'Appointment',
    type: 'T',
    color: '#1565C0',
    quick: true,
    quickOrder: 6,
  },
];

/**
 * What the demo campaign's wrap-up confirms when the operator chose nothing: a negative that
 * reached no one, so that the campaign's required consent step does not apply.
 */
const WRAP_UP_STATUS: Partial<OutcomeStatus> = {
  code: 'NONCONCL',
  label: 'Non conclusa (post-chiamata)',
  labelEn: 'Not concluded (wrap-up)',
  type: 'N',
  color: '#607D8B',
  customerReached: false,
};

const STATUS_DEFAULTS: Partial<OutcomeStatus> = {
  quick: false,
  quickOrder: null,
  callbackVisibility: null,
  retryAfterMinutes: null,
  maxAttempts: null,
  doNotCall: false,
  archivedAt: null,
  labelEn: null,
};

const PRODUCTS: Array<Partial<Product>> = [
  { code: 'FIBRA100', name: 'Fibra 100 Mega', unitPrice: '24.90', vatRate: '22.00' },
  { code: 'FIBRA1000', name: 'Fibra 1 Giga', unitPrice: '29.90', vatRate: '22.00' },
  { code: 'MODEM', name: 'Modem Wi-Fi 6', unitPrice: '4.90', vatRate: '22.00' },
  { code: 'INSTALL', name: 'Installazione a domicilio', unitPrice: '49.00', vatRate: '22.00' },
];

const weekdays = (start: string, end: string) =>
  [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const AGENTS: Array<Partial<Agent>> = [
  {
    name: 'Andrea Agente',
    email: 'andrea.agente@example.it',
    phone: '+393401112233',
    zones: ['MI', 'MB'],
    workingHours: weekdays('09:00', '18:00'),
  },
  {
    name: 'Beatrice Bianchi',
    email: 'beatrice.bianchi@example.it',
    phone: '+393402223344',
    zones: ['RM'],
    workingHours: [...weekdays('09:00', '13:00'), ...weekdays('14:00', '19:00')],
  },
];

const FIRST = [
  'Mario',
  'Giulia',
  'Luca',
  'Francesca',
  'Marco',
  'Chiara',
  'Alessandro',
  'Sara',
  'Davide',
  'Elena',
  'Paolo',
  'Anna',
];
const LAST = [
  'Rossi',
  'Russo',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Romano',
  'Colombo',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
];
/** City, province, a street and its postcode: what the agent's visit needs. */
const PLACES: Array<[string, string, string, string]> = [
  ['Milano', 'MI', 'Via Padova', '20127'],
  ['Monza', 'MB', 'Via Italia', '20900'],
  ['Roma', 'RM', 'Via Appia Nuova', '00183'],
  ['Torino', 'TO', 'Corso Francia', '10143'],
  ['Bologna', 'BO', 'Via Emilia', '40139'],
];

/**
 * The demo campaign's callback offer: 30-minute slots for 4 callers each, fewer at lunch,
 * none on Saturday afternoon; the public page open; and the campaign's calls wrapped up 60 s
 * after they end.
 * Added once, also to a demo seeded before the offer existed.
 */
export async function seedDemoCallbackOffer(em: EntityManager): Promise<void> {
  const campaign = await em.findOneBy(Campaign, { code: 'FIBRA2026' });
  if (!campaign || (await em.existsBy(CallbackOfferSettings, { campaignId: campaign.id }))) return;
  const status =
    (await em.findOneBy(OutcomeStatus, { code: WRAP_UP_STATUS.code })) ??
    (await em.save(
      OutcomeStatus,
      em.create(OutcomeStatus, { ...STATUS_DEFAULTS, ...WRAP_UP_STATUS }),
    ));
  if (!(await em.existsBy(CampaignStatus, { campaignId: campaign.id, statusId: status.id })))
    await em.insert(CampaignStatus, { campaignId: campaign.id, statusId: status.id });
  await em.insert(CallbackOfferSettings, {
    campaignId: campaign.id,
    slotMinutes: 30,
    leadMinutes: 15,
    defaultCapacity: 4,
    daysAhead: 7,
    publicPage: true,
  });
  await em.update(Campaign, { id: campaign.id }, { wrapUpSeconds: 60, wrapUpStatusId: status.id });
  const lunch = [1, 2, 3, 4, 5].map((day) => ({ day, hour: 13, capacity: 2 }));
  const saturday = [14, 15, 16, 17, 18, 19].map((hour) => ({ day: 6, hour, capacity: 0 }));
  await em.insert(
    CallbackCapacity,
    [...lunch, ...saturday].map((c) => ({ campaignId: campaign.id, ...c })),
  );
}

/** A campaign ready to work: statuses, catalogue, agents, workflow, operators and contacts. */
export async function seedDemoCatalogue(
  em: EntityManager,
  queue: ContactQueue,
  operators: User[],
  contactCount = 300,
): Promise<void> {
  if ((await em.count(Campaign)) > 0) return;
  const statuses = await em.save(
    OutcomeStatus,
    [...STATUSES, WRAP_UP_STATUS].map((s) =>
      em.create(OutcomeStatus, { ...STATUS_DEFAULTS, ...s }),
    ),
  );
  const products = await em.save(
    Product,
    PRODUCTS.map((p) => em.create(Product, { active: true, ...p })),
  );
  const agents = await em.save(
    Agent,
    AGENTS.map((a) => em.create(Agent, { active: true, ...a })),
  );
  const campaign = await em.save(
    Campaign,
    em.create(Campaign, {
      code: 'FIBRA2026',
      name: 'Fibra casa 2026',
      timezone: 'Europe/Rome',
      callingHours: windowsOf({ days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00' }),
      appointmentMinutes: 60,
      overlapPolicy: 'reject',
      privateCallbackGraceMinutes: 30,
      state: 'active',
    }),
  );
  const steps: Array<Partial<CampaignStep>> = [
    {
      kind: 'script',
      title: 'Presentazione',
      body: 'Buongiorno {{contact.firstName}} {{contact.lastName}}, la chiamo da Esito Telecomunicazioni per la nuova offerta Fibra disponibile a {{contact.city}}.',
    },
    {
      kind: 'consent',
      title: 'Consenso alla registrazione',
      body: 'Posso registrare la chiamata per la qualità del servizio?',
      required: true,
    },
    {
      kind: 'question',
      title: 'Connessione attuale',
      body: 'Che connessione usa oggi?',
      choices: ['ADSL', 'Fibra', 'Mobile', 'Nessuna'],
    },
    // Written on the contract of a sale, checked as the operator types them.
    {
      kind: 'question',
      title: 'Codice fiscale',
      body: 'Mi può dettare il suo codice fiscale?',
      contractField: 'fiscalCode',
    },
    {
      kind: 'question',
      title: 'IBAN per l’addebito',
      body: 'Su quale IBAN addebitiamo il canone?',
      contractField: 'iban',
    },
    { kind: 'notes', title: 'Note' },
    { kind: 'outcome', title: 'Esito', required: true },
  ];
  await em.save(
    CampaignStep,
    steps.map((s, i) =>
      em.create(CampaignStep, {
        campaignId: campaign.id,
        position: i + 1,
        body: null,
        choices: null,
        required: false,
        ...s,
      }),
    ),
  );
  await em.insert(
    CampaignStatus,
    statuses.map((s) => ({ campaignId: campaign.id, statusId: s.id })),
  );
  await em.insert(
    CampaignProduct,
    products.map((p) => ({ campaignId: campaign.id, productId: p.id })),
  );
  await em.insert(
    CampaignAgent,
    agents.map((a) => ({ campaignId: campaign.id, agentId: a.id })),
  );
  await em.insert(
    CampaignOperator,
    operators.map((u) => ({ campaignId: campaign.id, userId: u.id })),
  );

  const contacts = Array.from({ length: contactCount }, (_, i) => {
    const [city, province, street, cap] = PLACES[i % PLACES.length]!;
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    return {
      campaignId: campaign.id,
      firstName,
      lastName,
      phone: `+39333${String(1000000 + i * 7919).slice(-7)}`,
      email: i % 3 === 0 ? `${firstName}.${lastName}${i}@example.it`.toLowerCase() : null,
      language: i % 10 === 0 ? 'en' : 'it',
      city,
      province,
      // A few customers gave a home number too: the card shows both, either can be dialled.
      otherPhones:
        i % 25 === 0
          ? [{ number: `+3902${String(7000000 + i * 131).slice(-7)}`, label: 'casa' }]
          : null,
      fields: {
        cliente_dal: String(2010 + (i % 15)),
        indirizzo: `${street} ${1 + ((i * 7) % 180)}`,
        cap,
      },
    };
  });
  for (let i = 0; i < contacts.length; i += 100) await queue.enrol(em, contacts.slice(i, i + 100));
}

/** Why a contract may be suspended: the migration's list, put back if an admin removed one. */
const DEMO_CONTRACT_REASONS: ReadonlyArray<[code: string, label: string]> = [
  ['documents_missing', 'Documenti mancanti'],
  ['customer_unreachable', 'Cliente non raggiungibile'],
  ['payment_details_wrong', 'Dati di pagamento errati'],
  ['supply_details_wrong', 'Dati di fornitura errati'],
  ['customer_reconsidering', 'Cliente in ripensamento'],
];

export async function seedDemoContractReasons(em: EntityManager): Promise<void> {
  const existing = new Set((await em.find(ContractReason)).map((r) => r.code));
  const missing = DEMO_CONTRACT_REASONS.filter(([code]) => !existing.has(code));
  if (missing.length > 0) {
    await em.insert(
      ContractReason,
      missing.map(([code, label]) => ({ code, label, active: true })),
    );
  }
}
