import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { MAX_STEP_BODY } from './campaign-input.dto';

/** The contact a script is previewed with; what is missing comes from the sample (Mario Rossi). */
export class PreviewContactDto {
  @IsOptional() @IsString() @MaxLength(100) firstName?: string;
  @IsOptional() @IsString() @MaxLength(100) lastName?: string;
  @IsOptional() @IsString() @MaxLength(32) phone?: string;
  @IsOptional() @IsString() @MaxLength(254) email?: string;
  @IsOptional() @IsString() @MaxLength(100) city?: string;
  @IsOptional() @IsString() @MaxLength(8) province?: string;
  @IsOptional() @IsString() @MaxLength(2) language?: string;

  @ApiPropertyOptional({ example: { codiceCliente: 'A-17' }, description: 'extra list columns' })
  @IsOmittable()
  @IsObject({ message: 'contact.fields must be an object of texts' })
  fields?: Record<string, unknown>;
}

export class ScriptPreviewDto {
  @ApiProperty({ example: 'Buongiorno {{contact.firstName}} {{contact.lastName}}' })
  @IsString()
  @MaxLength(MAX_STEP_BODY, { message: `body must be at most ${MAX_STEP_BODY} characters` })
  body!: string;

  @ApiPropertyOptional({ type: PreviewContactDto })
  @IsOmittable()
  @IsObject({ message: 'contact must be an object' })
  @ValidateNested()
  @Type(() => PreviewContactDto)
  contact?: PreviewContactDto;
}

export interface ScriptPreviewView {
  html: string;
}
