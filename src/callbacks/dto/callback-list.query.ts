import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsQueryId, IsQueryLimit, IsQueryOneOf, IsQueryText } from '../../common/http/query-fields';
import { CALLBACK_STATES, type CallbackState } from '../callback.entity';
import {
  CALLBACK_SCOPES,
  type CallbackListQuery,
  type CallbackScope,
  DEFAULT_CALLBACK_PAGE,
  MAX_CALLBACK_PAGE,
} from './callback-query';

/** `true`/`1` or `false`/`0`; empty means false. */
function IsQueryYesNo(field: string): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }: { value: unknown }) =>
      value === undefined || value === '' || value === 'false' || value === '0'
        ? false
        : value === 'true' || value === '1'
          ? true
          : value,
    )(target, key);
    IsBoolean({ message: `${field} must be true or false` })(target, key);
  };
}

/** `GET /callbacks` (the API and the coordinators' list): who sees what is the service's business. */
export class CallbackListQueryDto implements CallbackListQuery {
  @ApiPropertyOptional({
    enum: CALLBACK_SCOPES,
    description: 'mine | public | all (coordinators; their default); operators default to mine',
  })
  @IsOptional()
  @IsQueryOneOf('scope', CALLBACK_SCOPES)
  @IsQueryText('scope')
  scope?: CallbackScope;

  @ApiPropertyOptional({ description: 'true: waiting and due now' })
  @IsQueryYesNo('due')
  due = false;

  @ApiPropertyOptional({ description: 'true: waiting past the grace' })
  @IsQueryYesNo('overdue')
  overdue = false;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('campaignId')
  campaignId?: number;

  @ApiPropertyOptional({ description: 'the operator who owns them' })
  @IsOptional()
  @IsQueryId('ownerId')
  ownerId?: number;

  @ApiPropertyOptional({ enum: CALLBACK_STATES, description: 'default: the active ones' })
  @IsOptional()
  @IsQueryOneOf('state', CALLBACK_STATES)
  @IsQueryText('state')
  state?: CallbackState;

  @ApiPropertyOptional({ description: 'id of the last item of a page' })
  @IsOptional()
  @IsQueryId('after')
  after?: number;

  @ApiPropertyOptional({ description: `1-${MAX_CALLBACK_PAGE}, default ${DEFAULT_CALLBACK_PAGE}` })
  @IsQueryLimit(MAX_CALLBACK_PAGE, DEFAULT_CALLBACK_PAGE)
  limit: number = DEFAULT_CALLBACK_PAGE;
}
