import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { calendarFeedUrl } from './calendar-feed-url';
import { Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { agentListPage, agentPage, newAgentPage } from './agents.page';
import { AgentsService } from './agents.service';
import {
  AbsenceFormDto,
  AgentFormDto,
  PAGE_TIME_ZONE,
  romeInstant,
  toAgentInput,
} from './dto/agent-form.dto';

@ApiExcludeController()
@Roles('admin')
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @Render('agents/index')
  async index() {
    return agentListPage(await this.agents.list());
  }

  @Get('new')
  @Render('agents/form')
  newAgent(@Res({ passthrough: true }) res: Response) {
    return newAgentPage(res.locals.form as FormState | undefined);
  }

  @Post()
  @FormPage()
  async create(@Body() form: AgentFormDto): Promise<PageRedirect> {
    const agent = await this.agents.create(toAgentInput(form));
    return savedTo(`/agents/${agent.id}`, 'agents.created', { name: agent.name });
  }

  @Get(':id')
  @Render('agents/form')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [agent, token] = await Promise.all([this.agents.get(id), this.agents.calendarToken(id)]);
    const calendarUrl = token ? calendarFeedUrl(req, token) : null;
    const form = res.locals.form as FormState | undefined;
    return agentPage(agent, calendarUrl, PAGE_TIME_ZONE, Date.now(), form);
  }

  /** The whole agent: empty rows remove windows, an unticked "active" box deactivates. */
  @Post(':id')
  @FormPage()
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: AgentFormDto,
  ): Promise<PageRedirect> {
    const agent = await this.agents.update(id, toAgentInput(form));
    return savedTo(`/agents/${id}`, 'agents.saved', { name: agent.name });
  }

  @Post(':id/activate')
  @FormPage()
  async activate(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const agent = await this.agents.setActive(id, true);
    return savedTo(`/agents/${id}`, 'agents.activated', { name: agent.name });
  }

  @Post(':id/deactivate')
  @FormPage()
  async deactivate(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const agent = await this.agents.setActive(id, false);
    return savedTo(`/agents/${id}`, 'agents.deactivated', { name: agent.name });
  }

  /** A new calendar feed URL; the old one stops working (the page asks first). */
  @Post(':id/calendar-token')
  @FormPage()
  async issueCalendarToken(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const { name } = await this.agents.issueCalendarToken(id);
    return savedTo(`/agents/${id}#calendar`, 'agents.calendar.issuedFlash', { name });
  }

  @Post(':id/calendar-token/delete')
  @FormPage()
  async revokeCalendarToken(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const { name } = await this.agents.revokeCalendarToken(id);
    return savedTo(`/agents/${id}#calendar`, 'agents.calendar.revokedFlash', { name });
  }

  @Post(':id/absences')
  @FormPage()
  async addAbsence(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: AbsenceFormDto,
  ): Promise<PageRedirect> {
    await this.agents.addAbsence(id, {
      startsAt: romeInstant('startsAt', form.startsAt),
      endsAt: romeInstant('endsAt', form.endsAt),
      reason: form.reason,
    });
    return savedTo(`/agents/${id}`, 'agents.absenceAdded');
  }

  @Post(':id/absences/:absenceId/delete')
  @FormPage()
  async removeAbsence(
    @Param('id', new IdParamPipe()) id: number,
    @Param('absenceId', new IdParamPipe('absenceId')) absenceId: number,
  ): Promise<PageRedirect> {
    await this.agents.removeAbsence(id, absenceId);
    return savedTo(`/agents/${id}`, 'agents.absenceRemoved');
  }
}
