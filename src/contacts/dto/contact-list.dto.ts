import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  Max,
  Min,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

/** `PATCH /lists/:id`: an inactive list's contacts are not dispatched. */
export class ContactListChangeDto {
  @ApiProperty()
  @IsBoolean({ message: 'active must be true or false' })
  active!: boolean;
}

/** `POST /lists/:id/recycle`: which last outcomes go back to the queue, and how old. */
export class ContactListRecycleDto {
  @ApiProperty({ type: [Number], description: 'outcome status ids (at least one)' })
  @IsArray({ message: 'statusIds must be a list of status ids' })
  @ArrayMinSize(1, { message: 'statusIds must name at least one status' })
  @ArrayMaxSize(50, { message: 'statusIds must name at most 50 statuses' })
  @ArrayUnique({ message: 'statusIds must not repeat a status' })
  @IsInt({ each: true, message: 'statusIds must be a list of status ids' })
  @Min(1, { each: true, message: 'statusIds must be a list of status ids' })
  statusIds!: number[];

  @ApiPropertyOptional({ description: 'only outcomes at least this many minutes old' })
  @IsOmittable()
  @IsInt({ message: 'olderThanMinutes must be a whole number of minutes' })
  @Min(0, { message: 'olderThanMinutes must be from 0 to 525600' })
  @Max(525_600, { message: 'olderThanMinutes must be from 0 to 525600' })
  olderThanMinutes?: number;
}
