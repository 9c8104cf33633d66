import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { PauseReasonInput, UpdatePauseReasonInput } from './dto/pause-reason-input';
import { PauseReasonsService, type PauseReasonView } from './pause-reasons.service';

/** The pause reasons operators choose from, as admins configure them (operators read theirs from GET /me/state). */
@ApiTags('pause-reasons')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/pause-reasons')
export class PauseReasonsApiController {
  constructor(private readonly reasons: PauseReasonsService) {}

  @Get()
  @ApiOkResponse({
    description: '[{id, code, label, labelEn, maxMinutes, position, archived}], archived ones too',
  })
  list(): Promise<PauseReasonView[]> {
    return this.reasons.all();
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'no such pause reason' })
  get(@Param('id', new IdParamPipe()) id: number): Promise<PauseReasonView> {
    return this.reasons.get(id);
  }

  @Post()
  @ApiCreatedResponse({ description: 'the new pause reason' })
  @ApiConflictResponse({ description: 'code already used' })
  create(@Body() dto: PauseReasonInput): Promise<PauseReasonView> {
    return this.reasons.create(dto);
  }

  @Patch(':id')
  @ApiOkResponse({ description: 'the pause reason with the fields sent changed' })
  @ApiConflictResponse({ description: 'code already used' })
  update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdatePauseReasonInput,
  ): Promise<PauseReasonView> {
    return this.reasons.update(id, dto);
  }

  /** No longer offered to operators; those paused with it stay paused until they change. */
  @Post(':id/archive')
  @HttpCode(200)
  archive(@Param('id', new IdParamPipe()) id: number): Promise<PauseReasonView> {
    return this.reasons.setArchived(id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  restore(@Param('id', new IdParamPipe()) id: number): Promise<PauseReasonView> {
    return this.reasons.setArchived(id, false);
  }
}
