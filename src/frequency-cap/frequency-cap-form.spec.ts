import { capInputFromForm, formValuesFromBody, formValuesFromSettings } from './frequency-cap-form';

describe('frequency cap form', () => {
  it('maps the form into the API shape: empty is off, an unticked box false, text left for the rules', () => {
    const input = (body: Record<string, unknown>) => capInputFromForm(formValuesFromBody(body));
    expect(
      input({ maxCallsPerDay: ' 3 ', minMinutesBetweenCampaigns: '', applyToService: 'on' }),
    ).toEqual({
      maxCallsPerDay: 3,
      minMinutesBetweenCampaigns: null,
      applyToService: true,
    });
    expect(input({ maxCallsPerDay: '2.5', minMinutesBetweenCampaigns: '-30' })).toEqual({
      maxCallsPerDay: '2.5',
      minMinutesBetweenCampaigns: -30,
      applyToService: false,
    });
    expect(input({ maxCallsPerDay: ['1', '2'] })).toMatchObject({ maxCallsPerDay: '["1","2"]' });
  });

  it('shows the stored settings, a limit that is off as an empty field', () => {
    expect(
      formValuesFromSettings({
        maxCallsPerDay: null,
        minMinutesBetweenCampaigns: 90,
        applyToService: true,
      }),
    ).toEqual({ maxCallsPerDay: '', minMinutesBetweenCampaigns: '90', applyToService: true });
  });
});
