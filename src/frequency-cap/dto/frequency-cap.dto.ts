import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { MAX_CALLS_PER_DAY, MAX_GAP_MINUTES } from '../frequency-cap.settings';

const CALLS = `maxCallsPerDay must be a whole number from 1 to ${MAX_CALLS_PER_DAY}, or null (no daily limit)`;
const GAP = `minMinutesBetweenCampaigns must be a whole number of minutes from 1 to ${MAX_GAP_MINUTES}, or null (no gap)`;

/** The frequency cap; a field left out keeps its value, null turns that limit off. */
export class FrequencyCapDto {
  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: MAX_CALLS_PER_DAY, example: 3 })
  @IsOptional()
  @IsInt({ message: CALLS })
  @Min(1, { message: CALLS })
  @Max(MAX_CALLS_PER_DAY, { message: CALLS })
  maxCallsPerDay?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: MAX_GAP_MINUTES, example: 120 })
  @IsOptional()
  @IsInt({ message: GAP })
  @Min(1, { message: GAP })
  @Max(MAX_GAP_MINUTES, { message: GAP })
  minMinutesBetweenCampaigns?: number | null;

  @ApiPropertyOptional({ description: 'service campaigns capped too (default false)' })
  @IsOmittable()
  @IsBoolean({ message: 'applyToService must be true or false' })
  applyToService?: boolean;
}
