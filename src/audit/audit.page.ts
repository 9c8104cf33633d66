import type { AuditPage } from './audit-log.service';

const FILTERS = ['action', 'actor', 'entity', 'entityId', 'from', 'to'] as const;

/** A line's detail as people read it: "field: before → after", one per change. */
export function describeDetail(detail: unknown): string[] {
  if (detail === null || detail === undefined) return [];
  if (typeof detail !== 'object') return [text(detail)];
  return Object.entries(detail as Record<string, unknown>).map(([field, value]) =>
    Array.isArray(value) && value.length === 2
      ? `${field}: ${text(value[0])} → ${text(value[1])}`
      : `${field}: ${text(value)}`,
  );
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The page `/audit`: the filters as typed, the lines, the links to older lines and the file. */
export function auditPage(
  raw: Record<string, unknown>,
  page: AuditPage,
  refused?: { field: string; message: string },
) {
  const filters: Record<string, string> = {};
  for (const key of FILTERS) {
    const value = raw[key];
    filters[key] = typeof value === 'string' ? value : '';
  }
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, value]) => value !== ''),
  ).toString();
  return {
    title: 'audit.title',
    filters,
    refused: refused ?? null,
    lines: page.lines.map((l) => ({ ...l, changes: describeDetail(l.detail) })),
    older: page.next === null ? null : `/audit?${query ? `${query}&` : ''}before=${page.next}`,
    download: `/audit/download${query ? `?${query}` : ''}`,
  };
}
