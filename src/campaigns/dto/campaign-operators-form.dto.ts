import { Transform } from 'class-transformer';
import { IsOmittable } from '../../common/validation/omittable';
import { IdList } from './campaign-input.dto';

/** The ticked operators: one box sends a string, several an array, none nothing (= nobody). */
export class CampaignOperatorsFormDto {
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? (value as unknown[]) : [value]).map((v): unknown =>
      typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v,
    ),
  )
  @IsOmittable()
  @IdList('operatorIds')
  operatorIds?: number[];
}
