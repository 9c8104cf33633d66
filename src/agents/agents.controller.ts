import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { Request, Response } from 'express';
import { calendarFeedUrl } from '../appointments/calendar-feed.service';
import { Roles } from '../auth/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { AgentsService, NewAgentInput } from './agents.service';
import { AgentView } from './dto/agent.view';
import { AgentContactDto } from './dto/create-agent.dto';
import { zonedLocalToUtc } from '../common/time/local-time';
import { summarizeHours } from './working-hours';

/** The pages show and take times in the call centre's zone; the database keeps UTC. */
export const PAGE_TIME_ZONE = 'Europe/Rome';
/** Rows each day gets in the weekly editor (the script adds more). */
const ROWS_PER_DAY = 2;
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const integer = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value;
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** A row of the weekly editor: both times empty means "no window here". */
class WorkingHoursRowDto {
  @Transform(integer)
  @IsInt({ message: 'day must be an integer from 1 (Monday) to 7 (Sunday)' })
  @Min(1)
  @Max(7)
  day!: number;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5, { message: 'start must be a time HH:MM from 00:00 to 24:00' })
  start?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5, { message: 'end must be a time HH:MM from 00:00 to 24:00' })
  end?: string;
}

/** The agent form as a browser posts it: zones as one text, hours as fixed rows. */
class AgentFormDto extends AgentContactDto {
  @Transform(checkbox) override active?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  zones?: string;

  @IsOptional()
  @IsArray({ message: 'workingHours must be the rows of the weekly editor' })
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WorkingHoursRowDto)
  workingHours?: WorkingHoursRowDto[];
}

/** An absence as the page's datetime-local inputs send it (wall-clock time in Rome). */
class AbsenceFormDto {
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'startsAt must be a date and time' })
  startsAt!: string;

  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'endsAt must be a date and time' })
  endsAt!: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason?: string;
}

/** Form rows → the service's input; empty rows dropped, the others keep their row number. */
function toAgentInput(form: AgentFormDto): NewAgentInput {
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

function romeInstant(field: 'startsAt' | 'endsAt', local: string): Date {
  const instant = zonedLocalToUtc(local, PAGE_TIME_ZONE);
  if (!instant) {
    throw new ValidationError(
      field,
      `${field} is not a date and time that exists in ${PAGE_TIME_ZONE}`,
    );
  }
  return instant;
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

interface HoursRow {
  index: number;
  start: string;
  end: string;
  startError?: string;
  endError?: string;
  /** The row's error in the page's language, when it is one of the week's own rules. */
  errorKey?: string;
}

/** The week's rules as the row beside the error says them (the API keeps the English). */
function hoursErrorKey(message: string | undefined): string | undefined {
  if (!message) return undefined;
  if (/ overlaps /.test(message)) return 'agents.errors.overlap';
  if (/end must be after/.test(message)) return 'agents.errors.endBeforeStart';
  if (/must be a time HH:MM/.test(message)) return 'agents.errors.time';
  return undefined;
}

/** The agent form's view model: typed values after a refusal, else the stored agent. */
function agentForm(form: FormState | undefined, stored?: AgentView) {
  const typed = form?.values ?? {};
  const errors = form?.errors ?? {};
  const agentFailed = 'workingHours' in typed || 'name' in typed;
  const typedRows = Array.isArray(typed.workingHours) ? (typed.workingHours as unknown[]) : null;
  const defaults =
    stored?.workingHours ?? [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' }));

  let index = 0;
  const days = DAYS.map((day) => {
    const rows: HoursRow[] = [];
    const add = (start: string, end: string, at = index++) => {
      const startError = errors[`workingHours.${at}.start`] ?? errors[`workingHours.${at}.day`];
      const endError = errors[`workingHours.${at}.end`];
      rows.push({
        index: at,
        start,
        end,
        startError,
        endError,
        errorKey: hoursErrorKey(startError ?? endError),
      });
    };
    if (agentFailed && typedRows) {
      typedRows.forEach((row, at) => {
        const r = (row ?? {}) as Record<string, unknown>;
        if (text(r.day) === String(day)) add(text(r.start), text(r.end), at);
      });
    } else {
      for (const window of defaults.filter((w) => w.day === day)) add(window.start, window.end);
      while (rows.length < ROWS_PER_DAY) add('', '');
    }
    return { day, rows };
  });
  if (agentFailed && typedRows) index = typedRows.length;

  return {
    values: agentFailed
      ? {
          name: text(typed.name),
          email: text(typed.email),
          phone: text(typed.phone),
          zones: text(typed.zones),
          active: typed.active === 'true' || typed.active === 'on',
        }
      : {
          name: stored?.name ?? '',
          email: stored?.email ?? '',
          phone: stored?.phone ?? '',
          zones: (stored?.zones ?? []).join(', '),
          active: stored?.active ?? true,
        },
    days,
    nextRow: index,
    absence: agentFailed
      ? { startsAt: '', endsAt: '', reason: '' }
      : { startsAt: text(typed.startsAt), endsAt: text(typed.endsAt), reason: text(typed.reason) },
  };
}

@ApiExcludeController()
@Roles('admin')
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @Render('agents/index')
  async index() {
    const agents = await this.agents.list();
    return {
      title: 'agents.title',
      agents: agents.map((agent) => ({ ...agent, hours: summarizeHours(agent.workingHours) })),
    };
  }

  @Get('new')
  @Render('agents/form')
  newAgent(@Res({ passthrough: true }) res: Response) {
    return {
      title: 'agents.new.title',
      action: '/agents',
      ...agentForm(res.locals.form as FormState | undefined),
    };
  }

  @Post()
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: AgentFormDto,
  ): Promise<void> {
    const agent = await this.agents.create(toAgentInput(form));
    req.session.flash = [{ type: 'success', text: 'agents.created', args: { name: agent.name } }];
    res.redirect(303, `/agents/${agent.id}`);
  }

  @Get(':id')
  @Render('agents/form')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const agent = await this.agents.get(id);
    const calendarToken = await this.agents.calendarToken(id);
    const now = Date.now();
    return {
      title: 'agents.edit.title',
      action: `/agents/${id}`,
      agent,
      // The stored secret is shown on every visit: admins copy it again when a phone changes.
      calendarUrl: calendarToken ? calendarFeedUrl(req, calendarToken) : null,
      absences: (agent.absences ?? []).map((a) => ({ ...a, past: Date.parse(a.endsAt) <= now })),
      timeZone: PAGE_TIME_ZONE,
      ...agentForm(res.locals.form as FormState | undefined, agent),
    };
  }

  /** The whole agent: empty rows remove windows, an unticked "active" box deactivates. */
  @Post(':id')
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: AgentFormDto,
  ): Promise<void> {
    const agent = await this.agents.update(id, toAgentInput(form));
    req.session.flash = [{ type: 'success', text: 'agents.saved', args: { name: agent.name } }];
    res.redirect(303, `/agents/${id}`);
  }

  @Post(':id/activate')
  async activate(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const agent = await this.agents.setActive(id, true);
    req.session.flash = [{ type: 'success', text: 'agents.activated', args: { name: agent.name } }];
    res.redirect(303, `/agents/${id}`);
  }

  @Post(':id/deactivate')
  async deactivate(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const agent = await this.agents.setActive(id, false);
    req.session.flash = [
      { type: 'success', text: 'agents.deactivated', args: { name: agent.name } },
    ];
    res.redirect(303, `/agents/${id}`);
  }

  /** A new calendar feed URL; the old one stops working (the page asks first). */
  @Post(':id/calendar-token')
  async issueCalendarToken(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { name } = await this.agents.issueCalendarToken(id);
    req.session.flash = [{ type: 'success', text: 'agents.calendar.issuedFlash', args: { name } }];
    res.redirect(303, `/agents/${id}#calendar`);
  }

  @Post(':id/calendar-token/delete')
  async revokeCalendarToken(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { name } = await this.agents.revokeCalendarToken(id);
    req.session.flash = [{ type: 'success', text: 'agents.calendar.revokedFlash', args: { name } }];
    res.redirect(303, `/agents/${id}#calendar`);
  }

  @Post(':id/absences')
  async addAbsence(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: AbsenceFormDto,
  ): Promise<void> {
    await this.agents.addAbsence(id, {
      startsAt: romeInstant('startsAt', form.startsAt),
      endsAt: romeInstant('endsAt', form.endsAt),
      reason: form.reason,
    });
    req.session.flash = [{ type: 'success', text: 'agents.absenceAdded' }];
    res.redirect(303, `/agents/${id}`);
  }

  @Post(':id/absences/:absenceId/delete')
  async removeAbsence(
    @Param('id', new IdParamPipe()) id: number,
    @Param('absenceId', new IdParamPipe('absenceId')) absenceId: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.agents.removeAbsence(id, absenceId);
    req.session.flash = [{ type: 'success', text: 'agents.absenceRemoved' }];
    res.redirect(303, `/agents/${id}`);
  }
}
