import { campaignInputFromForm, formModelFromValues, stepRows } from './campaign-form';

describe('campaign form', () => {
  it('orders workflow rows by their order number, page order breaking ties, dropping empty rows', () => {
    const rows = stepRows([
      { position: '2', kind: 'outcome', title: 'Esito' },
      { position: '', kind: 'notes', title: 'Senza numero' },
      { position: '1', kind: 'script', title: 'Saluto', body: 'Ciao' },
      { position: '4', kind: '', title: ' ', body: '', choices: '' },
      { position: '2', kind: 'notes', title: 'Pari merito' },
      'not a row',
    ]);
    expect(rows.map((r) => r.title)).toEqual(['Saluto', 'Esito', 'Pari merito', 'Senza numero']);
  });

  it('reads more than twenty rows, which qs delivers as an object keyed by index', () => {
    const raw = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [String(i), { kind: 'notes', title: `N${i}` }]),
    );
    expect(stepRows(raw).map((r) => r.title)).toEqual(
      Array.from({ length: 25 }, (_, i) => `N${i}`),
    );
  });

  it('turns the form into the API input: ids and numbers, days, one answer per line', () => {
    expect(
      campaignInputFromForm({
        code: 'X',
        statusIds: '3',
        operatorIds: ['4', '5'],
        appointmentMinutes: '45',
        privateCallbackGraceMinutes: 'tanti',
        week: {
          d2: {
            first: { start: '09:00', end: '13:00' },
            second: { start: ' 14:00', end: '18:00' },
          },
          d6: { first: { start: '09:00', end: '' }, second: { start: '', end: '' } },
        },
        holidays: 'IT',
        closedDates: '2026-12-07\r\n 2026-12-24, 2026-12-31\n',
        steps: [
          { kind: 'question', title: 'Q', choices: 'Sì\r\n\r\n  No  \n', required: 'on' },
          { kind: 'outcome', title: 'E', body: '   ' },
        ],
      }),
    ).toEqual({
      code: 'X',
      statusIds: [3],
      productIds: [],
      agentIds: [],
      operatorIds: [4, 5],
      appointmentMinutes: 45,
      privateCallbackGraceMinutes: 'tanti',
      callingHours: [
        { day: 2, start: '09:00', end: '13:00' },
        { day: 2, start: '14:00', end: '18:00' },
        { day: 6, start: '09:00', end: '' },
      ],
      holidays: 'IT',
      closedDates: ['2026-12-07', '2026-12-24', '2026-12-31'],
      steps: [
        { kind: 'question', title: 'Q', choices: ['Sì', 'No'], required: true },
        { kind: 'outcome', title: 'E', required: false },
      ],
    });
  });

  it('reads an empty wrap-up field as none (null) and a number as a number', () => {
    expect(campaignInputFromForm({ wrapUpSeconds: ' ', wrapUpStatusId: '7' })).toMatchObject({
      wrapUpSeconds: null,
      wrapUpStatusId: 7,
    });
    expect(campaignInputFromForm({ wrapUpSeconds: '30s' })).toMatchObject({
      wrapUpSeconds: '30s',
    });
  });

  it('keeps unknown fields for the validation to refuse, and sends no windows as none', () => {
    const input = campaignInputFromForm({ hacker: '1' });
    expect(input.hacker).toBe('1');
    expect(input.callingHours).toEqual([]);
    // no calendar chosen: none
    expect(input.holidays).toBeNull();
    expect(input.closedDates).toEqual([]);
  });

  it('fills the form again from what a refused submission typed', () => {
    const model = formModelFromValues({
      code: 'X',
      week: { d1: { first: { start: '08:00' } }, d7: { second: { start: '10:00', end: '9' } } },
      holidays: '',
      closedDates: '2026-13-01',
      statusIds: ['2', 'x'],
      steps: { '0': { kind: 'script', title: 'S', body: 'B', choices: 'a\nb', required: 'on' } },
    });
    expect(model).toMatchObject({
      code: 'X',
      holidays: '',
      closedDatesText: '2026-13-01',
      statusIds: [2],
      steps: [{ kind: 'script', title: 'S', body: 'B', choicesText: 'a\nb', required: true }],
    });
    // each typed window keeps its place in the list the rules name (callingHours.1.end)
    expect(model.week[0]!.windows).toEqual([
      { start: '08:00', end: '', index: 0 },
      { start: '', end: '', index: -1 },
    ]);
    expect(model.week[6]!.windows[1]).toEqual({ start: '10:00', end: '9', index: 1 });
  });
});
