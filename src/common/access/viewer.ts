import type { ObjectLiteral } from 'typeorm';
import type { Role } from './role';

/**
 * Who is looking, with what their role's visibility rules need: the campaigns an operator
 * is assigned to. Built once per request by `CampaignAccess.viewer` and handed to each
 * capability's `…VisibleTo(viewer)` rule, so the lists, the details and a contact's history
 * all answer "may this user see it?" the same way (shared/DESIGN.md, invariant 15).
 */
export interface Viewer {
  id: number;
  role: Role;
  /** An operator's assigned campaigns; empty for the other roles (their rules do not use it). */
  campaignIds: readonly number[];
}

/**
 * A visibility rule as SQL on a query's alias: `all` (no condition), `none`, or a WHERE
 * fragment with its parameters (named with a `visible` prefix so they never clash).
 */
export type VisibleRows = 'all' | 'none' | { where: string; params: ObjectLiteral };

/** Applies a rule to a query builder (anything with `andWhere`). */
export function whereVisible<Q extends { andWhere(where: string, params?: ObjectLiteral): Q }>(
  query: Q,
  rule: VisibleRows,
): Q {
  if (rule === 'all') return query;
  if (rule === 'none') return query.andWhere('1 = 0');
  return query.andWhere(rule.where, rule.params);
}
