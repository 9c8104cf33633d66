import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { PREFERRED_CHANNELS, type PreferredChannel } from '../contact.entity';
import {
  CALL_REASON_PATTERN,
  CALL_REASON_RULE,
  CONTACT_LIMITS,
  EMAIL_PATTERN,
  LANGUAGE_PATTERN,
  MAX_OTHER_PHONES,
  MAX_TAGS,
  PHONE_LABEL_MAX,
  TAG_PATTERN,
  TAG_RULE,
} from '../contact-rules';
import { oneLine } from '../../common/csv/field-problem';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone/phone-number';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? oneLine(value.trim()) : value;
const trimLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const trimUpper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

/** Custom fields: a flat object of at most 50 short string values under short keys. */
function IsCustomFields(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCustomFields',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length <= CONTACT_LIMITS.customFields &&
            entries.every(
              ([key, v]) =>
                key.trim().length > 0 &&
                key.length <= CONTACT_LIMITS.customFieldKey &&
                typeof v === 'string' &&
                v.length <= CONTACT_LIMITS.customFieldValue,
            )
          );
        },
        defaultMessage: () =>
          `fields must be an object of at most ${CONTACT_LIMITS.customFields} text values ` +
          `(keys up to ${CONTACT_LIMITS.customFieldKey} characters, values up to ${CONTACT_LIMITS.customFieldValue})`,
      },
    },
    options,
  );
}

/** Another number of the contact, with what it is. */
export class LabelledPhoneDto {
  @ApiProperty({ example: '02 1234 5678', description: 'Normalised to E.164' })
  @Transform(trim)
  @IsString({ message: 'number must be text' })
  @MinLength(1, { message: 'number is required' })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, {
    message: `number must be at most ${PHONE_INPUT_MAX_LENGTH} characters`,
  })
  number!: string;

  @ApiPropertyOptional({ example: 'casa', maxLength: PHONE_LABEL_MAX })
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: 'label must be text' })
  @MaxLength(PHONE_LABEL_MAX, { message: `label must be at most ${PHONE_LABEL_MAX} characters` })
  label?: string;
}

export class CreateContactDto {
  @ApiProperty({ example: 'Maria' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'firstName is required' })
  @MaxLength(CONTACT_LIMITS.firstName)
  firstName!: string;

  @ApiProperty({ example: 'Rossi' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'lastName is required' })
  @MaxLength(CONTACT_LIMITS.lastName)
  lastName!: string;

  @ApiProperty({ example: '333 123 4567', description: 'Normalised to E.164 (+393331234567)' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'phone is required' })
  @MaxLength(PHONE_INPUT_MAX_LENGTH)
  phone!: string;

  @ApiPropertyOptional({ example: 'maria.rossi@example.it' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(CONTACT_LIMITS.email)
  @Matches(EMAIL_PATTERN, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ example: 'it', description: 'Two-letter language code' })
  @IsOmittable()
  @Transform(trimLower)
  @IsString()
  @Matches(LANGUAGE_PATTERN, { message: 'language must be a two-letter code such as "it"' })
  language?: string;

  @ApiPropertyOptional({ example: 'Milano' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(CONTACT_LIMITS.city)
  city?: string;

  @ApiPropertyOptional({ example: 'MI' })
  @IsOmittable()
  @Transform(trimUpper)
  @IsString()
  @MaxLength(CONTACT_LIMITS.province)
  province?: string;

  @ApiPropertyOptional({ example: { customerCode: 'A-1021' }, description: 'Custom fields' })
  @IsOmittable()
  @IsObject({ message: 'fields must be an object' })
  @IsCustomFields()
  fields?: Record<string, string>;

  @ApiPropertyOptional({ example: 'voicemail', description: 'Why to call: picks the follow-up' })
  @IsOmittable()
  @Transform(trimLower)
  @IsString()
  @Matches(CALL_REASON_PATTERN, { message: `callReason ${CALL_REASON_RULE}` })
  callReason?: string;

  @ApiPropertyOptional({
    enum: PREFERRED_CHANNELS,
    description: 'Prefers chat or e-mail to a call',
  })
  @IsOmittable()
  @IsIn(PREFERRED_CHANNELS, {
    message: `preferredChannel must be one of: ${PREFERRED_CHANNELS.join(', ')}`,
  })
  preferredChannel?: PreferredChannel;

  @ApiPropertyOptional({ example: ['call_next:outage'], description: 'Tags (at most 10)' })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? [
          ...new Set(
            (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)),
          ),
        ]
      : value,
  )
  @IsArray({ message: 'tags must be a list of tags' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags: at most ${MAX_TAGS} tags` })
  @Matches(TAG_PATTERN, { each: true, message: `tags: each ${TAG_RULE}` })
  tags?: string[];

  @ApiPropertyOptional({
    type: [LabelledPhoneDto],
    maxItems: MAX_OTHER_PHONES,
    description: 'Other numbers beside phone (one equal to phone, or repeated, is kept once)',
  })
  @IsOmittable()
  @IsArray({ message: 'phones must be a list of {number, label}' })
  @ArrayMaxSize(MAX_OTHER_PHONES, {
    message: `phones: at most ${MAX_OTHER_PHONES} numbers beside phone`,
  })
  @ValidateNested({ each: true })
  @Type(() => LabelledPhoneDto)
  phones?: LabelledPhoneDto[];

  @ApiPropertyOptional({ description: 'a list of the campaign (GET /campaigns/:id/lists)' })
  @IsOmittable()
  @IsInt({ message: 'listId must be the id of a list of the campaign' })
  @Min(1, { message: 'listId must be the id of a list of the campaign' })
  listId?: number;

  @ApiPropertyOptional({ description: 'Consent to proactive calls' })
  @IsOmittable()
  @IsBoolean({ message: 'consent must be true or false' })
  consent?: boolean;
}
