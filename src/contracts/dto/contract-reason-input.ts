import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** A form's checkbox or JSON's boolean. */
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'on' || value === 'true' ? true : value === 'false' ? false : value;

/** `POST /contract-reasons`: a reason a contract may be suspended for. */
export class ContractReasonInput {
  @ApiProperty({ example: 'documents_missing' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, {
    message: 'code must be 1-32 lowercase letters, digits, dash or underscore',
  })
  code!: string;

  @ApiProperty({ example: 'Documenti mancanti' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'label must not be empty' })
  @MaxLength(80, { message: 'label must be at most 80 characters' })
  label!: string;

  @ApiPropertyOptional({ default: true, description: 'offered when suspending' })
  @IsOmittable()
  @Transform(checkbox)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

/** `PATCH /contract-reasons/:id`: the label or whether it is offered; the code stays. */
export class ContractReasonChanges {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'label must not be empty' })
  @MaxLength(80, { message: 'label must be at most 80 characters' })
  label?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(checkbox)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
