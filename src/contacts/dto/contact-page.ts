import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ValidationError } from '../../common/errors/domain-errors';
import type { ContactView } from './contact.view';

/** `?q=` (name or phone) and a cursor from a previous page. */
export class ContactPageQuery {
  @ApiPropertyOptional({ description: 'Name or phone (a phone is matched in E.164)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Cursor: the page after this one' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  after?: string;

  @ApiPropertyOptional({ description: 'Cursor: the page before this one' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  before?: string;
}

export interface ContactPage {
  contacts: ContactView[];
  /** Cursor for `?after=`, null on the last page. */
  next: string | null;
  /** Cursor for `?before=`, null on the first page. */
  previous: string | null;
}

interface Cursor {
  lastName: string;
  id: number;
}

/** A position in (last name, id) order, opaque to the client. */
export function encodeCursor(contact: Cursor): string {
  return Buffer.from(JSON.stringify([contact.lastName, contact.id])).toString('base64url');
}

export function decodeCursor(value: string | undefined, field: string): Cursor | null {
  if (value === undefined || value === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      Number.isInteger(parsed[1])
    ) {
      return { lastName: parsed[0], id: parsed[1] as number };
    }
  } catch {
    // reported below
  }
  throw new ValidationError(field, `${field} is not a cursor from a previous page`);
}
