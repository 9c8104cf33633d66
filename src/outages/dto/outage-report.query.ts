import { CsvDialectQueryDto } from '../../common/csv/export-query';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsQueryOneOf, IsQueryText } from '../../common/http/query-fields';
import { FORMATS, type ReportFormat } from '../../reports/dto/report-query';

/** `GET /outages/:id/report?format=json|csv` (json when left out). */
export class OutageReportQuery extends CsvDialectQueryDto {
  @ApiPropertyOptional({ enum: FORMATS })
  @IsOptional()
  @IsQueryOneOf('format', FORMATS)
  @IsQueryText('format')
  format?: ReportFormat;
}
