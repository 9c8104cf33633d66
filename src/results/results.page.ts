import type { ResultsPageQueryDto } from './dto/results-query.dto';
import type { ResultsChoice, ResultsChoices } from './results-file.service';

const ticked = (choices: ResultsChoice[], chosen: readonly number[] | undefined) =>
  choices.map((c) => ({ ...c, checked: chosen?.includes(c.id) ?? false }));

/**
 * The results page (`/results`): choose a campaign, then its days, list, operators and
 * outcomes, the format and the dialect, and download the file.
 */
export function resultsPage(choices: ResultsChoices, query: ResultsPageQueryDto) {
  const campaign = choices.campaign;
  const format = query.format === 'xlsx' ? 'xlsx' : 'csv';
  const dialect = query.dialect === 'plain' ? 'plain' : 'excel-it';
  return {
    title: 'results.title',
    campaigns: choices.campaigns.map((c) => ({ ...c, selected: c.id === campaign?.id })),
    campaign: campaign && {
      id: campaign.id,
      name: campaign.name,
      timezone: campaign.timezone,
      answerColumns: campaign.steps.map((s) => s.title),
      lists: campaign.lists.map((l) => ({ ...l, selected: l.id === query.listId })),
      operators: ticked(campaign.operators, query.operatorIds),
      statuses: ticked(campaign.statuses, query.statusIds),
    },
    from: query.from ?? '',
    to: query.to ?? '',
    formats: (['csv', 'xlsx'] as const).map((value) => ({ value, selected: value === format })),
    // Coordinators open files in Excel: its Italian dialect comes first.
    dialects: (['excel-it', 'plain'] as const).map((value) => ({
      value,
      selected: value === dialect,
    })),
  };
}
