import type { WorkItem, WorkStatusView } from './work-item.service';
import { formatMoney, workPageView } from './work.page';

const status = (id: number, quick: boolean, labelEn: string | null = null): WorkStatusView => ({
  id,
  code: `S${id}`,
  label: `Stato ${id}`,
  labelEn,
  type: 'N',
  color: '#1E88E5',
  quick,
  quickOrder: quick ? id : null,
  callbackVisibility: null,
  doNotCall: false,
  allowPriceOverride: false,
});

function item(overrides: Partial<WorkItem> = {}): WorkItem {
  return {
    contact: {
      id: 5,
      firstName: 'Mario',
      lastName: 'Rossi',
      phone: '0212345678',
      email: null,
      city: 'Milano',
      province: 'MI',
      address: 'Via Roma 1',
      postalCode: null,
      phones: [
        { number: '0212345678', label: null },
        { number: '+393331112233', label: 'cellulare' },
      ],
      language: 'it',
      attempts: 1,
      state: 'in_progress',
      lastStatus: null,
      fields: { piano: '3' },
      interactions: [],
      callbacks: [],
      contracts: [
        {
          protocolNumber: '2026/000001',
          status: 'new',
          total: '1234.5',
          createdAt: '2026-12-01T09:00:00Z',
        },
      ],
      appointments: [],
    } as unknown as WorkItem['contact'],
    address: 'Via Roma 1, Milano',
    callback: null,
    lease: { startedAt: '', expiresAt: '' },
    phoneLink: 'tel:0212345678',
    otherPhones: [{ number: '+393331112233', label: 'cellulare', link: 'tel:+393331112233' }],
    campaign: {
      id: 1,
      code: 'FIBRA',
      name: 'Fibra',
      timezone: 'Europe/Rome',
      callingHours: [{ day: 1, start: '09:00', end: '20:00' }],
      appointmentMinutes: 60,
      overlapPolicy: 'warn',
    },
    steps: [
      {
        id: 1,
        kind: 'script',
        title: 'Saluto',
        html: 'Ciao',
        required: false,
        consentPurpose: null,
      },
    ] as WorkItem['steps'],
    statuses: Array.from({ length: 11 }, (_, i) => status(i + 1, i < 10, i === 0 ? 'Sold' : null)),
    products: [{ id: 1, code: 'P', name: 'Fibra', unitPrice: '19.9', vatRate: '5.50' }],
    agents: [],
    draft: null,
    eligibility: null,
    wrapUp: null,
    ...overrides,
  };
}

describe('workPageView', () => {
  it('without a lease: the campaign chooser only', () => {
    expect(workPageView([], null, 'it')).toEqual({
      campaigns: [],
      hasCampaigns: false,
      item: null,
    });
  });

  it('the card: keys 1-9 for the first quick statuses, an outcome step last when none is set', () => {
    const view = workPageView([], item(), 'en').item!;
    const outcome = view.steps.at(-1) as {
      isOutcome: boolean;
      quick: Array<{ key: number | null; label: string }>;
    };
    expect(outcome.isOutcome).toBe(true);
    expect(outcome.quick.map((s) => s.key)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(outcome.quick[0]!.label).toBe('Sold');
    expect(view.contact.name).toBe('Mario Rossi');
    expect(view.products[0]).toMatchObject({ price: '€19.90', vatPercent: '5.5%' });
    expect(view.history.contracts[0]!.total).toBe('€1,234.50');
    expect(view.warnOverlap).toBe(true);
    // The correction form: the contact as stored, the numbers main first.
    expect(view.contact.editable.map((f) => [f.field, f.value])).toEqual([
      ['firstName', 'Mario'],
      ['lastName', 'Rossi'],
      ['email', ''],
      ['address', 'Via Roma 1'],
      ['postalCode', ''],
      ['city', 'Milano'],
      ['province', 'MI'],
    ]);
    expect(view.contact.otherPhones).toEqual([
      { number: '+393331112233', label: 'cellulare', link: 'tel:+393331112233' },
    ]);
    expect(JSON.parse(view.contact.phonesJson)).toEqual([
      { number: '0212345678', label: '' },
      { number: '+393331112233', label: 'cellulare' },
    ]);
    expect(view.draftJson).toBe('{}');
    expect(view.wrapUp).toBeNull();
  });

  it('the wrap-up: its seconds and status, and the seconds left once the call has ended', () => {
    const wrapUp = { seconds: 30, statusId: 2, secondsLeft: 12 };
    expect(workPageView([], item({ wrapUp }), 'it').item!.wrapUp).toMatchObject({
      ...wrapUp,
      status: { id: 2, code: 'S2', label: 'Stato 2', color: '#1E88E5' },
    });
  });
});

describe('quick keys', () => {
  it('are the statuses’ own digits, the same in every campaign; a clash keeps the first', () => {
    const own = (quickOrder: number, id: number) => ({ ...status(id, true), quickOrder });
    const view = workPageView(
      [],
      item({ statuses: [own(4, 1), own(7, 2), own(4, 3), status(4, false)] }),
      'it',
    ).item!;
    const outcome = view.steps.at(-1) as { quick: Array<{ id: number; key: number | null }> };
    expect(outcome.quick.map((s) => [s.id, s.key])).toEqual([
      [1, 4],
      [2, 7],
      [3, null],
    ]);
  });
});

describe('formatMoney', () => {
  it('writes euros as the browser does, without a float', () => {
    expect(formatMoney('1234567.5', 'it')).toBe('1.234.567,50\u00a0€');
    expect(formatMoney('0.05', 'en')).toBe('€0.05');
  });
});
