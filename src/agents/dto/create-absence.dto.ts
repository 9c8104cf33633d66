import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** An instant needs its offset: "2026-03-01T09:00" alone would mean the server's clock. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = (field: string) =>
  `${field} must be an ISO-8601 instant with Z or an offset, e.g. 2026-03-01T09:00:00Z`;

export class CreateAbsenceDto {
  @ApiProperty({ example: '2026-08-10T07:00:00Z', description: 'ISO-8601 instant with offset' })
  @IsString()
  @Matches(INSTANT, { message: instantMessage('startsAt') })
  @IsISO8601({ strict: true }, { message: instantMessage('startsAt') })
  startsAt!: string;

  @ApiProperty({ example: '2026-08-21T17:00:00Z', description: 'exclusive; after startsAt' })
  @IsString()
  @Matches(INSTANT, { message: instantMessage('endsAt') })
  @IsISO8601({ strict: true }, { message: instantMessage('endsAt') })
  endsAt!: string;

  @ApiPropertyOptional({ example: 'Ferie' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(200)
  reason?: string | null;
}
