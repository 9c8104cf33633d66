/** Today's date (UTC) in a file's name: "contracts-2026-11-23" (the writer adds .csv or .xlsx). */
export function datedName(prefix: string): string {
  return `${prefix}-${new Date().toISOString().slice(0, 10)}`;
}
