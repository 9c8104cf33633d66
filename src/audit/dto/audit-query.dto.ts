import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CsvDialectQueryDto } from '../../common/csv/export-query';
import {
  IsQueryDay,
  IsQueryId,
  IsQueryLimit,
  IsQueryTrimmed,
} from '../../common/http/query-fields';

/** The audit trail's filters: all optional, combined. Days are the call centre's. */
export class AuditQueryDto extends CsvDialectQueryDto {
  @ApiPropertyOptional({ description: 'an action or its family: "campaign" or "campaign.updated"' })
  @IsOptional()
  @IsQueryTrimmed('action')
  @Matches(/^[a-z_]+(\.[a-z_]+)?$/, { message: 'action must be like campaign or campaign.updated' })
  action?: string;

  @ApiPropertyOptional({ description: 'who did it: a user id' })
  @IsOptional()
  @IsQueryId('actor')
  actor?: number;

  @ApiPropertyOptional({ description: 'what it was done to: user, campaign, contact, export...' })
  @IsOptional()
  @IsQueryTrimmed('entity')
  @Matches(/^[a-z_]+$/, { message: 'entity must be a word like campaign' })
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('entityId')
  entityId?: number;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @IsQueryDay('from')
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-07' })
  @IsOptional()
  @IsQueryDay('to')
  to?: string;

  @ApiPropertyOptional({ description: 'the next page: lines older than this id' })
  @IsOptional()
  @IsQueryId('before')
  before?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsQueryLimit(200, 50)
  limit: number = 50;
}
