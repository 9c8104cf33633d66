import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { CreateOutcomeStatusDto } from './dto/create-outcome-status.dto';
import { OutcomeStatusView } from './dto/outcome-status.view';
import { UpdateOutcomeStatusDto } from './dto/update-outcome-status.dto';
import { OutcomeStatusesService } from './outcome-statuses.service';

/** `true`/`false` in a query string; anything else names the parameter. */
function booleanQuery(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ValidationError(name, `${name} must be true or false`);
}

/** Outcome statuses: every signed-in role reads them, only admins change them. */
@ApiTags('outcome-statuses')
@ApiBearerAuth()
@Controller('api/v1/outcome-statuses')
export class OutcomeStatusesApiController {
  constructor(private readonly statuses: OutcomeStatusesService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new status' })
  @ApiConflictResponse({ description: 'code already used' })
  create(@Body() dto: CreateOutcomeStatusDto): Promise<OutcomeStatusView> {
    return this.statuses.create(dto);
  }

  @Get()
  @ApiQuery({ name: 'includeArchived', required: false, enum: ['true', 'false'] })
  list(@Query('includeArchived') includeArchived?: unknown): Promise<OutcomeStatusView[]> {
    return this.statuses.list({
      includeArchived: booleanQuery('includeArchived', includeArchived),
    });
  }

  @Get(':id')
  get(@Param('id', new IdParamPipe()) id: number): Promise<OutcomeStatusView> {
    return this.statuses.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdateOutcomeStatusDto,
  ): Promise<OutcomeStatusView> {
    return this.statuses.update(id, dto);
  }

  @Post(':id/archive')
  @Roles('admin')
  @HttpCode(200)
  archive(@Param('id', new IdParamPipe()) id: number): Promise<OutcomeStatusView> {
    return this.statuses.archive(id);
  }

  @Post(':id/restore')
  @Roles('admin')
  @HttpCode(200)
  restore(@Param('id', new IdParamPipe()) id: number): Promise<OutcomeStatusView> {
    return this.statuses.restore(id);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiConflictResponse({ description: 'in use: archive it instead' })
  async remove(@Param('id', new IdParamPipe()) id: number): Promise<void> {
    await this.statuses.remove(id);
  }
}
