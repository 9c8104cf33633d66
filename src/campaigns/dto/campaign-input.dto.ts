import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { CONTRACT_FIELDS } from '../../contracts/contract-fields';
import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  STEP_KINDS,
  type StepKind,
} from '../campaign-step.entity';
import {
  CAMPAIGN_PURPOSES,
  type CallingHours,
  type CampaignPurpose,
  type LegacyCallingHours,
  OVERLAP_POLICIES,
  type OverlapPolicy,
} from '../campaign.entity';
import { callingHoursProblem, closedDatesProblem, MAX_CLOSED_DATES } from '../calling-hours-input';
import { HOLIDAY_CALENDARS, type HolidayCalendar } from '../holiday-calendar';
import { ianaTimeZone } from '../time-zones';

export const CAMPAIGN_CODE_PATTERN = /^[A-Z0-9_-]{1,32}$/;
export const MAX_STEPS = 50;
export const MAX_STEP_BODY = 20_000;
export const MAX_CHOICES = 50;
const MAX_LINKS = 500;
export const WRAP_UP_SECONDS = { min: 5, max: 3600 } as const;
const WRAP_UP_SECONDS_MESSAGE = `wrapUpSeconds must be a whole number of seconds from ${WRAP_UP_SECONDS.min} to ${WRAP_UP_SECONDS.max}, or null`;
const WRAP_UP_STATUS_MESSAGE =
  'wrapUpStatusId must be the id of one of the campaign’s statuses, or null';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimUpper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isTimeZone', validator: { validate: (value) => ianaTimeZone(value) !== undefined } },
    options,
  );
}

/** A list of row ids: positive integers, each once. */
export function IdList(field: string): PropertyDecorator {
  return (target, key) => {
    IsArray({ message: `${field} must be an array of ids` })(target, key);
    ArrayMaxSize(MAX_LINKS)(target, key);
    ArrayUnique({ message: `${field} must not repeat an id` })(target, key);
    IsInt({ each: true, message: `${field} must contain positive integer ids` })(target, key);
    Min(1, { each: true, message: `${field} must contain positive integer ids` })(target, key);
  };
}

/** A value `problem` finds nothing wrong with; the message is its problem, naming the field. */
export function Satisfies(problem: (value: unknown) => string | null): PropertyDecorator {
  return ValidateBy({
    name: 'satisfies',
    validator: {
      validate: (value) => problem(value) === null,
      defaultMessage: (args) => problem(args?.value) ?? '',
    },
  });
}

export class CampaignStepDto {
  @ApiProperty({ enum: STEP_KINDS })
  @IsIn(STEP_KINDS, { message: `kind must be one of: ${STEP_KINDS.join(', ')}` })
  kind!: StepKind;

  @ApiProperty({ example: 'Saluto', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(200, { message: 'title must be at most 200 characters' })
  title!: string;

  @ApiPropertyOptional({
    example: 'Buongiorno {{contact.firstName}}, sono {{operator.name}}.',
    description: 'script: handlebars text with contact placeholders; question/consent: the text',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(MAX_STEP_BODY, { message: `body must be at most ${MAX_STEP_BODY} characters` })
  body?: string;

  @ApiPropertyOptional({ example: ['Sì', 'No'], description: 'question steps only' })
  @IsOmittable()
  @IsArray({ message: 'choices must be an array of texts' })
  @ArrayMaxSize(MAX_CHOICES, { message: `choices must be at most ${MAX_CHOICES}` })
  @ArrayUnique({ message: 'choices must not repeat an answer' })
  @IsString({ each: true, message: 'choices must be texts' })
  @MinLength(1, { each: true, message: 'choices must not contain an empty answer' })
  @MaxLength(200, { each: true, message: 'choices must be at most 200 characters each' })
  choices?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({
    enum: CONSENT_PURPOSES,
    description:
      'consent steps only: the yes/no is stored on the contact (proactive contact or call recording)',
  })
  @IsOmittable()
  @IsIn(CONSENT_PURPOSES, {
    message: `consentPurpose must be one of: ${CONSENT_PURPOSES.join(', ')}`,
  })
  consentPurpose?: ConsentPurpose;

  @ApiPropertyOptional({
    example: 'fiscalCode',
    description: `question steps only: the contract field the answer fills, validated at the outcome (${CONTRACT_FIELDS.join(', ')} or custom:<name>); each field once per workflow`,
  })
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: 'contractField must be text' })
  @MaxLength(40, { message: 'contractField must be at most 40 characters' })
  contractField?: string;
}

/** A whole campaign: what POST creates and PUT replaces (steps and links included). */
export class CampaignInputDto {
  @ApiProperty({ example: 'ENERGIA_2026', description: 'upper case letters, digits, _ and -' })
  @Transform(trimUpper)
  @IsString()
  @Matches(CAMPAIGN_CODE_PATTERN, {
    message: 'code must be 1-32 characters: upper-case letters, digits, _ or -',
  })
  code!: string;

  @ApiProperty({ example: 'Energia casa 2026' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  @ApiPropertyOptional({ example: 'Europe/Rome', default: 'Europe/Rome' })
  @IsOmittable()
  @IsString()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Rome' })
  timezone?: string;

  @ApiPropertyOptional({
    example: [
      { day: 1, start: '09:00', end: '13:00' },
      { day: 1, start: '14:00', end: '18:00' },
      { day: 6, start: '09:00', end: '12:00' },
    ],
    description:
      'windows {day: 1-7 (1 = Monday), start, end}, at most two a day, not overlapping; the old {days, start, end} is read as that window every listed day. Default: Monday-Friday 09:00-20:00',
  })
  @IsOmittable()
  @Satisfies(callingHoursProblem)
  callingHours?: CallingHours | LegacyCallingHours;

  @ApiPropertyOptional({
    enum: HOLIDAY_CALENDARS,
    nullable: true,
    default: 'IT',
    description: 'the national calendar whose public holidays close the campaign; null: none',
  })
  // Null is a choice: no calendar, open on holidays.
  @IsOptional()
  @IsIn(HOLIDAY_CALENDARS, {
    message: `holidays must be one of: ${HOLIDAY_CALENDARS.join(', ')} (or null)`,
  })
  holidays?: HolidayCalendar | null;

  @ApiPropertyOptional({
    example: ['2026-12-07'],
    description: `the campaign's own closed days, YYYY-MM-DD, at most ${MAX_CLOSED_DATES}`,
  })
  @IsOmittable()
  @Satisfies(closedDatesProblem)
  closedDates?: string[];

  @ApiProperty({ type: [CampaignStepDto], description: 'in order; exactly one outcome step' })
  @IsArray({ message: 'steps must be an array of steps' })
  @ArrayMaxSize(MAX_STEPS, { message: `steps must be at most ${MAX_STEPS}` })
  @ValidateNested({ each: true, message: 'steps must be a list of step objects' })
  @Type(() => CampaignStepDto)
  steps!: CampaignStepDto[];

  @ApiProperty({ example: [1, 2, 3], description: 'allowed outcome statuses' })
  @IdList('statusIds')
  @ArrayNotEmpty({ message: 'statusIds must name at least one outcome status' })
  statusIds!: number[];

  @ApiPropertyOptional({ example: [1] })
  @IsOmittable()
  @IdList('productIds')
  productIds?: number[];

  @ApiPropertyOptional({ example: [1] })
  @IsOmittable()
  @IdList('agentIds')
  agentIds?: number[];

  @ApiPropertyOptional({ example: [5, 6], description: 'users with the operator role' })
  @IsOmittable()
  @IdList('operatorIds')
  operatorIds?: number[];

  @ApiPropertyOptional({ default: 60, minimum: 5, maximum: 480 })
  @IsOmittable()
  @IsInt({ message: 'appointmentMinutes must be an integer' })
  @Min(5, { message: 'appointmentMinutes must be between 5 and 480' })
  @Max(480, { message: 'appointmentMinutes must be between 5 and 480' })
  appointmentMinutes?: number;

  @ApiPropertyOptional({
    default: 0,
    minimum: 0,
    maximum: 240,
    description: "minutes kept free between an agent's visits",
  })
  @IsOmittable()
  @IsInt({ message: 'travelBufferMinutes must be an integer' })
  @Min(0, { message: 'travelBufferMinutes must be between 0 and 240' })
  @Max(240, { message: 'travelBufferMinutes must be between 0 and 240' })
  travelBufferMinutes?: number;

  @ApiPropertyOptional({
    enum: CAMPAIGN_PURPOSES,
    default: 'marketing',
    description:
      'marketing (selling) or service (outage notices, reminders): a do-not-call entry with scope marketing does not block a service campaign',
  })
  @IsOmittable()
  @IsIn(CAMPAIGN_PURPOSES, {
    message: `purpose must be one of: ${CAMPAIGN_PURPOSES.join(', ')}`,
  })
  purpose?: CampaignPurpose;

  @ApiPropertyOptional({ enum: OVERLAP_POLICIES, default: 'reject' })
  @IsOmittable()
  @IsIn(OVERLAP_POLICIES, {
    message: `overlapPolicy must be one of: ${OVERLAP_POLICIES.join(', ')}`,
  })
  overlapPolicy?: OverlapPolicy;

  @ApiPropertyOptional({ default: 30, minimum: 0, maximum: 1440 })
  @IsOmittable()
  @IsInt({ message: 'privateCallbackGraceMinutes must be an integer' })
  @Min(0, { message: 'privateCallbackGraceMinutes must be between 0 and 1440' })
  @Max(1440, { message: 'privateCallbackGraceMinutes must be between 0 and 1440' })
  privateCallbackGraceMinutes?: number;

  @ApiPropertyOptional({
    nullable: true,
    minimum: WRAP_UP_SECONDS.min,
    maximum: WRAP_UP_SECONDS.max,
    description: 'seconds after a call ends before wrapUpStatusId is confirmed; null: no wrap-up',
  })
  @IsOptional()
  @IsInt({ message: WRAP_UP_SECONDS_MESSAGE })
  @Min(WRAP_UP_SECONDS.min, { message: WRAP_UP_SECONDS_MESSAGE })
  @Max(WRAP_UP_SECONDS.max, { message: WRAP_UP_SECONDS_MESSAGE })
  wrapUpSeconds?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'one of statusIds that needs no answer and no callback, cart or appointment',
  })
  @IsOptional()
  @IsInt({ message: WRAP_UP_STATUS_MESSAGE })
  @Min(1, { message: WRAP_UP_STATUS_MESSAGE })
  wrapUpStatusId?: number | null;
}

/** `PATCH /api/v1/campaigns/:id`: the wrap-up alone; absent fields keep their value, null clears. */
export class CampaignWrapUpDto {
  @ApiPropertyOptional({
    nullable: true,
    minimum: WRAP_UP_SECONDS.min,
    maximum: WRAP_UP_SECONDS.max,
  })
  @IsOptional()
  @IsInt({ message: WRAP_UP_SECONDS_MESSAGE })
  @Min(WRAP_UP_SECONDS.min, { message: WRAP_UP_SECONDS_MESSAGE })
  @Max(WRAP_UP_SECONDS.max, { message: WRAP_UP_SECONDS_MESSAGE })
  wrapUpSeconds?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt({ message: WRAP_UP_STATUS_MESSAGE })
  @Min(1, { message: WRAP_UP_STATUS_MESSAGE })
  wrapUpStatusId?: number | null;
}

/** `PUT /api/v1/campaigns/:id/operators`: who works the campaign (admins and coordinators). */
export class CampaignOperatorsDto {
  @ApiProperty({ type: [Number], example: [12, 15] })
  @IdList('operatorIds')
  operatorIds!: number[];
}
