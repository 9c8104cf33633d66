import type { DataSource } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';
import type { CampaignPurpose } from '../campaigns/campaign.entity';
import type { DoNotCallNumber } from './do-not-call-number.entity';

/**
 * The one rule of the list, for code and for SQL: an entry blocks a call of a campaign
 * when it has not expired and its scope covers the campaign's purpose (scope `all` blocks
 * every campaign; scope `marketing`, the opposition register's, only marketing ones).
 */
export function blocks(
  entry: Pick<DoNotCallNumber, 'scope' | 'expiresAt'>,
  purpose: CampaignPurpose,
  now: Date,
): boolean {
  if (entry.expiresAt !== null && entry.expiresAt.getTime() <= now.getTime()) return false;
  return entry.scope === 'all' || purpose === 'marketing';
}

/** Whether an entry has expired at `now` (it stays listed and shown, blocking nothing). */
export function expired(entry: Pick<DoNotCallNumber, 'expiresAt'>, now: Date): boolean {
  return entry.expiresAt !== null && entry.expiresAt.getTime() <= now.getTime();
}

/**
 * {@link blocks} as a condition on the list's row aliased `entry`: `now` is the named
 * parameter `:<nowParam>` (query builders) or `?` (raw statements: bind {@link sqlInstant}).
 * `purpose` is the campaign's purpose, or null when `purposeColumn` says it row by row.
 */
export function blocksSql(
  entry: string,
  purpose: CampaignPurpose | null,
  now: string,
  purposeColumn?: string,
): string {
  const current = `(${entry}.expires_at IS NULL OR ${entry}.expires_at > ${now})`;
  if (purpose === 'marketing') return current;
  if (purpose === 'service') return `${current} AND ${entry}.scope = 'all'`;
  return `${current} AND (${entry}.scope = 'all' OR ${purposeColumn ?? "'marketing'"} = 'marketing')`;
}

/** An instant as a raw statement binds it: mysql2 sends a Date in UTC; SQLite compares TypeORM's text. */
export function sqlInstant(dataSource: DataSource, at: Date): Date | string {
  const type = dataSource.options.type;
  return type === 'mysql' || type === 'mariadb'
    ? at
    : (DateUtils.mixedDateToUtcDatetimeString(at) as string);
}
