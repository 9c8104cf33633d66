import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FormState } from '../common/http/request-context';
import { CreateWebhookDto } from './dto/webhook-endpoint.dto';
import { webhooksPage } from './webhooks.page';
import { WebhooksService } from './webhooks.service';

const PAGE = '/webhooks';

/** The webhooks page (admins): endpoints, a paused one's banner, the delivery log and its actions. */
@ApiExcludeController()
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @Render('webhooks/index')
  async index(@Res({ passthrough: true }) res: Response) {
    const [endpoints, deliveries] = await Promise.all([
      this.webhooks.list(),
      this.webhooks.deliveries({ limit: 200 }),
    ]);
    return webhooksPage(endpoints, deliveries, res.locals.form as FormState | undefined);
  }

  @Post()
  @FormPage({ back: PAGE })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() form: CreateWebhookDto,
  ): Promise<PageRedirect> {
    const created = await this.webhooks.create(user, form);
    return savedTo(PAGE, 'webhooks.createdFlash', { id: created.id });
  }

  @Post('deliveries/:id/retry')
  @FormPage({ back: PAGE })
  async retry(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    await this.webhooks.retry(id);
    return savedTo(PAGE, 'webhooks.retried', { id });
  }

  @Post(':id/resume')
  @FormPage({ back: PAGE })
  async resume(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
  ): Promise<PageRedirect> {
    await this.webhooks.resume(user, id);
    return savedTo(PAGE, 'webhooks.resumed', { id });
  }

  @Post(':id/delete')
  @FormPage({ back: PAGE })
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
  ): Promise<PageRedirect> {
    await this.webhooks.remove(user, id);
    return savedTo(PAGE, 'webhooks.deleted', { id });
  }
}
