import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ExportFileQueryDto } from '../../common/csv/export-query';
import { ValidationError } from '../../common/errors/domain-errors';
import { IsQueryDay, IsQueryId, IsQueryIds } from '../../common/http/query-fields';
import type { ResultsFilters } from '../results-file.service';

/** What narrows the results file besides its campaign, and the file asked for. */
class ResultsFiltersQueryDto extends ExportFileQueryDto {
  @ApiPropertyOptional({ description: "first day, YYYY-MM-DD, in the campaign's time zone" })
  @IsOptional()
  @IsQueryDay('from')
  from?: string;

  @ApiPropertyOptional({ description: 'last day, included' })
  @IsOptional()
  @IsQueryDay('to')
  to?: string;

  @ApiPropertyOptional({ description: 'only the contacts of this list of the campaign' })
  @IsOptional()
  @IsQueryId('listId')
  listId?: number;

  @ApiPropertyOptional({ description: 'only these operators: user ids, comma separated' })
  @IsOptional()
  @IsQueryIds('operatorIds')
  operatorIds?: number[];

  @ApiPropertyOptional({ description: 'only these outcome statuses: ids, comma separated' })
  @IsOptional()
  @IsQueryIds('statusIds')
  statusIds?: number[];
}

/** `GET /interactions/export`: the filters, the campaign required. */
export class ResultsExportQueryDto extends ResultsFiltersQueryDto {
  @ApiProperty({ description: 'the campaign' })
  @IsQueryId('campaignId')
  campaignId!: number;
}

/** The results page's query: the same, all optional (the page opens with none chosen). */
export class ResultsPageQueryDto extends ResultsFiltersQueryDto {
  @ApiPropertyOptional({ description: 'the campaign' })
  @IsOptional()
  @IsQueryId('campaignId')
  campaignId?: number;
}

/** The service's filters from a checked query; `to` never before `from`. */
export function resultsFiltersOf(query: ResultsExportQueryDto): ResultsFilters {
  const { campaignId, from, to, listId, operatorIds, statusIds } = query;
  if (from !== undefined && to !== undefined && to < from) {
    throw new ValidationError('to', 'to must not be before from');
  }
  return { campaignId, from, to, listId, operatorIds, statusIds };
}
