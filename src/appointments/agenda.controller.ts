import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AgentsService } from '../agents/agents.service';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ValidationError } from '../common/errors/domain-errors';
import {
  FormBody,
  FormPage,
  type FormPageOptions,
  ListPage,
  type PageRedirect,
  redirectTo,
  type RefusedAnswer,
  type RefusedInPlace,
  savedTo,
} from '../common/http/form-page';
import { formText } from '../common/http/form-values';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FormState } from '../common/http/request-context';
import { addDays } from '../common/time/calendar-day';
import { Clock } from '../common/time/clock';
import { formatZonedDateTime } from '../common/time/local-time';
import { gridPage, gridRange, refusedGridPage } from './agenda.page';
import {
  agendaAction,
  appointmentPage,
  chosenPlace,
  conflictFlash,
  detailLink,
  pickerWeek,
  refusedChange,
} from './appointment.page';
import { AgendaService } from './agenda.service';
import { AppointmentsService } from './appointments.service';
import {
  CloseAppointmentDto,
  MoveAppointmentDto,
  RescheduleAppointmentDto,
} from './dto/appointment-input';
import { AgendaGridQueryDto, AppointmentPageQueryDto } from './dto/appointment-query';

/** A refused change comes back to the detail page, said as agenda.page.ts says it. */
const CHANGE: FormPageOptions = {
  back: (req) => detailLink(Number(req.params.id), req.body as Record<string, unknown>),
  explain: 'explainRefusal',
};

const withReason = (body: Record<string, unknown>) =>
  formText(body, 'reason') ? { reason: formText(body, 'reason') } : {};

/** Where the move form puts the appointment: a picked slot, else a date and a time. */
function moveInput(body: Record<string, unknown>) {
  const chosen = chosenPlace(body);
  if (chosen.startsAt === undefined) {
    throw new ValidationError('startsAt', 'startsAt: choose a free slot, or a date and a time').say(
      'agenda.errors.chooseSlot',
    );
  }
  return {
    startsAt: chosen.startsAt,
    ...(chosen.agentId !== undefined ? { agentId: chosen.agentId } : {}),
    ...(formText(body, 'acknowledgeOverlap') === 'true' ? { acknowledgeOverlap: true } : {}),
    ...withReason(body),
  };
}

/**
 * The agenda pages of coordinators and backoffice: every agent's appointments of a week or a
 * day, filtered by campaign, zone, agent and state; one appointment with its data and the
 * changes (move, cancel, done, no-show, to be rescheduled), each a form (Post/Redirect/Get)
 * whose refusal comes back beside its field with what was typed kept.
 */
@ApiExcludeController()
@Roles('coordinator', 'backoffice', 'admin')
@Controller('agenda')
export class AgendaController {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly agenda: AgendaService,
    private readonly campaigns: CampaignsService,
    private readonly agents: AgentsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ListPage({ inPlace: 'refusedFilter' })
  async index(
    @Query() query: AgendaGridQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const now = this.clock.now();
    const [campaigns, agents] = await Promise.all([this.campaigns.list(), this.agents.list()]);
    const range = gridRange(req.query, campaigns, now);
    const { agentId, campaignId, zone, state } = query;
    const list = await this.appointments.list(
      { agentId, campaignId, zone, state, from: range.from, to: range.to },
      now,
      user,
    );
    res.render('agenda/index', gridPage(range, campaigns, agents, list, user.uiLanguage));
  }

  /** A wrong filter is said beside the form (400), the grid empty meanwhile. */
  async refusedFilter(req: Request, res: Response, { refusal }: RefusedInPlace): Promise<void> {
    const [campaigns, agents] = await Promise.all([this.campaigns.list(), this.agents.list()]);
    const range = gridRange(req.query, campaigns, this.clock.now());
    const field = Object.keys(refusal.fields ?? {})[0] ?? 'form';
    res.render(
      'agenda/index',
      refusedGridPage(range, campaigns, agents, field, req.user!.uiLanguage),
    );
  }

  @Get(':id')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @Query() query: AppointmentPageQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const now = this.clock.now();
    const appointment = await this.appointments.get(id, user);
    const week = pickerWeek(appointment, query, now);
    const agenda =
      appointment.state === 'booked'
        ? await this.agenda.forCampaign(
            appointment.campaignId,
            { from: week, to: addDays(week, 6) },
            now,
            user,
          )
        : null;
    const form = res.locals.form as FormState | undefined;
    res.render('agenda/show', appointmentPage(appointment, query, form, user, now, agenda));
  }

  @Post(':id/move')
  @FormPage(CHANGE)
  async move(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody(moveInput) form: MoveAppointmentDto,
    @FormBody() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const moved = await this.appointments.move(user, id, form, this.clock.now());
    return savedTo(detailLink(id, body), 'agenda.changed.moved', {
      when: formatZonedDateTime(new Date(moved.startsAt), moved.timezone, user.uiLanguage),
      agent: moved.agentName,
    });
  }

  /** Cancelled (with a reason), done or no-show. */
  @Post(':id/state')
  @FormPage(CHANGE)
  async close(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody((body) => ({ state: formText(body, 'state'), ...withReason(body) }))
    form: CloseAppointmentDto,
    @FormBody() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const closed = await this.appointments.close(user, id, form, this.clock.now());
    return savedTo(detailLink(id, body), `agenda.changed.${closed.state}`);
  }

  /** The agent cannot keep it: back to the operator who booked it, as a callback. */
  @Post(':id/reschedule')
  @FormPage(CHANGE)
  async reschedule(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody(withReason) form: RescheduleAppointmentDto,
    @FormBody() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const { appointment } = await this.appointments.reschedule(user, id, form, this.clock.now());
    const operator = appointment.operatorName;
    return operator
      ? savedTo(detailLink(id, body), 'agenda.changed.reschedule', { operator })
      : redirectTo(detailLink(id, body), {
          type: 'success',
          text: 'agenda.changed.reschedulePublic',
        });
  }

  /** How the detail page says a refused change (see FormPage and agenda.page.ts). */
  async explainRefusal(req: Request, { refusal, say }: RefusedInPlace): Promise<RefusedAnswer> {
    const body = req.body as Record<string, unknown>;
    const user = req.user!;
    return refusedChange(refusal, agendaAction(req.path, body), body, say, async () =>
      conflictFlash(await this.appointments.get(Number(req.params.id), user), say, user.uiLanguage),
    );
  }
}
