import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CreateUserDto } from './create-user.dto';

/** What an admin may change on a user; the username stays, the password has its own call. */
export class UpdateUserDto extends PartialType(
  OmitType(CreateUserDto, ['username', 'password', 'campaignIds'] as const),
) {}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;
}
