import type { CallbackCard } from './dto/callback.view';
import { boardPage, deskPage, listToReturnTo, refusedBoardPage } from './callbacks.page';

const NOW = new Date('2026-03-02T10:00:00Z');
const campaign = { id: 7, code: 'FIBRA', name: 'Fibra', timezone: 'Europe/Rome' };

function card(id: number, dueAt: string, overrides: Partial<CallbackCard> = {}): CallbackCard {
  return {
    id,
    contactId: id,
    contact: { id, name: `Contatto ${id}`, phone: '0212345678' },
    campaign,
    dueAt,
    dueLocal: '',
    visibility: 'private',
    state: 'due',
    owner: { id: 1, name: 'Anna' },
    notes: null,
    reason: null,
    overdueMinutes: null,
    escalatedAt: null,
    escalationReason: null,
    attempts: 0,
    answers: [],
    atRisk: false,
    ...overrides,
  };
}
const open = {
  id: 7,
  open: true,
  paused: false,
  callingHours: { it: 'Lun-Ven 09:00-20:00', en: 'Mon-Fri 09:00-20:00' },
};

describe('deskPage', () => {
  it('sorts the operator’s callbacks by urgency and says why one cannot be opened yet', () => {
    const view = deskPage(
      {
        mine: [
          card(1, '2026-03-02T09:00:00Z', { atRisk: true }),
          card(2, '2026-03-02T09:55:00Z'),
          card(3, '2026-03-02T12:00:00Z'),
        ],
        pool: [card(4, '2026-03-02T12:00:00Z', { visibility: 'public', owner: null })],
        campaigns: [open as never],
        holding: false,
      },
      { id: 1, uiLanguage: 'it' },
      NOW,
    );
    expect(view.sections.map((s) => [s.key, s.items.map((i) => i.id)])).toEqual([
      ['overdue', [1]],
      ['due', [2]],
      ['upcoming', [3]],
      ['pool', [4]],
    ]);
    expect(view.sections[2]!.items[0]!.blocked).toBeNull();
    expect(view.sections[3]!.items[0]!.blocked).toEqual({ key: 'callbacks.card.notDueYet' });
  });

  it('a campaign the operator is not in, or a paused one, blocks “Apri”', () => {
    const view = deskPage(
      { mine: [card(1, '2026-03-02T09:00:00Z')], pool: [], campaigns: [], holding: true },
      { id: 1, uiLanguage: 'it' },
      NOW,
    );
    expect(view.holding).toBe(true);
    expect(view.sections[1]!.items[0]!.blocked).toEqual({ key: 'callbacks.card.notAssigned' });
  });

  it('a closed campaign says its calling hours in the page’s language', () => {
    const closed = { ...open, open: false };
    const desk = { mine: [card(1, '2026-03-02T09:00:00Z')], pool: [], holding: false };
    for (const [lang, window] of [
      ['it', 'Lun-Ven 09:00-20:00'],
      ['en', 'Mon-Fri 09:00-20:00'],
    ]) {
      const view = deskPage(
        { ...desk, campaigns: [closed as never] },
        { id: 1, uiLanguage: lang! },
        NOW,
      );
      expect(view.sections[1]!.items[0]!.blocked).toEqual({
        key: 'callbacks.card.closed',
        args: { window },
      });
    }
  });
});

describe('boardPage', () => {
  const options = { campaigns: [{ id: 7, code: 'FIBRA', name: 'Fibra' }], operators: [] };
  const assignable = new Map([
    [
      7,
      [
        { id: 1, name: 'Anna' },
        { id: 2, name: 'Bruno' },
      ],
    ],
  ]);

  it('keeps the filters in the paging links and offers the other operators of the campaign', () => {
    const view = boardPage(
      { campaignId: '7', limit: '2', state: '' },
      { options, page: { items: [card(5, '2026-03-02T09:00:00Z')], next: 5 }, assignable },
      'it',
      undefined,
    );
    expect(view.next).toBe('/callbacks?campaignId=7&limit=2&after=5');
    expect(view.first).toBeNull();
    expect(view.campaigns[0]!.selected).toBe(true);
    expect(view.items[0]!.actions?.operators).toEqual([{ id: 2, name: 'Bruno' }]);
  });

  it('opens the refused row with its errors and what was typed', () => {
    const view = boardPage(
      {},
      { options, page: { items: [card(5, '2026-03-02T09:00:00Z')], next: null }, assignable },
      'it',
      {
        errors: { reason: 'Troppo lungo.' },
        values: { callbackId: 5, action: 'cancel', reason: 'x' },
      },
    );
    expect(view.items[0]!.refused).toEqual({
      action: 'cancel',
      errors: { reason: 'Troppo lungo.' },
      reason: 'x',
    });
  });

  it('a wrong filter keeps the form, names the field and lists nothing', () => {
    const view = refusedBoardPage({ state: 'lost' }, options, 'state');
    expect(view).toMatchObject({ filterError: { field: 'state' }, items: [], paged: false });
    expect(view.filters.state).toBe('lost');
  });

  it('sends an action back only to the list itself', () => {
    expect(listToReturnTo('/callbacks?campaignId=7')).toBe('/callbacks?campaignId=7');
    expect(listToReturnTo('https://evil.example/')).toBe('/callbacks');
  });
});
