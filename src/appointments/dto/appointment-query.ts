import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, MaxLength } from 'class-validator';
import {
  IsQueryDay,
  IsQueryId,
  IsQueryOneOf,
  IsQueryText,
  IsQueryTrimmed,
} from '../../common/http/query-fields';
import { APPOINTMENT_STATES, type AppointmentState } from '../appointment.entity';
import type { AppointmentQuery } from '../appointments.service';

/** Longer than any date or zone; the service says what a right value looks like. */
const MAX_QUERY_TEXT = 100;

/** A range of local days as asked (`from`, `to` included); the service checks and defaults it. */
class LocalDayRangeQueryDto {
  @ApiPropertyOptional({ description: 'first local date YYYY-MM-DD; default today' })
  @IsOptional()
  @MaxLength(MAX_QUERY_TEXT, { message: `from must be at most ${MAX_QUERY_TEXT} characters` })
  @IsQueryTrimmed('from')
  from?: string;

  @ApiPropertyOptional({
    description:
      "last local date, included; default from + 6 days (from + 13 for an agent's availability)",
  })
  @IsOptional()
  @MaxLength(MAX_QUERY_TEXT, { message: `to must be at most ${MAX_QUERY_TEXT} characters` })
  @IsQueryTrimmed('to')
  to?: string;
}

/** `GET /appointments` and the agenda page: the values' shape; the range is the service's. */
export class AppointmentListQueryDto extends LocalDayRangeQueryDto implements AppointmentQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('agentId')
  agentId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('campaignId')
  campaignId?: number;

  @ApiPropertyOptional({ description: 'agents covering this province or postcode' })
  @IsOptional()
  @MaxLength(MAX_QUERY_TEXT, { message: `zone must be at most ${MAX_QUERY_TEXT} characters` })
  @IsQueryTrimmed('zone')
  zone?: string;

  @ApiPropertyOptional({ enum: APPOINTMENT_STATES })
  @IsOptional()
  @IsQueryOneOf('state', APPOINTMENT_STATES)
  @IsQueryText('state')
  state?: AppointmentState;
}

/** `GET /agents/:id/availability` and `GET /campaigns/:id/agenda`: a range of local days. */
export class AgendaRangeQueryDto extends LocalDayRangeQueryDto {
  @ApiPropertyOptional({
    description:
      'availability: whose appointment length and zone apply (needed when the agent works for several)',
  })
  @IsOptional()
  @IsQueryId('campaignId')
  campaignId?: number;

  @ApiPropertyOptional({ description: 'agenda: agents covering its zone first' })
  @IsOptional()
  @IsQueryId('contactId')
  contactId?: number;
}

/** The agenda page's filters (the range is the page's: `view` and `date`). */
export class AgendaGridQueryDto extends PickType(AppointmentListQueryDto, [
  'agentId',
  'campaignId',
  'zone',
  'state',
] as const) {
  @ApiPropertyOptional({ description: 'a day of the week or day shown; default today' })
  @IsOptional()
  @IsQueryDay('date')
  date?: string;
}

/** One appointment's page: the move picker's week and the grid to go back to (else defaults). */
export class AppointmentPageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryText('week')
  week?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryText('back')
  back?: string;
}
