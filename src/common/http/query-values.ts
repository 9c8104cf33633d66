import { ValidationError } from '../errors/domain-errors';

const ID = /^[1-9][0-9]{0,9}$/;

/** A query parameter given once as text (a repeated one arrives as an array). */
export function queryText(raw: Record<string, unknown>, field: string): string | undefined {
  return givenOnce(raw[field], field);
}

/** A query parameter's value (`@Query('q')`) as text, refused when repeated. */
export function givenOnce(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ValidationError(field, `${field} must be given once`);
  return value;
}

/** A positive database id (32-bit). */
export function queryId(value: string, field: string): number {
  if (!ID.test(value) || Number(value) > 2_147_483_647) {
    throw new ValidationError(field, `${field} must be a positive integer`);
  }
  return Number(value);
}

export function queryOneOf<T extends string>(
  value: string,
  field: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `${field} must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}
