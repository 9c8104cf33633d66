import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import type { FieldProblem } from '../../common/csv/field-problem';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone/phone-number';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

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
}

/** A number on the list, as the API and the page show it. */
export interface DoNotCallView {
  phone: string;
  reason: string | null;
  addedBy: number | null;
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
