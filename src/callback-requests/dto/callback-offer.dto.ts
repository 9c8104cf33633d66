import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

export class SlotCapacityDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' })
  @IsInt({ message: 'day must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Min(1, { message: 'day must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Max(7, { message: 'day must be a whole number from 1 (Monday) to 7 (Sunday)' })
  day!: number;

  @ApiProperty({ minimum: 0, maximum: 23, description: 'local hour a slot starts in' })
  @IsInt({ message: 'hour must be a whole number from 0 to 23' })
  @Min(0, { message: 'hour must be a whole number from 0 to 23' })
  @Max(23, { message: 'hour must be a whole number from 0 to 23' })
  hour!: number;

  @ApiProperty({ minimum: 0, maximum: 1000, description: 'callbacks one slot takes' })
  @IsInt({ message: 'capacity must be a whole number from 0 to 1000' })
  @Min(0, { message: 'capacity must be a whole number from 0 to 1000' })
  @Max(1000, { message: 'capacity must be a whole number from 0 to 1000' })
  capacity!: number;
}

/** `PUT /campaigns/:id/callback-offer`: how the campaign offers callbacks; absent fields keep their value. */
export class CallbackOfferDto {
  @ApiPropertyOptional({ minimum: 5, maximum: 240, default: 30 })
  @IsOmittable()
  @IsInt({ message: 'slotMinutes must be a whole number of minutes from 5 to 240' })
  @Min(5, { message: 'slotMinutes must be a whole number of minutes from 5 to 240' })
  @Max(240, { message: 'slotMinutes must be a whole number of minutes from 5 to 240' })
  slotMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1440, default: 15 })
  @IsOmittable()
  @IsInt({ message: 'leadMinutes must be a whole number of minutes from 0 to 1440' })
  @Min(0, { message: 'leadMinutes must be a whole number of minutes from 0 to 1440' })
  @Max(1440, { message: 'leadMinutes must be a whole number of minutes from 0 to 1440' })
  leadMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, default: 0 })
  @IsOmittable()
  @IsInt({ message: 'defaultCapacity must be a whole number from 0 to 1000' })
  @Min(0, { message: 'defaultCapacity must be a whole number from 0 to 1000' })
  @Max(1000, { message: 'defaultCapacity must be a whole number from 0 to 1000' })
  defaultCapacity?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 7 })
  @IsOmittable()
  @IsInt({ message: 'daysAhead must be a whole number of days from 1 to 60' })
  @Min(1, { message: 'daysAhead must be a whole number of days from 1 to 60' })
  @Max(60, { message: 'daysAhead must be a whole number of days from 1 to 60' })
  daysAhead?: number;

  @ApiPropertyOptional({ default: false, description: 'the public booking page is open' })
  @IsOmittable()
  @IsBoolean({ message: 'publicPage must be true or false' })
  publicPage?: boolean;

  @ApiPropertyOptional({
    type: [SlotCapacityDto],
    description: 'replaces every weekday-and-hour capacity of the campaign',
  })
  @IsOmittable()
  @IsArray({ message: 'capacities must be a list of {day, hour, capacity}' })
  @ArrayMaxSize(168, { message: 'capacities: at most one per weekday and hour (168)' })
  @ValidateNested({ each: true })
  @Type(() => SlotCapacityDto)
  capacities?: SlotCapacityDto[];
}

export interface CallbackOfferView {
  campaignId: number;
  slotMinutes: number;
  leadMinutes: number;
  defaultCapacity: number;
  daysAhead: number;
  publicPage: boolean;
  capacities: Array<{ day: number; hour: number; capacity: number }>;
}
