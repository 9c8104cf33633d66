import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

/** The login form also says where to go next. */
export class LoginFormDto extends LoginDto {
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  next?: string;
}
