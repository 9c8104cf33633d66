import { Transform } from 'class-transformer';
import { IsOptional, IsString } from 'class-validator';

/** A search box's text: trimmed, empty meaning "not searched". */
const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() || undefined : value;

const ONCE = { message: '$property must be given once' };

/** `GET /contacts?q=`: the search page. */
export class ContactSearchQuery {
  @IsOptional()
  @Transform(trimmed)
  @IsString(ONCE)
  q?: string;
}

/** `GET /campaigns/:id/contacts`: search, tag and the page's cursors. */
export class CampaignContactsQuery extends ContactSearchQuery {
  @IsOptional()
  @Transform(trimmed)
  @IsString(ONCE)
  tag?: string;

  @IsOptional()
  @IsString(ONCE)
  after?: string;

  @IsOptional()
  @IsString(ONCE)
  before?: string;
}
