import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { AgendaService, CampaignAgenda, SlotView } from './agenda.service';
import { AppointmentsService, AppointmentView } from './appointments.service';
import {
  CloseAppointmentDto,
  MoveAppointmentDto,
  RescheduleAppointmentDto,
} from './dto/appointment-input';
import { AgendaRangeQueryDto, AppointmentListQueryDto } from './dto/appointment-query';

/**
 * Availability, the campaign's agenda for the outcome step, and appointments. Who may read:
 * free slots (no customer data) any staff role; a campaign's agenda and its appointments
 * an operator only for the campaigns they are assigned to (appointmentsVisibleTo), the
 * coordinators, backoffice and admins all; an integration none.
 */
@ApiTags('appointments')
@ApiBearerAuth()
@Controller('api/v1')
export class AppointmentsApiController {
  constructor(
    private readonly agenda: AgendaService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
  ) {}

  @Get('agents/:id/availability')
  @Roles('operator', 'coordinator', 'backoffice', 'admin')
  @ApiOkResponse({ description: 'free slots [{start, end}] (ISO instants)' })
  availability(
    @Param('id', new IdParamPipe()) id: number,
    @Query() query: AgendaRangeQueryDto,
  ): Promise<SlotView[]> {
    const { from, to, campaignId } = query;
    return this.agenda.availability(id, { from, to, campaignId }, this.clock.now());
  }

  @Get('campaigns/:id/agenda')
  @ApiOkResponse({
    description: 'the agents with their slots (free, taken, absent, past) and next free slot',
  })
  @Roles('operator', 'coordinator', 'backoffice', 'admin')
  campaignAgenda(
    @Param('id', new IdParamPipe()) id: number,
    @Query() query: AgendaRangeQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CampaignAgenda> {
    const { from, to, contactId } = query;
    return this.agenda.forCampaign(id, { from, to, contactId }, this.clock.now(), user);
  }

  @Get('appointments')
  @ApiOkResponse({ description: 'appointments starting in the range, earliest first' })
  @Roles('operator', 'coordinator', 'backoffice', 'admin')
  list(
    @Query() query: AppointmentListQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AppointmentView[]> {
    return this.appointments.list(query, this.clock.now(), user);
  }

  @Get('appointments/:id')
  @Roles('operator', 'coordinator', 'backoffice', 'admin')
  @ApiOkResponse({ description: 'the appointment; 404 outside the campaigns an operator works' })
  get(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AppointmentView> {
    return this.appointments.get(id, user);
  }

  @Post('appointments/:id/move')
  @HttpCode(200)
  @Roles('coordinator', 'backoffice', 'admin')
  @ApiBadRequestResponse({ description: 'not a slot of the agent, in an absence, in the past' })
  @ApiConflictResponse({ description: 'taken (with nearestFreeSlots), or no longer booked' })
  move(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: MoveAppointmentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AppointmentView> {
    return this.appointments.move(user, id, dto, this.clock.now());
  }

  @Post('appointments/:id/state')
  @HttpCode(200)
  @Roles('coordinator', 'backoffice', 'admin')
  @ApiConflictResponse({ description: 'no longer booked, or not started yet (done / no-show)' })
  close(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CloseAppointmentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AppointmentView> {
    return this.appointments.close(user, id, dto, this.clock.now());
  }

  @Post('appointments/:id/reschedule')
  @HttpCode(200)
  @Roles('coordinator', 'backoffice', 'admin')
  @ApiOkResponse({ description: 'the appointment, and the callback created for its operator' })
  reschedule(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: RescheduleAppointmentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ appointment: AppointmentView; callbackId: number }> {
    return this.appointments.reschedule(user, id, dto, this.clock.now());
  }
}
