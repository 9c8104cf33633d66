import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ContactEditsDto } from './contact-edits.dto';
import { CALLBACK_VISIBILITIES } from '../../outcome-statuses/outcome-status.entity';
import type { CallbackVisibility } from '../../outcome-statuses/outcome-status.entity';

/** More than this of one product in one call is a typing slip, not a sale. */
export const MAX_QUANTITY = 999;
export const MAX_CART_LINES = 50;
export const MAX_NOTES = 5000;

export class CallbackInputDto {
  @ApiProperty({
    example: '2026-11-24T15:30:00+01:00',
    description:
      "the instant agreed; without Z or an offset, a time on the campaign's clock: one the spring change skips is refused (400), one the autumn change repeats is the later",
  })
  @IsISO8601({ strict: true }, { message: 'at must be a date and time (ISO 8601)' })
  at!: string;

  @ApiPropertyOptional({ enum: CALLBACK_VISIBILITIES })
  @IsOmittable()
  @IsIn(CALLBACK_VISIBILITIES)
  visibility?: CallbackVisibility;
}

export class CartLineDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  productId!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  /** A string, never a float: money stays exact from the request to the DECIMAL column. */
  @ApiPropertyOptional({
    example: '19.90',
    description: "the operator's price, when the status allows changing the catalogue's",
  })
  @IsOmittable()
  @IsString({ message: 'unitPrice must be a string such as "19.90"' })
  @Matches(/^\d{1,8}(\.\d{1,2})?$/, {
    message:
      'unitPrice must be an amount from 0 to 99999999.99 with at most 2 decimals, e.g. "19.90"',
  })
  unitPrice?: string;
}

export class AppointmentInputDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  agentId!: number;

  @ApiProperty({ example: '2026-11-25T10:00:00+01:00' })
  @IsISO8601({ strict: true }, { message: 'startsAt must be a date and time (ISO 8601)' })
  startsAt!: string;

  @ApiPropertyOptional({ description: 'book over another appointment (overlap policy warn)' })
  @IsOmittable()
  @IsBoolean()
  acknowledgeOverlap?: boolean;

  @ApiPropertyOptional({ description: 'for the agent: product interest, directions' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** CONFERMA ESITO: the outcome and what its type needs. */
export class OutcomeDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  statusId!: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(MAX_NOTES)
  notes?: string;

  @ApiPropertyOptional({ description: 'answers to question and consent steps, by step id' })
  @IsOmittable()
  @IsObject()
  answers?: Record<string, unknown>;

  @ApiPropertyOptional({ type: CallbackInputDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => CallbackInputDto)
  callback?: CallbackInputDto;

  @ApiPropertyOptional({ type: [CartLineDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_CART_LINES)
  @ValidateNested({ each: true })
  @Type(() => CartLineDto)
  cart?: CartLineDto[];

  @ApiPropertyOptional({ type: AppointmentInputDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => AppointmentInputDto)
  appointment?: AppointmentInputDto;

  @ApiPropertyOptional({
    type: ContactEditsDto,
    description: 'what the call corrected on the contact, saved with the outcome',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => ContactEditsDto)
  contact?: ContactEditsDto;

  @ApiPropertyOptional({ description: 'the number dialled, one of the contact’s' })
  @IsOmittable()
  @IsString({ message: 'dialledPhone must be text' })
  @MaxLength(40, { message: 'dialledPhone must be at most 40 characters' })
  dialledPhone?: string;
}

export class NextContactDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsInt()
  @Min(1)
  campaignId?: number;

  @ApiPropertyOptional({
    description: 'a contact the operator has just given back: not dealt to them this time',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  skipContactId?: number;
}

export class DraftDto {
  @ApiPropertyOptional({ description: 'what the page has entered so far (at most 32 KB)' })
  @IsOmittable()
  @IsObject()
  draft?: Record<string, unknown>;
}
