import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import type { CallingHours, LegacyCallingHours } from '../../campaigns/campaign.entity';
import { callingHoursProblem } from '../../campaigns/calling-hours-input';
import { CAMPAIGN_CODE_PATTERN, Satisfies } from '../../campaigns/dto/campaign-input.dto';
import { EligibilityRulesDto } from '../../eligibility/dto/eligibility.dto';
import { OUTAGE_LANGUAGES, type OutageLanguage } from '../outage-defaults';

/** Pasted numbers or a CSV file's text: at most this many characters (about 50,000 numbers). */
export const MAX_LIST_CHARS = 2_000_000;

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimUpper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() || undefined : value;

/** Affected customers: pasted numbers (one a line) or a CSV with a header row. */
export class OutageContactsDto {
  @ApiPropertyOptional({
    example: '333 123 4567\n+39 02 1234567',
    description: 'one phone number a line (blank lines are skipped)',
  })
  @IsOmittable()
  @IsString({ message: 'numbers must be text, one phone number a line' })
  @MaxLength(MAX_LIST_CHARS, { message: `numbers must be at most ${MAX_LIST_CHARS} characters` })
  numbers?: string;

  @ApiPropertyOptional({
    example: 'phone,firstName,lastName,email,preferredChannel\n3331234567,Anna,Neri,a@x.it,email',
    description:
      'a CSV whose header names the columns (phone required; firstName, lastName, email, ' +
      'language, callReason, preferredChannel, consent, tags, any custom column)',
  })
  @IsOmittable()
  @IsString({ message: 'csv must be the text of a CSV file' })
  @MaxLength(MAX_LIST_CHARS, { message: `csv must be at most ${MAX_LIST_CHARS} characters` })
  csv?: string;
}

/** A whole outage campaign in one request: the message, the customers, who calls. */
export class OutageInputDto extends OutageContactsDto {
  @ApiProperty({ example: 'Guasto rete Milano nord' })
  @Transform(trim)
  @IsString({ message: 'name must be text' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name!: string;

  @ApiPropertyOptional({ example: 'OUT-MI-0412', description: 'generated when left out' })
  @IsOmittable()
  @Transform(trimUpper)
  @IsString()
  @Matches(CAMPAIGN_CODE_PATTERN, {
    message: 'code must be 1-32 characters: upper-case letters, digits, _ or -',
  })
  code?: string;

  @ApiProperty({ example: 'un guasto alla centrale di Milano nord interrompe internet e telefono' })
  @Transform(trim)
  @IsString({ message: 'whatHappened must be text' })
  @MinLength(1, { message: 'whatHappened must say what happened' })
  @MaxLength(1000, { message: 'whatHappened must be at most 1000 characters' })
  whatHappened!: string;

  @ApiProperty({ example: 'oggi entro le 18:00' })
  @Transform(trim)
  @IsString({ message: 'expectedRestore must be text' })
  @MinLength(1, { message: 'expectedRestore must say when service should be back' })
  @MaxLength(200, { message: 'expectedRestore must be at most 200 characters' })
  expectedRestore!: string;

  @ApiProperty({ example: 'riavviare il modem; se non basta chiamare il 800 123 456' })
  @Transform(trim)
  @IsString({ message: 'whatToDo must be text' })
  @MinLength(1, { message: 'whatToDo must say what to do if the problem persists' })
  @MaxLength(1000, { message: 'whatToDo must be at most 1000 characters' })
  whatToDo!: string;

  @ApiPropertyOptional({ enum: OUTAGE_LANGUAGES, default: 'it' })
  @IsOmittable()
  @IsIn(OUTAGE_LANGUAGES, { message: `language must be one of: ${OUTAGE_LANGUAGES.join(', ')}` })
  language?: OutageLanguage;

  @ApiPropertyOptional({
    description: 'the outcome statuses; the standard outage ones if left out',
  })
  @IsOmittable()
  @IsArray({ message: 'statusIds must be an array of ids' })
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'statusIds must not repeat an id' })
  @IsInt({ each: true, message: 'statusIds must contain positive integer ids' })
  @Min(1, { each: true, message: 'statusIds must contain positive integer ids' })
  statusIds?: number[];

  @ApiPropertyOptional({ description: 'operators who call; every active operator if left out' })
  @IsOmittable()
  @IsArray({ message: 'operatorIds must be an array of ids' })
  @ArrayMaxSize(500)
  @ArrayUnique({ message: 'operatorIds must not repeat an id' })
  @IsInt({ each: true, message: 'operatorIds must contain positive integer ids' })
  @Min(1, { each: true, message: 'operatorIds must contain positive integer ids' })
  operatorIds?: number[];

  @ApiPropertyOptional({ example: 'Europe/Rome' })
  @IsOmittable()
  @IsString({ message: 'timezone must be an IANA time zone such as Europe/Rome' })
  timezone?: string;

  @ApiPropertyOptional({
    example: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '21:00' },
    description:
      "every day 08:00-21:00 if left out; windows [{day, start, end}] or {days, start, end}, as a campaign's",
  })
  @IsOmittable()
  @Satisfies(callingHoursProblem)
  callingHours?: CallingHours | LegacyCallingHours;

  @ApiPropertyOptional({
    type: EligibilityRulesDto,
    description: 'proactive rules; respectPreferredChannel on if left out',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => EligibilityRulesDto)
  eligibility?: EligibilityRulesDto;
}
