import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { CTI_EVENT_TYPES, type CtiEventType } from '../cti-event.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** `POST /cti/events` (../shared/DESIGN.md): the operator by extension or by id. */
export class CtiEventDto {
  @ApiProperty({ enum: CTI_EVENT_TYPES })
  @IsIn(CTI_EVENT_TYPES, { message: `type must be one of: ${CTI_EVENT_TYPES.join(', ')}` })
  type!: CtiEventType;

  @ApiPropertyOptional({ example: '201' })
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: 'extension must be text' })
  @Matches(/^[0-9A-Za-z*#+._-]{1,32}$/, { message: 'extension must be 1-32 digits or letters' })
  extension?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsInt({ message: 'operatorId must be the id of an operator' })
  @Min(1, { message: 'operatorId must be the id of an operator' })
  operatorId?: number;

  @ApiProperty({ example: '+393331234567' })
  @IsString({ message: 'phone must be a phone number' })
  @MaxLength(40, { message: 'phone is not a phone number' })
  phone!: string;

  @ApiProperty({ example: 'pbx-1f3a9' })
  @Transform(trim)
  @IsString({ message: 'callId must be text' })
  @MinLength(1, { message: 'callId must not be empty' })
  @MaxLength(100, { message: 'callId must be at most 100 characters' })
  callId!: string;
}

/** `POST /cti/contacts`: the operator saves the caller of an unknown number. */
export class CtiContactDto {
  @ApiProperty()
  @IsInt({ message: 'campaignId must be the id of a campaign' })
  @Min(1, { message: 'campaignId must be the id of a campaign' })
  campaignId!: number;

  @ApiProperty()
  @Transform(trim)
  @IsString({ message: 'firstName must be text' })
  @MinLength(1, { message: 'firstName must not be empty' })
  @MaxLength(100, { message: 'firstName must be at most 100 characters' })
  firstName!: string;

  @ApiProperty()
  @Transform(trim)
  @IsString({ message: 'lastName must be text' })
  @MaxLength(100, { message: 'lastName must be at most 100 characters' })
  lastName!: string;

  @ApiProperty()
  @IsString({ message: 'phone must be a phone number' })
  @MaxLength(40, { message: 'phone is not a phone number' })
  phone!: string;
}
