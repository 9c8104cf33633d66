import { Transform } from 'class-transformer';
import { checkedIds } from '../../common/http/form-values';
import { IsOmittable } from '../../common/validation/omittable';
import { IdList } from './campaign-input.dto';

/** The ticked operators: one box sends a string, several an array, none nothing (= nobody). */
export class CampaignOperatorsFormDto {
  @Transform(checkedIds)
  @IsOmittable()
  @IdList('operatorIds')
  operatorIds?: number[];
}
