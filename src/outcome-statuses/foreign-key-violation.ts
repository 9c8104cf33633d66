/** True when the database refused a DELETE because another row still refers to this one. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  return [code, driverError?.code].some(
    (c) =>
      c === 'ER_ROW_IS_REFERENCED_2' ||
      c === 'ER_ROW_IS_REFERENCED' ||
      c === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  );
}
