import type { ImportSummary } from './dto/import-summary.view';
import type { ContactPage } from './dto/contact-page';
import type { CampaignContactsQuery } from './dto/contact-list.query';
import { formatNumber } from '../common/format/locale-format';
import { displayCounts } from './dto/contact-pages.view';

/** A campaign's contacts page: the list with its search and pager, the recent imports. */
export function campaignContactsPage(
  campaign: unknown,
  page: ContactPage,
  total: number,
  recentImports: ImportSummary[],
  query: CampaignContactsQuery,
  lang: string,
) {
  return {
    title: 'contacts.campaign.title',
    campaign,
    page,
    totalText: formatNumber(total, lang),
    q: query.q ?? '',
    tag: query.tag ?? '',
    recentImports: recentImports.map((summary) => ({
      ...summary,
      display: displayCounts(summary, lang),
    })),
    paged: page.next !== null || page.previous !== null,
    pagerQuery:
      (query.q ? `q=${encodeURIComponent(query.q)}&` : '') +
      (query.tag ? `tag=${encodeURIComponent(query.tag)}&` : ''),
  };
}
