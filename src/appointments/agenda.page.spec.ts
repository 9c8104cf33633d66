import type { AgentView } from '../agents/dto/agent.view';
import type { CampaignView } from '../campaigns/dto/campaign.view';
import type { Say } from '../common/http/form-page';
import { gridPage, gridRange, refusedGridPage } from './agenda.page';
import { agendaAction, appointmentPage, refusedChange } from './appointment.page';
import type { AppointmentView } from './appointments.service';

const NOW = new Date('2026-12-02T09:00:00Z'); // a Wednesday
const campaigns = [{ id: 3, timezone: 'Europe/Rome', agentIds: [1] }] as unknown as CampaignView[];
const agent = (id: number, name: string, active = true): AgentView => ({
  id,
  name,
  email: null,
  phone: null,
  zones: ['MI'],
  workingHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  active,
  createdAt: '',
  updatedAt: '',
});
const appointment = (overrides: Partial<AppointmentView> = {}): AppointmentView => ({
  id: 9,
  agentId: 1,
  agentName: 'Anna',
  campaignId: 3,
  campaignName: 'Fibra',
  timezone: 'Europe/Rome',
  contactId: 4,
  contact: { name: 'Mario Rossi', phone: '02', address: 'Milano', zones: ['MI'] },
  operatorId: null,
  operatorName: null,
  startsAt: '2026-12-03T09:00:00Z',
  endsAt: '2026-12-03T10:00:00Z',
  state: 'booked',
  overlaps: false,
  notes: null,
  stateReason: null,
  sequence: 0,
  createdAt: '2026-12-01T09:00:00Z',
  updatedAt: '2026-12-01T09:00:00Z',
  ...overrides,
});
const WORDS: Record<string, string> = {
  'agenda.errors.taken': 'Orario già preso.',
  'agenda.errors.reasonRequired': 'Scrivi il motivo.',
  'validation.maxLength': 'Troppo lungo.',
};
const say: Say = (key) => WORDS[key];

describe('the agenda grid', () => {
  it('shows the week of the date asked, Monday first, with links a week apart', () => {
    const range = gridRange({ date: '2026-12-02', campaignId: '3' }, campaigns, NOW);
    expect(range).toMatchObject({ gridView: 'week', from: '2026-11-30', to: '2026-12-06' });
    const view = gridPage(
      range,
      campaigns,
      [agent(1, 'Anna'), agent(2, 'Bruno')],
      [appointment()],
      'it',
    );
    expect(view.links.next).toBe('/agenda?view=week&date=2026-12-09&campaignId=3');
    // Only the campaign's agents get a row; Thursday's cell holds the card.
    expect(view.rows.map((row) => row.name)).toEqual(['Anna']);
    const thursday = view.rows[0]!.cells[3]!;
    expect(thursday.cards.map((card) => [card.time, card.customer])).toEqual([
      ['10:00–11:00', 'Mario Rossi'],
    ]);
    expect(view.rows[0]!.cells[5]).toMatchObject({ off: true, weekend: true });
    expect(view.totalKey).toBe('agenda.grid.totalOne');
  });

  it('a day that is none is said beside the form, over the week of today', () => {
    const range = gridRange({ date: '2026-02-30' }, campaigns, NOW);
    expect([range.date, range.from]).toEqual(['2026-12-02', '2026-11-30']);
    const view = refusedGridPage(range, campaigns, [], 'date', 'it');
    expect(view).toMatchObject({ filterError: { field: 'date' }, rows: [] });
  });
});

describe('one appointment', () => {
  it('a closed one has no move picker', () => {
    const view = appointmentPage(
      appointment({ state: 'done' }),
      { back: '/agenda?view=day' },
      undefined,
      { role: 'backoffice', uiLanguage: 'it' },
      NOW,
      null,
    );
    expect(view).toMatchObject({ booked: false, back: '/agenda?view=day', contactLink: false });
    expect('move' in view).toBe(false);
  });
});

describe('a refused change', () => {
  const conflict = () =>
    Promise.resolve({ type: 'error' as const, text: 'agenda.errors.notBooked' });

  it('a taken slot: beside the picker, with the nearest free slots kept', async () => {
    const answer = await refusedChange(
      {
        statusCode: 409,
        message: 'slot taken',
        details: { nearestFreeSlots: [{ start: '2026-12-03T11:00:00Z' }] },
      },
      'move',
      { slot: '1|2026-12-03T10:00' },
      say,
      conflict,
    );
    expect(answer.errors).toEqual({ startsAt: 'Orario già preso.' });
    expect(answer.values).toMatchObject({
      action: 'move',
      slot: '1|2026-12-03T10:00',
      nearestAgentId: 1,
      nearest: ['2026-12-03T11:00:00Z'],
    });
  });

  it('a cancel without a reason: beside the reason; another 409 in the flash', async () => {
    const body = { state: 'cancelled', reason: '  ' };
    expect(agendaAction('/agenda/9/state', body)).toBe('cancel');
    const missing = await refusedChange(
      { statusCode: 400, message: 'reason', fields: { reason: 'reason: say why' } },
      'cancel',
      body,
      say,
      conflict,
    );
    expect(missing.errors).toEqual({ reason: 'Scrivi il motivo.' });
    const stale = await refusedChange(
      { statusCode: 409, message: 'done' },
      'cancel',
      body,
      say,
      conflict,
    );
    expect(stale.flash).toEqual([{ type: 'error', text: 'agenda.errors.notBooked' }]);
  });
});
