import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { CALL_REASON_PATTERN, CALL_REASON_RULE } from '../../contacts/contact-rules';
import { PREFERRED_CHANNELS, type PreferredChannel } from '../../contacts/contact.entity';

const lowerEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v))
    : value;

/** A campaign's proactive-call rules; what is not given is off. */
export class EligibilityRulesDto {
  @ApiPropertyOptional({ default: false, description: 'the contact gave consent' })
  @IsOmittable()
  @IsBoolean({ message: 'requireConsent must be true or false' })
  requireConsent?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: "the operator speaks the contact's language",
  })
  @IsOmittable()
  @IsBoolean({ message: 'matchLanguage must be true or false' })
  matchLanguage?: boolean;

  @ApiPropertyOptional({ example: ['voicemail', 'access-help'], description: 'null: any reason' })
  @IsOptional()
  @Transform(lowerEach)
  @IsArray({ message: 'allowedReasons must be a list of call reasons' })
  @ArrayMaxSize(100, { message: 'allowedReasons must be at most 100' })
  @Matches(CALL_REASON_PATTERN, { each: true, message: `allowedReasons: each ${CALL_REASON_RULE}` })
  allowedReasons?: string[] | null;

  @ApiPropertyOptional({ example: 2, description: 'active contacts + active chats, at most' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'maxConcurrent must be a whole number from 1 to 20' })
  @Min(1, { message: 'maxConcurrent must be a whole number from 1 to 20' })
  @Max(20, { message: 'maxConcurrent must be a whole number from 1 to 20' })
  maxConcurrent?: number | null;

  @ApiPropertyOptional({ default: false, description: 'skip contacts who prefer chat or e-mail' })
  @IsOmittable()
  @IsBoolean({ message: 'respectPreferredChannel must be true or false' })
  respectPreferredChannel?: boolean;
}

/** What an integration or a coordinator says about a contact's proactive calls. */
export class ContactPreferencesDto {
  @ApiPropertyOptional({ example: 'voicemail', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @Matches(CALL_REASON_PATTERN, { message: `callReason ${CALL_REASON_RULE}` })
  callReason?: string | null;

  @ApiPropertyOptional({ enum: PREFERRED_CHANNELS, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIn(PREFERRED_CHANNELS, {
    message: `preferredChannel must be one of: ${PREFERRED_CHANNELS.join(', ')} (or null: phone)`,
  })
  preferredChannel?: PreferredChannel | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsBoolean({ message: 'consent must be true, false or null' })
  consent?: boolean | null;
}

export class ChatLoadDto {
  @ApiPropertyOptional({ example: 2 })
  @IsInt({ message: 'activeChats must be a whole number from 0 to 100' })
  @Min(0, { message: 'activeChats must be a whole number from 0 to 100' })
  @Max(100, { message: 'activeChats must be a whole number from 0 to 100' })
  activeChats!: number;
}
