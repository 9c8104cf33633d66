import { Transform } from 'class-transformer';
import { CreateOutcomeStatusDto } from './create-outcome-status.dto';

/** A ticked checkbox sends "true" (or "on"); an unticked one sends nothing. */
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;
/** Number inputs arrive as text; anything but digits stays text so the validator names it. */
const integer = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim()) ? Number(value) : value;

/** The status form as a browser posts it. */
export class OutcomeStatusFormDto extends CreateOutcomeStatusDto {
  @Transform(checkbox) override quick?: boolean;
  @Transform(checkbox) override doNotCall?: boolean;
  @Transform(checkbox) override customerReached?: boolean;
  @Transform(checkbox) override allowPriceOverride?: boolean;
  @Transform(integer) override quickOrder?: number;
  @Transform(integer) override retryAfterMinutes?: number;
  @Transform(integer) override maxAttempts?: number;
}

/** The fields the browser sent (class-transformer may leave the others as undefined keys). */
export const given = <T extends object>(form: T): Partial<T> =>
  Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined)) as Partial<T>;
