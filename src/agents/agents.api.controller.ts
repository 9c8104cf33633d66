import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { AgentsService } from './agents.service';
import { AbsenceView, AgentView } from './dto/agent.view';
import { CreateAbsenceDto } from './dto/create-absence.dto';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';

/** Field agents: every signed-in role reads them (operators book appointments), admins change them. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('api/v1/agents')
export class AgentsApiController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new agent' })
  create(@Body() dto: CreateAgentDto): Promise<AgentView> {
    return this.agents.create(dto);
  }

  @Get()
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  list(@Query('active') active?: unknown): Promise<AgentView[]> {
    if (active !== undefined && active !== 'true' && active !== 'false') {
      throw new ValidationError('active', 'active must be true or false');
    }
    return this.agents.list({ active: active === undefined ? undefined : active === 'true' });
  }

  @Get(':id')
  get(@Param('id', new IdParamPipe()) id: number): Promise<AgentView> {
    return this.agents.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdateAgentDto,
  ): Promise<AgentView> {
    return this.agents.update(id, dto);
  }

  @Post(':id/absences')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new absence' })
  addAbsence(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CreateAbsenceDto,
  ): Promise<AbsenceView> {
    return this.agents.addAbsence(id, {
      startsAt: new Date(dto.startsAt),
      endsAt: new Date(dto.endsAt),
      reason: dto.reason,
    });
  }

  @Delete(':id/absences/:absenceId')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed' })
  async removeAbsence(
    @Param('id', new IdParamPipe()) id: number,
    @Param('absenceId', new IdParamPipe('absenceId')) absenceId: number,
  ): Promise<void> {
    await this.agents.removeAbsence(id, absenceId);
  }
}
