import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from './dto/webhook-endpoint.dto';
import { WebhooksService } from './webhooks.service';

function limitOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value) || Number(value) < 1) {
    throw new ValidationError('limit', 'limit must be a whole number from 1 to 500');
  }
  return Number(value);
}

/** Webhook endpoints and their delivery log: admins only. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
@Roles('admin')
export class WebhooksApiController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  list(): Promise<WebhookEndpointView[]> {
    return this.webhooks.list();
  }

  @Post()
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateWebhookDto,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.create(user, dto);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(200)
  retry(@Param('id', new IdParamPipe()) id: number): Promise<WebhookDeliveryView> {
    return this.webhooks.retry(id);
  }

  @Get(':id')
  get(@Param('id', new IdParamPipe()) id: number): Promise<WebhookEndpointView> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
  ): Promise<void> {
    await this.webhooks.remove(user, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.resume(user, id);
  }

  @Get(':id/deliveries')
  @ApiQuery({ name: 'limit', required: false })
  deliveries(
    @Param('id', new IdParamPipe()) id: number,
    @Query('limit') limit?: unknown,
  ): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveries({ endpointId: id, limit: limitOf(limit) });
  }
}
