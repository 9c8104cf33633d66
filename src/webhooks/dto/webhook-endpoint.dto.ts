import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { WEBHOOK_EVENT_TYPES } from '../webhook-events';

const EVENTS_RULE = `events must be a list of: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** A form sends one checkbox as a string, several as a list. */
const list = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? [value] : value;
const flag = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/esito' })
  @Transform(trim)
  @IsString({ message: 'url must be an absolute http(s) URL' })
  @MinLength(1, { message: 'url is required' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @Transform(list)
  @IsArray({ message: EVENTS_RULE })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length, { message: EVENTS_RULE })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_RULE })
  events!: string[];

  @ApiProperty({ description: 'At least 16 characters; signs every delivery. Never shown back.' })
  @IsString({ message: 'secret must be at least 16 characters' })
  @MinLength(16, { message: 'secret must be at least 16 characters' })
  @MaxLength(200, { message: 'secret must be at most 200 characters' })
  secret!: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: 'url must be an absolute http(s) URL' })
  @MinLength(1, { message: 'url is required' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOmittable()
  @Transform(list)
  @IsArray({ message: EVENTS_RULE })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length, { message: EVENTS_RULE })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_RULE })
  events?: string[];

  @ApiPropertyOptional({ description: 'Off: no event is recorded for it' })
  @IsOmittable()
  @Transform(flag)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ description: 'A new secret (at least 16 characters)' })
  @IsOmittable()
  @IsString({ message: 'secret must be at least 16 characters' })
  @MinLength(16, { message: 'secret must be at least 16 characters' })
  @MaxLength(200, { message: 'secret must be at most 200 characters' })
  secret?: string;
}

/** An endpoint as admins see it: the secret only by its last 4 characters. */
export interface WebhookEndpointView {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  paused: boolean;
  pausedAt: string | null;
  pauseReason: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  secretHint: string;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: number;
  endpointId: number;
  eventId: string;
  eventType: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
