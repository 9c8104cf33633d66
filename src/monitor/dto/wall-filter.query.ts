import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import type { WallFilter } from '../wall-assembly';

const POSITIVE_ID = { message: 'campaignId must be a positive integer' };

/** `?campaignId&team` of the wall, its stream and its API; empty means "not filtered". */
export class WallFilterQuery implements WallFilter {
  @ApiPropertyOptional({ description: 'only this campaign' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === ''
      ? undefined
      : typeof value === 'string' && /^[0-9]{1,10}$/.test(value)
        ? Number(value)
        : value,
  )
  @IsInt(POSITIVE_ID)
  @Min(1, POSITIVE_ID)
  @Max(2_147_483_647, POSITIVE_ID)
  campaignId?: number;

  @ApiPropertyOptional({ description: 'only this team of operators' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() || undefined : value,
  )
  @IsString({ message: 'team must be given once' })
  @MaxLength(60, { message: 'team must be at most 60 characters' })
  team?: string;
}
