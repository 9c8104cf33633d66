import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone/phone-number';

/** The number the operator is about to dial, one of the leased contact's. */
export class DialDto {
  @ApiProperty({ example: '+390212345678' })
  @IsString({ message: 'phone must be text' })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, {
    message: `phone must be at most ${PHONE_INPUT_MAX_LENGTH} characters`,
  })
  phone!: string;
}
