/** What the list pages' filter forms share (GET forms, state in the URL). */

/** A GET form sends every field, empty ones too: empty means "not filtered". */
export function filledIn(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}

/** A query string of the values given (empty ones left out). */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params.toString();
}

/** A select's options, the one whose id the filter holds marked. */
export function markSelected<T extends { id: number }>(
  options: T[],
  chosen: string | undefined,
): Array<T & { selected: boolean }> {
  return options.map((option) => ({ ...option, selected: chosen === String(option.id) }));
}
