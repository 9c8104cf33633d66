import type { Role } from '../access/role';

export interface NavItem {
  /** i18n key of the label. */
  label: string;
  href: string;
  roles: readonly Role[];
  /** Configuration pages: listed under one "Settings" menu, not in the bar itself. */
  settings?: true;
}

export interface NavLink extends NavItem {
  active: boolean;
}

/** The menu as a user sees it: the bar's links, then those of the settings menu. */
export interface Navigation {
  links: NavLink[];
  settings: NavLink[];
  /** The page shown is one of the settings menu's. */
  inSettings: boolean;
}

/** The main menu; each capability adds its pages here, with the roles that may open them. */
export const NAVIGATION: readonly NavItem[] = [
  { label: 'nav.home', href: '/', roles: ['admin', 'coordinator', 'operator', 'backoffice'] },
  { label: 'work.nav', href: '/work', roles: ['operator'] },
  { label: 'callbacks.nav', href: '/callbacks', roles: ['operator', 'coordinator', 'admin'] },
  { label: 'callbackRequests.nav', href: '/callback-requests', roles: ['coordinator', 'admin'] },
  { label: 'nav.campaigns', href: '/campaigns', roles: ['admin', 'coordinator'] },
  { label: 'nav.contacts', href: '/contacts', roles: ['admin', 'coordinator'] },
  { label: 'contracts.nav', href: '/contracts', roles: ['backoffice', 'coordinator', 'admin'] },
  { label: 'agenda.nav', href: '/agenda', roles: ['coordinator', 'backoffice', 'admin'] },
  { label: 'monitor.nav', href: '/monitor', roles: ['coordinator', 'admin'] },
  { label: 'reports.nav', href: '/reports', roles: ['coordinator', 'admin'] },
  { label: 'results.nav', href: '/results', roles: ['coordinator', 'admin'] },
  { label: 'followUps.nav', href: '/follow-ups', roles: ['coordinator', 'admin'] },
  { label: 'outages.nav', href: '/outages', roles: ['coordinator', 'admin'] },
  { label: 'nav.statuses', href: '/outcome-statuses', roles: ['admin'], settings: true },
  { label: 'nav.pauseReasons', href: '/pause-reasons', roles: ['admin'], settings: true },
  { label: 'contractReasons.nav', href: '/contract-reasons', roles: ['admin'], settings: true },
  { label: 'nav.products', href: '/products', roles: ['admin'], settings: true },
  { label: 'nav.agents', href: '/agents', roles: ['admin'], settings: true },
  { label: 'nav.doNotCall', href: '/do-not-call', roles: ['admin', 'coordinator'], settings: true },
  {
    label: 'frequencyCap.nav',
    href: '/settings/frequency-cap',
    roles: ['admin', 'coordinator'],
    settings: true,
  },
  { label: 'nav.users', href: '/users', roles: ['admin'], settings: true },
  { label: 'webhooks.nav', href: '/webhooks', roles: ['admin'], settings: true },
  { label: 'audit.nav', href: '/audit', roles: ['admin'], settings: true },
  { label: 'nav.apiDocs', href: '/api/docs', roles: ['admin'], settings: true },
];

export function navigationFor(role: Role, currentPath: string): Navigation {
  const mine = NAVIGATION.filter((item) => item.roles.includes(role)).map((item) => ({
    ...item,
    active: item.href === '/' ? currentPath === '/' : currentPath.startsWith(item.href),
  }));
  const settings = mine.filter((item) => item.settings);
  return {
    links: mine.filter((item) => !item.settings),
    settings,
    inSettings: settings.some((item) => item.active),
  };
}
