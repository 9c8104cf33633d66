import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DIALECT_NAMES } from '../../common/csv/export-dialect';
import { IsQueryOneOf, IsQueryText } from '../../common/http/query-fields';
import {
  FORMATS,
  GROUP_BYS,
  MAX_RANGE_DAYS,
  REPORT_VIEWS,
  type ReportFilterInput,
} from './report-query';

/**
 * The reports' query strings, declared for every report: which report takes which filter,
 * and what a right value is, are the readers' of report-query.ts (one rule for the API and
 * the page; a filter a report does not keep, like an operator on callback offers, is a 400
 * naming it rather than dropped in silence).
 */
export class ReportQueryDto implements ReportFilterInput {
  @ApiPropertyOptional({
    description: `first day, YYYY-MM-DD (default: to, or today); at most ${MAX_RANGE_DAYS} days to to`,
  })
  @IsOptional()
  @IsQueryText('from')
  from?: string;

  @ApiPropertyOptional({ description: 'last day, included (default: today)' })
  @IsOptional()
  @IsQueryText('to')
  to?: string;

  @ApiPropertyOptional({ description: 'only this campaign (not for operator time)' })
  @IsOptional()
  @IsQueryText('campaignId')
  campaignId?: string;

  @ApiPropertyOptional({ description: 'only this operator (user id; not for callback offers)' })
  @IsOptional()
  @IsQueryText('operatorId')
  operatorId?: string;

  @ApiPropertyOptional({ description: "only this team's operators (not for callback offers)" })
  @IsOptional()
  @IsQueryText('team')
  team?: string;

  @ApiPropertyOptional({ enum: GROUP_BYS, description: 'outcomes only; default operator' })
  @IsOptional()
  @IsQueryText('groupBy')
  groupBy?: string;

  @ApiPropertyOptional({ enum: FORMATS, description: 'default json' })
  @IsOptional()
  @IsQueryText('format')
  format?: string;

  @ApiPropertyOptional({
    enum: DIALECT_NAMES,
    description:
      'CSV only: plain (default) or excel-it (semicolons, decimal comma, Italian headers)',
  })
  @IsOptional()
  @IsQueryOneOf('dialect', DIALECT_NAMES)
  dialect?: string;
}

/** The reports page: the same filters and the tab shown. */
export class ReportPageQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_VIEWS, description: 'default outcomes' })
  @IsOptional()
  @IsQueryText('view')
  view?: string;
}
