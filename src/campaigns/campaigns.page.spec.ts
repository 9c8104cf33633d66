import { newFormModel } from './campaign-form';
import { campaignFormPage } from './campaigns.page';
import type { CampaignOptions } from './dto/campaign.view';

const options: CampaignOptions = { statuses: [], products: [], agents: [], operators: [] };
const preview = (body: string) => {
  if (body.includes('{{{')) throw new Error('triple braces are not allowed');
  return body.replace('{{contact.firstName}}', 'Mario');
};

describe('campaignFormPage', () => {
  it('a new campaign: the API’s defaults, three spare rows and no outcome step yet', () => {
    const view = campaignFormPage(newFormModel(), options, preview);
    expect(view).toMatchObject({
      title: 'campaigns.new.title',
      action: '/campaigns',
      previewUrl: '/api/v1/campaigns/script-preview',
      hasOutcome: false,
    });
    expect(view.rows).toHaveLength(3);
    expect(view.rows.every((row) => row.spare)).toBe(true);
  });

  it('previews each script for browsers without scripts, or says why it does not compile', () => {
    const model = {
      ...newFormModel(),
      steps: [
        {
          kind: 'script',
          title: 'Saluto',
          body: 'Ciao {{contact.firstName}}',
          choicesText: '',
          required: false,
          consentPurpose: '',
          contractField: '',
        },
        {
          kind: 'script',
          title: 'Rotto',
          body: 'Ciao {{{x}}}',
          choicesText: '',
          required: false,
          consentPurpose: '',
          contractField: '',
        },
        {
          kind: 'outcome',
          title: 'Esito',
          body: '',
          choicesText: '',
          required: false,
          consentPurpose: '',
          contractField: '',
        },
      ],
    };
    const view = campaignFormPage(model, options, preview);
    expect(view.rows.map((row) => row.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(view.rows[0]!.preview).toEqual({ text: 'Ciao Mario' });
    expect(view.rows[1]!.preview).toEqual({ error: 'triple braces are not allowed' });
    expect(view.rows[2]!.preview).toBeUndefined();
    expect(view.hasOutcome).toBe(true);
  });

  it('offers as wrap-up the negative statuses, those reaching no one first, and keeps the chosen one', () => {
    const status = (id: number, type: string, customerReached: boolean, archived = false) => ({
      id,
      code: `S${id}`,
      label: `Stato ${id}`,
      labelEn: null,
      type,
      color: '#888888',
      quick: false,
      quickOrder: null,
      archived,
      customerReached,
    });
    const all: CampaignOptions = {
      ...options,
      statuses: [
        status(1, 'N', true),
        status(2, 'N', false),
        status(3, 'R', true),
        status(4, 'N', false, true),
      ],
    };
    const none = campaignFormPage(newFormModel(), all, preview);
    expect(none.wrapUpStatuses.map((s) => [s.id, s.selected])).toEqual([
      [2, false],
      [1, false],
    ]);
    const chosen = campaignFormPage({ ...newFormModel(), wrapUpStatusId: '3' }, all, preview);
    expect(chosen.wrapUpStatuses.map((s) => [s.id, s.selected])).toEqual([
      [2, false],
      [1, false],
      [3, true],
    ]);
  });
});
