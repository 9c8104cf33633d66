import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import type { AgentView } from '../agents/dto/agent.view';
import { AgentsService } from '../agents/agents.service';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { CAMPAIGN_DEFAULTS } from '../campaigns/campaign-defaults';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { CampaignView } from '../campaigns/dto/campaign.view';
import { ValidationError } from '../common/errors/domain-errors';
import { type ErrorResponse, pageRefusal } from '../common/errors/error-response';
import { formText } from '../common/http/form-values';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import type { AuthenticatedUser, FlashMessage, FormState } from '../common/http/request-context';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { Clock } from '../common/time/clock';
import { formatZonedDateTime, toZonedLocal } from '../common/time/local-time';
import { addDays, isCalendarDay } from '../common/time/calendar-day';
import { AgendaService, type CampaignAgenda } from './agenda.service';
import { APPOINTMENT_STATES } from './appointment.entity';
import { AppointmentsService, type AppointmentView } from './appointments.service';
import {
  CloseAppointmentDto,
  MAX_REASON,
  MoveAppointmentDto,
  readAppointmentQuery,
  RescheduleAppointmentDto,
} from './dto/appointment-input';

/** The filters the grid keeps in its links and forms. */
const FILTER_FIELDS = ['campaignId', 'zone', 'agentId', 'state'] as const;
type GridView = 'week' | 'day';
/** Where the detail page may send the coordinator back to: the grid, with its filters. */
const BACK_TO_AGENDA = /^\/agenda(\?[^\s#]*)?$/;
/** A slot of the picker: "<agentId>|<local start>". */
const SLOT = /^([1-9][0-9]{0,9})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/;
/** Day view: the hours shown when no working hours or appointment says otherwise. */
const DEFAULT_HOURS = { first: 9, last: 17 };

/** ISO weekday of a local date, 1 (Monday) to 7. */
function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Calendar dates written in the page's language ("lun 30/11", "30 nov – 6 dic 2026"). */
function dateText(date: string, lang: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', {
    ...options,
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
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
  private readonly validation = new AppValidationPipe();

  constructor(
    private readonly appointments: AppointmentsService,
    private readonly agenda: AgendaService,
    private readonly campaigns: CampaignsService,
    private readonly agents: AgentsService,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  async index(
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const { status, view } = await this.grid(raw, user);
    res.status(status).render('agenda/index', view);
  }

  @Get(':id')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const appointment = await this.appointments.get(id, user);
    const form = res.locals.form as FormState | undefined;
    res.render('agenda/show', await this.detail(appointment, raw, form, user));
  }

  @Post(':id/move')
  async move(
    @Param('id', new IdParamPipe()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const lang = user.uiLanguage;
    const chosen = this.chosenPlace(body);
    try {
      if (chosen.startsAt === undefined) {
        throw new ValidationError(
          'startsAt',
          'startsAt: choose a free slot, or a date and a time',
        ).say('agenda.errors.chooseSlot');
      }
      const dto = await this.validated(MoveAppointmentDto, {
        startsAt: chosen.startsAt,
        ...(chosen.agentId !== undefined ? { agentId: chosen.agentId } : {}),
        ...(formText(body, 'acknowledgeOverlap') === 'true' ? { acknowledgeOverlap: true } : {}),
        ...(formText(body, 'reason') ? { reason: formText(body, 'reason') } : {}),
      });
      const moved = await this.appointments.move(user, id, dto, this.clock.now());
      req.session.flash = [
        {
          type: 'success',
          text: 'agenda.changed.moved',
          args: {
            when: formatZonedDateTime(new Date(moved.startsAt), moved.timezone, lang),
            agent: moved.agentName,
          },
        },
      ];
    } catch (error) {
      const refusal = pageRefusal(error);
      await this.refuse(req, id, refusal, 'move', {
        slot: formText(body, 'slot') ?? '',
        date: formText(body, 'date') ?? '',
        time: formText(body, 'time') ?? '',
        agentId: formText(body, 'agentId') ?? '',
        acknowledgeOverlap: formText(body, 'acknowledgeOverlap') === 'true',
        reason: formText(body, 'reason') ?? '',
        // The agent the refused move was for: the nearest free slots are theirs.
        nearestAgentId: chosen.agentId ?? null,
      });
    }
    res.redirect(303, this.detailLink(id, body));
  }

  /** Cancelled (with a reason), done or no-show. */
  @Post(':id/state')
  async close(
    @Param('id', new IdParamPipe()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const state = formText(body, 'state');
    try {
      const dto = await this.validated(CloseAppointmentDto, {
        state,
        ...(formText(body, 'reason') ? { reason: formText(body, 'reason') } : {}),
      });
      const closed = await this.appointments.close(user, id, dto, this.clock.now());
      req.session.flash = [{ type: 'success', text: `agenda.changed.${closed.state}` }];
    } catch (error) {
      const refusal = pageRefusal(error);
      await this.refuse(req, id, refusal, state === 'cancelled' ? 'cancel' : 'state', {
        reason: formText(body, 'reason') ?? '',
      });
    }
    res.redirect(303, this.detailLink(id, body));
  }

  /** The agent cannot keep it: back to the operator who booked it, as a callback. */
  @Post(':id/reschedule')
  async reschedule(
    @Param('id', new IdParamPipe()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const dto = await this.validated(RescheduleAppointmentDto, {
        ...(formText(body, 'reason') ? { reason: formText(body, 'reason') } : {}),
      });
      const { appointment } = await this.appointments.reschedule(user, id, dto, this.clock.now());
      req.session.flash = [
        appointment.operatorName
          ? {
              type: 'success',
              text: 'agenda.changed.reschedule',
              args: { operator: appointment.operatorName },
            }
          : { type: 'success', text: 'agenda.changed.reschedulePublic' },
      ];
    } catch (error) {
      const refusal = pageRefusal(error);
      await this.refuse(req, id, refusal, 'reschedule', { reason: formText(body, 'reason') ?? '' });
    }
    res.redirect(303, this.detailLink(id, body));
  }

  // ---------------------------------------------------------------- the grid

  private async grid(
    raw: Record<string, unknown>,
    user: AuthenticatedUser,
  ): Promise<{ status: number; view: Record<string, unknown> }> {
    const lang = user.uiLanguage;
    const query = filledIn(raw);
    const text = (field: string) => (typeof query[field] === 'string' ? query[field].trim() : '');
    const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)]));
    const gridView: GridView = text('view') === 'day' ? 'day' : 'week';
    const [campaigns, agents] = await Promise.all([this.campaigns.list(), this.agents.list()]);
    const campaign = campaigns.find((c) => String(c.id) === filters.campaignId);
    const zone = campaign?.timezone ?? CAMPAIGN_DEFAULTS.timezone;
    const today = toZonedLocal(this.clock.now(), zone).slice(0, 10);
    const date = isCalendarDay(text('date')) ? text('date') : today;
    const from = gridView === 'week' ? mondayOf(date) : date;
    const to = gridView === 'week' ? addDays(from, 6) : date;

    const link = (changes: Record<string, string | undefined>) => {
      const search = queryString({ view: gridView, date, ...filters, ...changes });
      return search ? `/agenda?${search}` : '/agenda';
    };
    const step = gridView === 'week' ? 7 : 1;
    const view = {
      title: 'agenda.title',
      gridView,
      isWeek: gridView === 'week',
      date,
      filters,
      filtered: FILTER_FIELDS.some((f) => filters[f] !== ''),
      clearLink: `/agenda?${queryString({ view: gridView, date })}`,
      campaigns: markSelected(campaigns, filters.campaignId),
      agents: markSelected(agents, filters.agentId),
      states: APPOINTMENT_STATES.map((s) => ({ value: s, selected: filters.state === s })),
      rangeText:
        gridView === 'week'
          ? `${dateText(from, lang, { day: 'numeric', month: 'short' })} – ${dateText(to, lang, { day: 'numeric', month: 'short', year: 'numeric' })}`
          : dateText(date, lang, {
              weekday: 'long',
              day: 'numeric',
              month: 'long',
              year: 'numeric',
            }),
      links: {
        previous: link({ date: addDays(date, -step) }),
        next: link({ date: addDays(date, step) }),
        today: link({ date: today }),
        week: link({ view: 'week' }),
        day: link({ view: 'day' }),
      },
      isToday: from <= today && today <= to,
    };

    if (text('date') !== '' && !isCalendarDay(text('date'))) {
      return { status: 400, view: { ...view, filterError: { field: 'date' }, rows: [] } };
    }
    let list: AppointmentView[];
    try {
      list = await this.appointments.list(
        readAppointmentQuery({ ...query, from, to }),
        this.clock.now(),
        user,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A wrong filter is said beside the form, with the form still there to correct it.
      return { status: 400, view: { ...view, filterError: { field: error.field }, rows: [] } };
    }

    const back = link({});
    const rowAgents = this.rowAgents(agents, campaign, filters, list);
    const days = Array.from({ length: gridView === 'week' ? 7 : 1 }, (_, i) => addDays(from, i));
    const columns =
      gridView === 'week'
        ? days.map((day) => ({
            key: day,
            label: dateText(day, lang, { weekday: 'short', day: '2-digit', month: '2-digit' }),
            today: day === today,
            weekend: weekdayOf(day) >= 6,
            href: link({ view: 'day', date: day }),
          }))
        : this.hours(rowAgents, list, date).map((hour) => ({
            key: String(hour),
            label: hourText(hour),
            today: false,
            weekend: false,
            href: null,
          }));
    const zones = [...new Set(list.map((a) => a.timezone))];
    const shownZone = zones.length === 1 ? zones[0]! : zones.length === 0 ? zone : null;
    const cardsOf = new Map<string, ReturnType<AgendaController['card']>[]>();
    for (const appointment of list) {
      const local = toZonedLocal(new Date(appointment.startsAt), appointment.timezone);
      let column = gridView === 'week' ? local.slice(0, 10) : String(Number(local.slice(11, 13)));
      // A campaign in another zone may start just outside the grid's days: kept at its edge.
      if (gridView === 'week' && column < from) column = from;
      if (gridView === 'week' && column > to) column = to;
      const key = `${appointment.agentId}:${column}`;
      const cards = cardsOf.get(key) ?? [];
      cards.push(this.card(appointment, shownZone, back));
      cardsOf.set(key, cards);
    }
    const counts = new Map<string, number>();
    const perAgent = new Map<number, number>();
    for (const a of list) {
      counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
      perAgent.set(a.agentId, (perAgent.get(a.agentId) ?? 0) + 1);
    }
    return {
      status: 200,
      view: {
        ...view,
        zone: shownZone,
        columns,
        span: columns.length + 1,
        total: list.length,
        totalKey:
          list.length === 0
            ? 'agenda.grid.totalNone'
            : list.length === 1
              ? 'agenda.grid.totalOne'
              : 'agenda.grid.total',
        legend: APPOINTMENT_STATES.map((s) => ({ value: s, count: counts.get(s) ?? 0 })),
        rows: rowAgents.map((agent) => ({
          id: agent.id,
          name: agent.name,
          zones: agent.zones.join(', '),
          active: agent.active,
          count: perAgent.get(agent.id) ?? 0,
          cells: columns.map((column) => {
            const cards = cardsOf.get(`${agent.id}:${column.key}`) ?? [];
            const off =
              gridView === 'week'
                ? !agent.workingHours.some((w) => w.day === weekdayOf(column.key))
                : !this.worksAt(agent, date, Number(column.key));
            return { cards, off: off && cards.length === 0, weekend: column.weekend };
          }),
        })),
      },
    };
  }

  /**
   * The grid's rows: the active agents the filters name (one agent, the campaign's agents,
   * those covering the zone), and every agent who has an appointment listed.
   */
  private rowAgents(
    agents: AgentView[],
    campaign: CampaignView | undefined,
    filters: Record<string, string>,
    list: AppointmentView[],
  ): AgentView[] {
    const zone = filters.zone?.toUpperCase() ?? '';
    const listed = new Set(list.map((a) => a.agentId));
    return agents
      .filter(
        (agent) =>
          listed.has(agent.id) ||
          (agent.active &&
            (!filters.agentId || String(agent.id) === filters.agentId) &&
            (!campaign || campaign.agentIds.includes(agent.id)) &&
            (!zone || agent.zones.includes(zone))),
      )
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  }

  /** The day view's hours: the shown agents' working hours that day and every appointment. */
  private hours(agents: AgentView[], list: AppointmentView[], date: string): number[] {
    let first = 24;
    let last = -1;
    for (const agent of agents) {
      for (const window of agent.workingHours.filter((w) => w.day === weekdayOf(date))) {
        first = Math.min(first, Math.floor(minutesOf(window.start) / 60));
        last = Math.max(last, Math.ceil(minutesOf(window.end) / 60) - 1);
      }
    }
    if (last < 0) ({ first, last } = DEFAULT_HOURS);
    for (const a of list) {
      const hour = Number(toZonedLocal(new Date(a.startsAt), a.timezone).slice(11, 13));
      first = Math.min(first, hour);
      last = Math.max(last, hour);
    }
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  private worksAt(agent: AgentView, date: string, hour: number): boolean {
    return agent.workingHours.some(
      (w) =>
        w.day === weekdayOf(date) &&
        minutesOf(w.start) < (hour + 1) * 60 &&
        minutesOf(w.end) > hour * 60,
    );
  }

  /** One appointment on the grid: time on the campaign's clock, customer, place, state. */
  private card(appointment: AppointmentView, gridZone: string | null, back: string) {
    const start = toZonedLocal(new Date(appointment.startsAt), appointment.timezone);
    const end = toZonedLocal(new Date(appointment.endsAt), appointment.timezone);
    return {
      id: appointment.id,
      href: `/agenda/${appointment.id}?${queryString({ back })}`,
      time: `${start.slice(11)}–${end.slice(11)}`,
      start: start.slice(11),
      customer: appointment.contact.name,
      address: appointment.contact.address,
      campaign: appointment.campaignName,
      state: appointment.state,
      overlaps: appointment.overlaps && appointment.state === 'booked',
      closed: appointment.state !== 'booked',
      zone: gridZone === appointment.timezone ? null : appointment.timezone,
    };
  }

  // ---------------------------------------------------------------- one appointment

  private async detail(
    appointment: AppointmentView,
    raw: Record<string, unknown>,
    form: FormState | undefined,
    user: AuthenticatedUser,
  ) {
    const lang = user.uiLanguage;
    const now = this.clock.now();
    const zone = appointment.timezone;
    const when = (iso: string) => formatZonedDateTime(new Date(iso), zone, lang);
    const backText = typeof raw.back === 'string' ? raw.back : '';
    const back = BACK_TO_AGENDA.test(backText) ? backText : '/agenda';
    const values = form?.values ?? {};
    const errors = form?.errors ?? {};
    const value = (field: string) => (typeof values[field] === 'string' ? values[field] : '');
    const booked = appointment.state === 'booked';
    const started = Date.parse(appointment.startsAt) <= now.getTime();

    const view = {
      title: 'agenda.show.title',
      back,
      appointment: {
        ...appointment,
        whenText: when(appointment.startsAt),
        endText: toZonedLocal(new Date(appointment.endsAt), zone).slice(11),
        createdText: when(appointment.createdAt),
        updatedText: when(appointment.updatedAt),
        changed: appointment.sequence > 0,
        changesKey: appointment.sequence === 1 ? 'agenda.show.changesOne' : 'agenda.show.changes',
        zones: appointment.contact.zones.join(', '),
      },
      booked,
      started,
      contactLink: user.role === 'admin' || user.role === 'coordinator',
      maxReason: MAX_REASON,
      errors,
      cancelOpen: values.action === 'cancel',
      rescheduleOpen: values.action === 'reschedule',
      reasons: {
        cancel: values.action === 'cancel' ? value('reason') : '',
        reschedule: values.action === 'reschedule' ? value('reason') : '',
        move: values.action === 'move' ? value('reason') : '',
      },
    };
    if (!booked) return view;

    // The picker's week: asked for, else the appointment's (this week once that is past).
    const today = toZonedLocal(now, zone).slice(0, 10);
    const weekText = typeof raw.week === 'string' && isCalendarDay(raw.week) ? raw.week : '';
    const ownDay = toZonedLocal(new Date(appointment.startsAt), zone).slice(0, 10);
    const week = mondayOf(weekText || (ownDay < today ? today : ownDay));
    const agenda = await this.agenda.forCampaign(
      appointment.campaignId,
      { from: week, to: addDays(week, 6) },
      now,
    );
    const moveValues = values.action === 'move' ? values : {};
    const picked = typeof moveValues.slot === 'string' ? moveValues.slot : '';
    const selfLink = (w: string) =>
      `/agenda/${appointment.id}?${queryString({ week: w, back })}#move`;
    const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
    return {
      ...view,
      move: {
        week,
        weekText: `${dateText(week, lang, { day: 'numeric', month: 'short' })} – ${dateText(addDays(week, 6), lang, { day: 'numeric', month: 'short', year: 'numeric' })}`,
        previous: selfLink(addDays(week, -7)),
        next: selfLink(addDays(week, 7)),
        days: days.map((day) => ({
          date: day,
          label: dateText(day, lang, { weekday: 'short', day: '2-digit', month: '2-digit' }),
        })),
        agents: this.pickerAgents(agenda, appointment, days, picked, lang),
        nearest: this.nearestChoices(moveValues, appointment, picked, lang),
        nearestAgent:
          agenda.agents.find((a) => a.id === (moveValues.nearestAgentId ?? appointment.agentId))
            ?.name ?? null,
        warnPolicy: agenda.overlapPolicy === 'warn',
        acknowledged: moveValues.acknowledgeOverlap === true,
        slotMinutes: agenda.appointmentMinutes,
        date: typeof moveValues.date === 'string' ? moveValues.date : '',
        time: typeof moveValues.time === 'string' ? moveValues.time : '',
        manualOpen: Boolean(moveValues.date) || Boolean(moveValues.time),
        agentOptions: agenda.agents.map((a) => ({
          id: a.id,
          name: a.name,
          selected:
            typeof moveValues.agentId === 'string' && moveValues.agentId !== ''
              ? moveValues.agentId === String(a.id)
              : a.id === appointment.agentId,
        })),
      },
    };
  }

  /** The free slots of the campaign's agents in the week: the appointment's agent first. */
  private pickerAgents(
    agenda: CampaignAgenda,
    appointment: AppointmentView,
    days: string[],
    picked: string,
    lang: string,
  ) {
    const agents = [...agenda.agents].sort(
      (a, b) => Number(b.id === appointment.agentId) - Number(a.id === appointment.agentId),
    );
    return agents.map((agent) => {
      const free = agent.slots
        .filter((s) => s.state === 'free')
        .map((s) => toZonedLocal(new Date(s.start), agenda.timezone));
      return {
        id: agent.id,
        name: agent.name,
        zones: agent.zones.join(', '),
        current: agent.id === appointment.agentId,
        freeCount: free.length,
        days: days.map((day) => ({
          slots: free
            .filter((local) => local.startsWith(day))
            .map((local) => {
              const value = `${agent.id}|${local}`;
              return {
                value,
                time: local.slice(11),
                checked: value === picked,
                label: `${agent.name}, ${dateText(day, lang, { weekday: 'short', day: '2-digit', month: '2-digit' })} ${local.slice(11)}`,
              };
            }),
        })),
      };
    });
  }

  /** A refused move onto a taken slot: the agent's nearest free slots, as choices. */
  private nearestChoices(
    values: Record<string, unknown>,
    appointment: AppointmentView,
    picked: string,
    lang: string,
  ) {
    const slots = Array.isArray(values.nearest) ? (values.nearest as unknown[]) : [];
    const agentId =
      typeof values.nearestAgentId === 'number' ? values.nearestAgentId : appointment.agentId;
    return slots
      .filter((s): s is string => typeof s === 'string' && !Number.isNaN(Date.parse(s)))
      .map((start) => {
        const local = toZonedLocal(new Date(start), appointment.timezone);
        const value = `${agentId}|${local}`;
        return {
          value,
          label: formatZonedDateTime(new Date(start), appointment.timezone, lang),
          checked: value === picked,
        };
      });
  }

  // ---------------------------------------------------------------- forms

  /** Where the move form's fields put the appointment: a picked slot, else a date and a time. */
  private chosenPlace(body: Record<string, unknown>): { startsAt?: string; agentId?: number } {
    const slot = SLOT.exec(formText(body, 'slot') ?? '');
    if (slot) return { agentId: Number(slot[1]), startsAt: slot[2] };
    const date = formText(body, 'date')?.trim() ?? '';
    const time = formText(body, 'time')?.trim() ?? '';
    const agent = formText(body, 'agentId') ?? '';
    const agentId = /^[1-9][0-9]{0,9}$/.test(agent) ? Number(agent) : undefined;
    if (date === '' && time === '') return { agentId };
    // Half a date and time, or not one: the service names `startsAt` with its own message.
    return { agentId, startsAt: `${date}T${time}` };
  }

  /** Back to the detail page, the picker's week and the grid's filters kept. */
  private detailLink(id: number, body: Record<string, unknown>): string {
    const back = formText(body, 'back') ?? '';
    const week = formText(body, 'week') ?? '';
    const search = queryString({
      week: isCalendarDay(week) ? week : undefined,
      back: BACK_TO_AGENDA.test(back) ? back : undefined,
    });
    return search ? `/agenda/${id}?${search}` : `/agenda/${id}`;
  }

  /**
   * A refused change said on the detail page: a refused field beside it (what was typed
   * kept; a taken slot with the nearest free ones), anything else in the flash.
   */
  private async refuse(
    req: Request,
    id: number,
    refusal: ErrorResponse,
    action: 'move' | 'cancel' | 'state' | 'reschedule',
    values: Record<string, unknown>,
  ): Promise<void> {
    const lang = req.user?.uiLanguage ?? 'it';
    const formValues = {
      ...values,
      action,
      reason: typeof values.reason === 'string' ? values.reason.slice(0, MAX_REASON * 2) : '',
    };
    if (refusal.statusCode === 409) {
      const slots = refusal.details?.nearestFreeSlots;
      if (action === 'move' && Array.isArray(slots)) {
        req.session.flash = [{ type: 'error', text: 'errors.form' }];
        const warn = /acknowledgeOverlap/.test(String(refusal.message));
        req.session.formState = {
          errors: {
            startsAt: this.say(warn ? 'agenda.errors.takenWarn' : 'agenda.errors.taken', lang),
          },
          values: {
            ...formValues,
            nearest: slots
              .map((s: unknown) => (s as { start?: unknown } | null)?.start)
              .filter((s): s is string => typeof s === 'string'),
          },
        };
        return;
      }
      req.session.flash = [await this.conflictFlash(id, lang, req.user!)];
      req.session.formState = { errors: {}, values: formValues };
      return;
    }
    const fields = Object.entries(refusal.fields ?? {});
    if (refusal.statusCode !== 400 || fields.length === 0) {
      req.session.flash = [this.literal(refusal)];
      return;
    }
    req.session.flash = [{ type: 'error', text: 'errors.form' }];
    req.session.formState = {
      errors: Object.fromEntries(
        fields.map(([field, message]) => {
          const pageField = field === 'startsAt.agentId' || field === 'agentId' ? 'agentId' : field;
          const key = pageField.startsWith('startsAt') ? 'startsAt' : pageField;
          return [
            key,
            this.fieldMessage(key, message, refusal.fieldRules?.[field], refusal.userMessage, lang),
          ];
        }),
      ),
      values: formValues,
    };
  }

  /** A 409 on a state change: no longer booked (said with its state), or not started yet. */
  private async conflictFlash(
    id: number,
    lang: string,
    user: AuthenticatedUser,
  ): Promise<FlashMessage> {
    const current = await this.appointments.get(id, user);
    if (current.state !== 'booked') {
      return {
        type: 'error',
        text: 'agenda.errors.notBooked',
        args: { state: this.say(`agenda.statesInline.${current.state}`, lang) },
      };
    }
    return {
      type: 'error',
      text: 'agenda.errors.notStarted',
      args: { when: formatZonedDateTime(new Date(current.startsAt), current.timezone, lang) },
    };
  }

  /**
   * A refused field in the user's language: the broken form rule, else the words the
   * service attached to its refusal (DomainError.say), else the service's own message.
   */
  private fieldMessage(
    field: string,
    message: string,
    rule: string | undefined,
    userMessage: ErrorResponse['userMessage'],
    lang: string,
  ) {
    if (field === 'reason' && rule === undefined) {
      return this.say('agenda.errors.reasonRequired', lang);
    }
    if (rule && rule !== 'required') {
      const said = this.say(`validation.${rule}`, lang);
      if (said !== `validation.${rule}`) return said;
    }
    if (userMessage) return String(this.i18n.t(userMessage.key, { lang, args: userMessage.args }));
    return message;
  }

  private say(key: string, lang: string): string {
    return String(this.i18n.t(key, { lang }));
  }

  private literal(refusal: ErrorResponse): FlashMessage {
    if (refusal.userMessage) {
      return { type: 'error', text: refusal.userMessage.key, args: refusal.userMessage.args };
    }
    const message = Array.isArray(refusal.message) ? refusal.message.join('; ') : refusal.message;
    return { type: 'error', text: message, literal: true };
  }

  private async validated<T extends object>(metatype: new () => T, values: object): Promise<T> {
    return (await this.validation.transform(values, { type: 'body', metatype })) as T;
  }
}
