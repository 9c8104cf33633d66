import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  IsQueryFlag,
  IsQueryId,
  IsQueryOneOf,
  IsQueryText,
  IsQueryTrimmed,
} from '../../common/http/query-fields';
import { mappingTargetProblem } from '../contact-header';

export const ON_DUPLICATE = ['skip', 'update'] as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[number];
const MAX_MAPPED_COLUMNS = 200;

/** One column of the file and what it becomes. */
export class MappedColumnDto {
  @ApiProperty({ example: 'Cellulare', description: "the column's name in the file's header" })
  @IsString({ message: 'header must be text' })
  @MinLength(1, { message: 'header must not be empty' })
  @MaxLength(200, { message: 'header must be at most 200 characters' })
  header!: string;

  @ApiProperty({
    example: 'phone:cellulare',
    description: 'a contact field (firstName, ...), phone:<label>, custom:<name> or ignore',
  })
  @IsString({ message: 'to must be text' })
  @ValidateBy({
    name: 'mappingTarget',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !mappingTargetProblem(value),
      defaultMessage: (args) =>
        `to ${mappingTargetProblem(String(args?.value)) ?? 'is not a target'}`,
    },
  })
  to!: string;
}

/** A file's columns and what each becomes (columns it leaves out are read by their name). */
export class ImportMappingDto {
  @ApiProperty({ type: [MappedColumnDto] })
  @IsArray({ message: 'columns must be a list' })
  @ArrayMaxSize(MAX_MAPPED_COLUMNS, {
    message: `columns must be at most ${MAX_MAPPED_COLUMNS}`,
  })
  @ValidateNested({ each: true })
  @Type(() => MappedColumnDto)
  columns!: MappedColumnDto[];
}

/** `POST .../contacts/import?...`: the progress key, a saved mapping, what to do with duplicates. */
export class ContactImportQueryDto {
  @ApiPropertyOptional({ description: 'progress key to poll' })
  @IsOptional()
  @IsQueryText('key')
  key?: string;

  @ApiPropertyOptional({ description: "the campaign's saved mapping (its id)" })
  @IsOptional()
  @IsQueryId('mapping')
  mapping?: number;

  @ApiPropertyOptional({
    enum: ON_DUPLICATE,
    description: 'a phone already in the campaign: skip (default) or update that contact',
  })
  @IsOptional()
  @IsQueryOneOf('onDuplicate', ON_DUPLICATE)
  @IsQueryText('onDuplicate')
  onDuplicate?: OnDuplicate;

  @ApiPropertyOptional({ description: "true: the mapping becomes the campaign's saved one" })
  @IsQueryFlag('saveMapping')
  saveMapping?: boolean;

  @ApiPropertyOptional({ description: "the list's name (default: the file's name)" })
  @IsOptional()
  @MaxLength(200, { message: 'listName must be at most 200 characters' })
  @IsQueryTrimmed('listName')
  listName?: string;
}

/** The same options as a multipart form's fields (before the file): the mapping as JSON. */
export class ContactImportFieldsDto {
  @IsOptional()
  @IsString({ message: 'key must be text' })
  key?: string;

  @IsOptional()
  @IsString({ message: 'mapping must be the JSON of {columns: [{header, to}]}' })
  mapping?: string;

  @IsOptional()
  @IsIn(ON_DUPLICATE, { message: `onDuplicate must be one of: ${ON_DUPLICATE.join(', ')}` })
  onDuplicate?: OnDuplicate;

  @IsOptional()
  @IsIn(['true', 'false', 'on'], { message: 'saveMapping must be true or false' })
  saveMapping?: string;

  @IsOptional()
  @IsString({ message: 'listName must be text' })
  @MaxLength(200, { message: 'listName must be at most 200 characters' })
  listName?: string;
}
