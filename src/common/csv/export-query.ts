import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsQueryOneOf } from '../http/query-fields';
import { DIALECT_NAMES, exportDialect } from './export-dialect';
import { EXPORT_FORMATS, type ExportChoice, type ExportFormat } from './export-table';

/** `dialect=`: every CSV the product writes offers both (plain stays the default). */
export class CsvDialectQueryDto {
  @ApiPropertyOptional({
    enum: DIALECT_NAMES,
    description:
      'plain (default: comma, dot decimals, ISO dates) or excel-it (also "it": semicolon, decimal comma, dd/mm/yyyy hh:mm, Italian headers and values; UTF-8 BOM in both)',
  })
  @IsOptional()
  @IsQueryOneOf('dialect', DIALECT_NAMES)
  dialect?: string;
}

/** `format=csv|xlsx` and `dialect=`: the big exports (results file, contracts, contacts). */
export class ExportFileQueryDto extends CsvDialectQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'default csv' })
  @IsOptional()
  @IsQueryOneOf('format', EXPORT_FORMATS)
  format?: string;
}

/** The file asked for: CSV in the plain dialect unless told. */
export function exportChoice(query: { format?: string; dialect?: string }): ExportChoice {
  const format: ExportFormat = query.format === 'xlsx' ? 'xlsx' : 'csv';
  return { format, dialect: exportDialect(query.dialect) };
}
