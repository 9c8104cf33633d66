import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import {
  FollowUpPreview,
  FollowUpPreviewDto,
  FollowUpTemplateDto,
  FollowUpTemplateView,
  UpdateFollowUpTemplateDto,
} from './dto/follow-up-template.dto';
import { FollowUpTemplatesService } from './follow-up-templates.service';
import { FollowUpEmailView, FollowUpsService, OutboxView } from './follow-ups.service';

function optionalId(value: unknown, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new ValidationError(field, `${field} must be a positive whole number`);
  }
  return Number(value);
}

/** Follow-up e-mail templates (admins) and the outbox (coordinators and admins). */
@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('api/v1')
export class FollowUpsApiController {
  constructor(
    private readonly templates: FollowUpTemplatesService,
    private readonly outbox: FollowUpsService,
  ) {}

  @Get('follow-up-templates')
  @Roles('admin', 'coordinator')
  @ApiQuery({ name: 'statusId', required: false })
  listTemplates(@Query('statusId') statusId?: unknown): Promise<FollowUpTemplateView[]> {
    return this.templates.list(optionalId(statusId, 'statusId'));
  }

  @Post('follow-up-templates')
  @Roles('admin')
  createTemplate(@Body() dto: FollowUpTemplateDto): Promise<FollowUpTemplateView> {
    return this.templates.create(dto);
  }

  /** The template filled with a sample contact and operator; 400 naming the line if broken. */
  @Post('follow-up-templates/preview')
  @Roles('admin')
  @HttpCode(200)
  preview(@Body() dto: FollowUpPreviewDto): FollowUpPreview {
    return this.templates.preview(dto);
  }

  @Get('follow-up-templates/:id')
  @Roles('admin', 'coordinator')
  getTemplate(@Param('id', new IdParamPipe()) id: number): Promise<FollowUpTemplateView> {
    return this.templates.get(id);
  }

  @Patch('follow-up-templates/:id')
  @Roles('admin')
  updateTemplate(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdateFollowUpTemplateDto,
  ): Promise<FollowUpTemplateView> {
    return this.templates.update(id, dto);
  }

  @Delete('follow-up-templates/:id')
  @Roles('admin')
  @HttpCode(204)
  async removeTemplate(@Param('id', new IdParamPipe()) id: number): Promise<void> {
    await this.templates.remove(id);
  }

  @Get('follow-ups')
  @Roles('admin', 'coordinator')
  @ApiQuery({ name: 'state', required: false, enum: ['queued', 'sending', 'sent', 'failed'] })
  @ApiQuery({ name: 'contactId', required: false })
  list(
    @Query('state') state?: unknown,
    @Query('contactId') contactId?: unknown,
  ): Promise<OutboxView> {
    if (state !== undefined && typeof state !== 'string') {
      throw new ValidationError('state', 'state must be given once');
    }
    return this.outbox.outbox({ state, contactId: optionalId(contactId, 'contactId') });
  }

  @Get('follow-ups/:id')
  @Roles('admin', 'coordinator')
  get(@Param('id', new IdParamPipe()) id: number): Promise<FollowUpEmailView> {
    return this.outbox.get(id);
  }

  @Post('follow-ups/:id/retry')
  @Roles('admin', 'coordinator')
  @HttpCode(200)
  retry(@Param('id', new IdParamPipe()) id: number): Promise<FollowUpEmailView> {
    return this.outbox.retry(id);
  }
}
