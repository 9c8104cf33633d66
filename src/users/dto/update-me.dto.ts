import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { LANGUAGES, type Language } from '../../config/app.config';

/** `PATCH /api/v1/me`, and the profile page's forms: one's own language and password. */
export class UpdateMeDto {
  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOmittable()
  @IsIn(LANGUAGES, { message: `uiLanguage must be one of: ${LANGUAGES.join(', ')}` })
  uiLanguage?: Language;

  @ApiPropertyOptional({ minLength: 8, description: 'the new password; needs currentPassword' })
  @IsOmittable()
  @IsString({ message: 'password must be text' })
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(200, { message: 'password must be at most 200 characters' })
  password?: string;

  @ApiPropertyOptional({ description: 'the password in use, to change it' })
  @IsOmittable()
  @IsString({ message: 'currentPassword must be text' })
  @MaxLength(200, { message: 'currentPassword must be at most 200 characters' })
  currentPassword?: string;
}
