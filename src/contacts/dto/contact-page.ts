import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import type { ContactView } from './contact.view';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/http/keyset-cursor';

/** `?q=` (name or phone) and a cursor from a previous page. */
export class ContactPageQuery {
  @ApiPropertyOptional({ description: 'Name or phone (a phone is matched in E.164)' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Only contacts with this tag, e.g. call_next:outage' })
  @IsOmittable()
  @IsString()
  @MaxLength(61)
  tag?: string;

  @ApiPropertyOptional({ description: 'Cursor: the page after this one' })
  @IsOmittable()
  @IsString()
  @MaxLength(400)
  after?: string;

  @ApiPropertyOptional({ description: 'Cursor: the page before this one' })
  @IsOmittable()
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
  return encodeKeysetCursor(contact.lastName, contact.id);
}

export function decodeCursor(value: string | undefined, field: string): Cursor | null {
  const cursor = decodeKeysetCursor(value, field);
  return cursor && { lastName: cursor.key, id: cursor.id };
}
