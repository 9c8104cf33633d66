/** True when the database refused a row because of a unique index (MySQL or SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  const codes = [code, driverError?.code];
  return codes.some(
    (c) =>
      c === 'ER_DUP_ENTRY' ||
      c === 'SQLITE_CONSTRAINT_UNIQUE' ||
      c === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  );
}
