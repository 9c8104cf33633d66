import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ValidationError } from '../../common/errors/domain-errors';
import { zonedLocalToUtc } from '../../common/time/local-time';
import { IsOmittable } from '../../common/validation/omittable';
import type { NewAgentInput } from '../agents.service';
import { AgentContactDto } from './create-agent.dto';

/** The pages show and take times in the call centre's zone; the database keeps UTC. */
export const PAGE_TIME_ZONE = 'Europe/Rome';

const integer = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value;
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** A row of the weekly editor: both times empty means "no window here". */
export class WorkingHoursRowDto {
  @Transform(integer)
  @IsInt({ message: 'day must be an integer from 1 (Monday) to 7 (Sunday)' })
  @Min(1)
  @Max(7)
  day!: number;

  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(5, { message: 'start must be a time HH:MM from 00:00 to 24:00' })
  start?: string;

  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(5, { message: 'end must be a time HH:MM from 00:00 to 24:00' })
  end?: string;
}

/** The agent form as a browser posts it: zones as one text, hours as fixed rows. */
export class AgentFormDto extends AgentContactDto {
  @Transform(checkbox) override active?: boolean;

  @IsOmittable()
  @IsString()
  @MaxLength(500)
  zones?: string;

  @IsOmittable()
  @IsArray({ message: 'workingHours must be the rows of the weekly editor' })
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WorkingHoursRowDto)
  workingHours?: WorkingHoursRowDto[];
}

/** An absence as the page's datetime-local inputs send it (wall-clock time in Rome). */
export class AbsenceFormDto {
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'startsAt must be a date and time' })
  startsAt!: string;

  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'endsAt must be a date and time' })
  endsAt!: string;

  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason?: string;
}

/** Form rows → the service's input; empty rows dropped, the others keep their row number. */
export function toAgentInput(form: AgentFormDto): NewAgentInput {
  const workingHours = (form.workingHours ?? []).flatMap((row, i) =>
    row.start || row.end
      ? [{ day: row.day, start: row.start ?? '', end: row.end ?? '', row: i }]
      : [],
  );
  return {
    name: form.name,
    email: form.email ?? null,
    phone: form.phone ?? null,
    zones: (form.zones ?? '').split(/[\s,;]+/).filter(Boolean),
    workingHours,
    active: form.active ?? false,
  };
}

export function romeInstant(field: 'startsAt' | 'endsAt', local: string): Date {
  const instant = zonedLocalToUtc(local, PAGE_TIME_ZONE);
  if (!instant) {
    throw new ValidationError(
      field,
      `${field} is not a date and time that exists in ${PAGE_TIME_ZONE}`,
    );
  }
  return instant;
}
