import { Transform } from 'class-transformer';
import { checkedIds } from '../../common/http/form-values';
import { CreateUserDto } from './create-user.dto';
import { UpdateUserDto } from './update-user.dto';

const asList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? [value] : value;

/** A single ticked checkbox arrives as a string, several as an array. */
export class CreateUserFormDto extends CreateUserDto {
  @Transform(asList)
  override languages?: string[];

  @Transform(checkedIds)
  override campaignIds?: number[];
}

/** As above; no box ticked sends nothing, which on this form means "speaks none". */
export class UpdateUserFormDto extends UpdateUserDto {
  @Transform(asList)
  override languages?: string[];
}
