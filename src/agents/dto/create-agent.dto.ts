import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { TIME_PATTERN } from '../working-hours';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export const PHONE_PATTERN = /^\+?[0-9][0-9 ()./-]{3,30}$/;

/** One weekly window. Order and overlaps are checked by the service (checkWorkingHours). */
export class WorkingHoursDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' })
  @IsInt({ message: 'day must be an integer from 1 (Monday) to 7 (Sunday)' })
  @Min(1, { message: 'day must be an integer from 1 (Monday) to 7 (Sunday)' })
  @Max(7, { message: 'day must be an integer from 1 (Monday) to 7 (Sunday)' })
  day!: number;

  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(TIME_PATTERN, { message: 'start must be a time HH:MM from 00:00 to 24:00' })
  start!: string;

  @ApiProperty({ example: '18:00' })
  @IsString()
  @Matches(TIME_PATTERN, { message: 'end must be a time HH:MM from 00:00 to 24:00' })
  end!: string;
}

/** Name, e-mail, phone and the active flag: the same on the API and the page form. */
export class AgentContactDto {
  @ApiProperty({ example: 'Marco Bianchi' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name!: string;

  @ApiPropertyOptional({ example: 'marco.bianchi@example.com' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({ example: '+39 333 123 4567' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(PHONE_PATTERN, {
    message: 'phone must be a phone number: digits, spaces and + ( ) . / - (4-31 characters)',
  })
  phone?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class CreateAgentDto extends AgentContactDto {
  @ApiPropertyOptional({
    example: ['MI', 'MB'],
    description: 'Provinces or postcodes; upper-cased, 1-10 letters or digits, each once',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'zones must be texts such as "MI"' })
  zones?: string[];

  @ApiProperty({
    type: [WorkingHoursDto],
    description: 'Weekly windows in local time; several per day allowed if they do not overlap',
  })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WorkingHoursDto)
  workingHours!: WorkingHoursDto[];
}
