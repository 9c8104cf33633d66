import { ValidationError } from '../errors/domain-errors';

/** A position in a (key, id) keyset order, opaque to the client. */
export function encodeKeysetCursor(key: string, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/**
 * The (key, id) of a cursor from `encodeKeysetCursor`, null when none was given; a
 * malformed one, or one `accept` refuses, is a 400 naming `field`.
 */
export function decodeKeysetCursor(
  value: string | undefined,
  field: string,
  accept: (key: string, id: number) => boolean = () => true,
): { key: string; id: number } | null {
  if (value === undefined || value === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      Number.isInteger(parsed[1]) &&
      accept(parsed[0], parsed[1] as number)
    ) {
      return { key: parsed[0], id: parsed[1] as number };
    }
  } catch {
    // reported below
  }
  throw new ValidationError(field, `${field} is not a cursor from a previous page`);
}
