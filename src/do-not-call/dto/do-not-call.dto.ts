import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import type { FieldProblem } from '../../common/csv/field-problem';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone/phone-number';
import {
  DO_NOT_CALL_SCOPES,
  type DoNotCallScope,
  type DoNotCallSource,
} from '../do-not-call-number.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** A form's empty field is a field left out. */
const blankIsAbsent = ({ value }: { value: unknown }): unknown => {
  const text = trim({ value });
  return text === '' ? undefined : text;
};

/** The sources a person may give: the register's own import and an erasure set theirs. */
export const GIVEN_SOURCES = ['customer', 'register', 'admin'] as const;

export const REGISTER_DATE_MESSAGE = 'registerDate must be a date written YYYY-MM-DD';
const EXPIRES_AT_MESSAGE =
  'expiresAt must be a day (YYYY-MM-DD: the entry blocks through that day, Italian time) or an ISO 8601 date and time';

export class AddDoNotCallDto {
  @ApiProperty({ example: '+39 333 123 4567', description: 'Normalised to E.164' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'phone is required' })
  @MaxLength(PHONE_INPUT_MAX_LENGTH)
  phone!: string;

  @ApiPropertyOptional({ example: 'asked not to be called again' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  reason?: string;

  @ApiPropertyOptional({
    enum: DO_NOT_CALL_SCOPES,
    default: 'all',
    description: 'all: no campaign calls the number; marketing: service campaigns still do',
  })
  @IsOmittable()
  @Transform(blankIsAbsent)
  @IsIn(DO_NOT_CALL_SCOPES, { message: `scope must be one of: ${DO_NOT_CALL_SCOPES.join(', ')}` })
  scope?: DoNotCallScope;

  @ApiPropertyOptional({ enum: GIVEN_SOURCES, default: 'customer' })
  @IsOmittable()
  @Transform(blankIsAbsent)
  @IsIn(GIVEN_SOURCES, { message: `source must be one of: ${GIVEN_SOURCES.join(', ')}` })
  source?: Exclude<DoNotCallSource, 'erasure'>;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description:
      'when the entry stops blocking: a day (through that day, Italian time) or an instant; left out: never',
  })
  @IsOmittable()
  @Transform(blankIsAbsent)
  @IsString({ message: EXPIRES_AT_MESSAGE })
  @MaxLength(40, { message: EXPIRES_AT_MESSAGE })
  expiresAt?: string;

  @ApiPropertyOptional({
    example: '2026-01-15',
    description: 'source register only (and then required): the date of the register file',
  })
  @IsOmittable()
  @Transform(blankIsAbsent)
  @IsString({ message: REGISTER_DATE_MESSAGE })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: REGISTER_DATE_MESSAGE })
  registerDate?: string;
}

/** A number on the list, as the API and the page show it. */
export interface DoNotCallView {
  phone: string;
  reason: string | null;
  addedBy: number | null;
  source: DoNotCallSource;
  /** Source register: the date of the register's file it was last in. */
  registerDate: string | null;
  scope: DoNotCallScope;
  /** ISO instant from which it no longer blocks; null: never. */
  expiresAt: string | null;
  /** Expired: still listed, blocking nothing. */
  expired: boolean;
  createdAt: string;
}

/** The answer to a do-not-call import: the same shape as a contact import's. */
export interface DoNotCallImportSummary {
  importId: null;
  processed: number;
  imported: number;
  skipped: number;
  skippedDuplicates: number;
  skippedDoNotCall: 0;
  errorCount: number;
  errors: Array<{ line: number; field: string; message: string; problems?: FieldProblem[] }>;
  failure: { code: string; field: string; line: number; message: string; through: number } | null;
}

export class RemoveDoNotCallDto {
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'phone is required' })
  @MaxLength(PHONE_INPUT_MAX_LENGTH)
  phone!: string;
}

/** The summary as the API gives it: error lines without the rules pages translate. */
export function publicImportSummary(summary: DoNotCallImportSummary): DoNotCallImportSummary {
  return {
    ...summary,
    errors: summary.errors.map(({ line, field, message }) => ({ line, field, message })),
  };
}

/** Contacts of one campaign the list took out of the queue. */
export interface RemovedFromCampaign {
  campaignId: number;
  name: string;
  /** New or waiting for a retry: out of the queue now (state final). */
  removed: number;
  /** On an operator's screen now: left to finish the call, refused at the next dispatch. */
  inCall: number;
  /** Waiting for a callback the customer agreed: cancelled when it falls due (dispatch's check). */
  awaitingCallback: number;
}

/** What a check of the campaigns' contacts against the list did. */
export interface RecheckSummary {
  removed: number;
  removedByCampaign: RemovedFromCampaign[];
}

/** A line of a register file that was not imported. */
export interface RegisterBadLine {
  line: number;
  reason: string;
}

/** The answer to a register import, with the check of the campaigns that followed it. */
export interface RegisterImportSummary extends RecheckSummary {
  registerDate: string;
  /** Numbers of the file now on the list with this register date (new or already there). */
  imported: number;
  badCount: number;
  /** The first bad lines, by line of the file. */
  badLines: RegisterBadLine[];
  /** The file itself broke at a line: what came before it was imported (no check followed). */
  failure: { line: number; message: string } | null;
}
