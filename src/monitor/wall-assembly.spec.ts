import { assembleWall, filterWall, recentMarks, WallMemo, type WallRows } from './wall-assembly';

const now = new Date('2026-03-10T10:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const minute = (at: Date) => Math.floor(at.getTime() / 60_000);

function rows(overrides: Partial<WallRows> = {}): WallRows {
  return {
    operators: [
      { id: 1, displayName: 'Anna', team: 'Milano' },
      { id: 2, displayName: 'Bruno', team: 'Roma' },
      { id: 3, displayName: 'Carla', team: null },
    ],
    states: [
      {
        userId: 1,
        state: 'paused',
        pauseReasonId: 7,
        since: minutesAgo(20),
        seenAt: minutesAgo(0),
        lastStatusId: 10,
        lastCampaignId: 100,
        lastOutcomeAt: minutesAgo(25),
        recent: `10:${minute(minutesAgo(25))} 11:${minute(minutesAgo(30))} 10:${minute(minutesAgo(90))}`,
      },
      {
        userId: 2,
        state: 'ready',
        pauseReasonId: null,
        since: minutesAgo(40),
        seenAt: minutesAgo(1),
        lastStatusId: null,
        lastCampaignId: null,
        lastOutcomeAt: null,
        recent: null,
      },
    ],
    leases: [{ contactId: 500, userId: 2, campaignId: 100, startedAt: minutesAgo(12) }],
    memberships: [
      { campaignId: 100, userId: 1 },
      { campaignId: 100, userId: 2 },
      { campaignId: 200, userId: 3 },
    ],
    statuses: [
      { id: 10, code: 'VEN', label: 'Venduto', labelEn: 'Sold', type: 'C', color: '#00aa00' },
      { id: 11, code: 'NR', label: 'Non risponde', labelEn: null, type: 'N', color: '#aaaaaa' },
    ],
    reasons: [{ id: 7, code: 'PR', label: 'Pranzo', labelEn: 'Lunch', maxMinutes: 15 }],
    campaigns: [
      { id: 100, code: 'FIBRA', name: 'Fibra', state: 'active' },
      { id: 200, code: 'OLD', name: 'Vecchia', state: 'paused' },
    ],
    today: new Map([
      [100, '2026-03-10'],
      [200, '2026-03-10'],
    ]),
    counters: [
      { day: '2026-03-10', campaignId: 100, operatorId: 1, R: 1, N: '2', C: 3, T: 0 },
      { day: '2026-03-09', campaignId: 100, operatorId: 1, R: 9, N: 9, C: 9, T: 9 },
      { day: '2026-03-10', campaignId: '100', operatorId: '2', R: 0, N: 1, C: 0, T: 1 },
    ],
    contactsLeft: new Map([[100, 42]]),
    waiting: {
      dueByCampaign: new Map([[100, 4]]),
      overdueByCampaign: new Map([[100, 2]]),
      overdueByOwner: new Map([[1, 2]]),
    },
    ...overrides,
  };
}

const settings = { longContactMs: 10 * 60_000 };

describe('assembleWall', () => {
  it("makes a tile per operator: state, time in state, today's counts and what asks for attention", () => {
    const wall = assembleWall(rows(), now, settings);
    const [anna, bruno, carla] = wall.operators;
    expect(anna).toMatchObject({
      operatorId: 1,
      state: 'paused',
      since: minutesAgo(20).toISOString(),
      pauseReason: { id: 7, code: 'PR', label: 'Pranzo', labelEn: 'Lunch' },
      contact: null,
      lastOutcome: { code: 'VEN', type: 'C', at: minutesAgo(25).toISOString(), campaignId: 100 },
      counts: { R: 1, N: 2, C: 3, T: 0 },
      callbacksOverdue: 2,
      attention: ['pause_long', 'callbacks_overdue'],
      campaignIds: [100],
    });
    // The last hour only, the most frequent first.
    expect(anna!.recent.map((r) => [r.code, r.count])).toEqual([
      ['VEN', 1],
      ['NR', 1],
    ]);
    expect(bruno).toMatchObject({
      state: 'on_contact',
      since: minutesAgo(12).toISOString(),
      contact: { id: 500, campaignId: 100 },
      counts: { R: 0, N: 1, C: 0, T: 1 },
      attention: ['contact_long'],
    });
    expect(carla).toMatchObject({ state: 'logged_out', since: null, lastOutcome: null });
    expect(carla!.counts).toEqual({ R: 0, N: 0, C: 0, T: 0 });
  });

  it('shows an operator whose page stopped answering as logged out since last seen', () => {
    const wall = assembleWall(
      rows({
        leases: [],
        states: [{ ...rows().states[1]!, userId: 2, seenAt: minutesAgo(30) }],
      }),
      now,
      settings,
    );
    expect(wall.operators[1]).toMatchObject({
      state: 'logged_out',
      since: minutesAgo(30).toISOString(),
    });
  });

  it('counts a ready operator from the end of their last call, which restarts their state', () => {
    // Bruno's call ended 3 minutes ago: the outcome made him ready again from then.
    const ended = minutesAgo(3);
    const bruno = { ...rows().states[1]!, since: ended, lastStatusId: 11, lastOutcomeAt: ended };
    const ready = assembleWall(rows({ leases: [], states: [bruno] }), now, settings);
    expect(ready.operators[1]).toMatchObject({ state: 'ready', since: ended.toISOString() });
    // On the next call the tile counts from the lease, and back from its end after.
    const onCall = assembleWall(
      rows({
        leases: [{ contactId: 501, userId: 2, campaignId: 100, startedAt: minutesAgo(1) }],
        states: [bruno],
      }),
      now,
      settings,
    );
    expect(onCall.operators[1]).toMatchObject({
      state: 'on_contact',
      since: minutesAgo(1).toISOString(),
    });
  });

  it("sums each campaign's day, keeps a paused campaign only with outcomes today, lists teams", () => {
    const wall = assembleWall(rows(), now, settings);
    expect(wall.campaigns).toEqual([
      {
        id: 100,
        code: 'FIBRA',
        name: 'Fibra',
        counts: { R: 1, N: 3, C: 3, T: 1 },
        total: 8,
        conversionRate: 0.5,
        contactsLeft: 42,
        callbacksDue: 4,
        callbacksOverdue: 2,
      },
    ]);
    expect(wall.teams).toEqual(['Milano', 'Roma']);
    expect(wall.at).toBe(now.toISOString());
  });

  it('gives the same wall with a memo kept from the last tick as with a fresh one', () => {
    const memo = new WallMemo();
    assembleWall(rows(), minutesAgo(1), settings, memo);
    const kept = assembleWall(rows(), now, settings, memo);
    expect(kept).toEqual(assembleWall(rows(), now, settings));
  });
});

describe('filterWall', () => {
  it("keeps one campaign's operators with that campaign's counts, or one team", () => {
    const wall = assembleWall(rows(), now, settings);
    const fibra = filterWall(wall, { campaignId: 100 });
    expect(fibra.operators.map((o) => o.operatorId)).toEqual([1, 2]);
    expect(fibra.campaigns.map((c) => c.id)).toEqual([100]);
    expect(filterWall(wall, { team: 'Roma' }).operators.map((o) => o.operatorId)).toEqual([2]);
  });
});

describe('recentMarks', () => {
  it('counts the entries of the last hour whose status is known', () => {
    const marks = new Map([
      [10, { code: 'VEN', label: 'V', labelEn: null, type: 'C' as const, color: '#000000' }],
    ]);
    const text = `10:${minute(minutesAgo(5))} 99:${minute(minutesAgo(5))} 10:${minute(minutesAgo(61))}`;
    expect(recentMarks(text, now, marks)).toEqual([
      { code: 'VEN', label: 'V', labelEn: null, type: 'C', color: '#000000', count: 1 },
    ]);
    expect(recentMarks(null, now, marks)).toEqual([]);
  });
});
