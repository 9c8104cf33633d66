import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { OUTAGE_LANGUAGES, type OutageLanguage } from '../outage-defaults';
import { OutageContactsDto } from './outage-input.dto';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const checkbox = ({ value }: { value: unknown }): unknown => value === 'on' || value === 'true';

/** The coordinator's form: the API's fields as a browser posts them (checked in the service). */
export class OutageFormDto extends OutageContactsDto {
  @Transform(trim)
  @IsString({ message: 'name must be text' })
  name!: string;

  @Transform(trim)
  @IsString({ message: 'whatHappened must be text' })
  whatHappened!: string;

  @Transform(trim)
  @IsString({ message: 'expectedRestore must be text' })
  expectedRestore!: string;

  @Transform(trim)
  @IsString({ message: 'whatToDo must be text' })
  whatToDo!: string;

  @IsOmittable()
  @IsIn(OUTAGE_LANGUAGES, { message: `language must be one of: ${OUTAGE_LANGUAGES.join(', ')}` })
  language?: OutageLanguage;

  @IsOmittable()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'callingStart must be a time HH:MM' })
  callingStart?: string;

  @IsOmittable()
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'callingEnd must be a time HH:MM' })
  callingEnd?: string;

  @IsOmittable()
  @Transform(checkbox)
  respectPreferredChannel?: boolean;

  @IsOmittable()
  @Transform(checkbox)
  requireConsent?: boolean;

  /** Sent with the checkboxes, so that an unchecked box means "off", not "left out". */
  @IsOmittable()
  @IsString()
  rulesShown?: string;
}
