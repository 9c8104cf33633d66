import { Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { exportDialect } from '../common/csv/export-dialect';
import { CsvDialectQueryDto } from '../common/csv/export-query';
import { sendTable } from '../common/csv/export-table';
import { datedName } from '../common/http/export-file-name';
import { formText } from '../common/http/form-values';
import { FormBody, FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FormState } from '../common/http/request-context';
import { listOutcomeTable, listPage, listsPage } from './contact-lists.page';
import { ContactListsService } from './contact-lists.service';
import { ContactsService } from './contacts.service';
import { ContactListChangeDto, ContactListRecycleDto } from './dto/contact-list.dto';

/** A form's recycle: the statuses ticked, and "older than" in hours (empty: any age). */
const recycleFromForm = (body: Record<string, unknown>) => {
  const hours = formText(body, 'olderThanHours')?.trim();
  const ids = ([] as unknown[]).concat(body.statusIds ?? []);
  return {
    statusIds: ids.map((id) =>
      typeof id === 'string' && /^[0-9]{1,10}$/.test(id) ? Number(id) : id,
    ),
    ...(hours ? { olderThanMinutes: /^[0-9]{1,6}$/.test(hours) ? Number(hours) * 60 : hours } : {}),
  };
};

/** The coordinators' list pages: a campaign's lists, one list, pausing and recycling it. */
@ApiExcludeController()
@Roles('coordinator', 'admin')
@Controller()
export class ContactListsController {
  constructor(
    private readonly lists: ContactListsService,
    private readonly contacts: ContactsService,
  ) {}

  @Get('campaigns/:id/lists')
  @Render('contacts/lists')
  async ofCampaign(
    @Param('id', new IdParamPipe()) campaignId: number,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const [campaign, lists] = await Promise.all([
      this.contacts.campaign(campaignId),
      this.lists.ofCampaign(campaignId),
    ]);
    return listsPage(campaign, lists, user.uiLanguage);
  }

  @Get('lists/:id')
  @Render('contacts/list')
  async one(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const list = await this.lists.get(id);
    const campaign = await this.contacts.campaign(list.campaignId);
    return listPage(campaign, list, user.uiLanguage, res.locals.form as FormState | undefined);
  }

  @Get('lists/:id/outcomes.csv')
  async outcomes(
    @Param('id', new IdParamPipe()) id: number,
    @Query() { dialect }: CsvDialectQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const table = listOutcomeTable(datedName(`list-${id}-outcomes`), await this.lists.get(id));
    await sendTable(res, table, { format: 'csv', dialect: exportDialect(dialect) });
  }

  @Post('lists/:id/active')
  @FormPage({ back: '/lists/:id', fields: {} })
  async change(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody((body) => ({ active: formText(body, 'active') === 'true' }))
    form: ContactListChangeDto,
  ): Promise<PageRedirect> {
    const list = await this.lists.change(id, form);
    return savedTo(
      `/lists/${id}`,
      list.active ? 'contacts.lists.resumed' : 'contacts.lists.paused',
      {
        name: list.name,
      },
    );
  }

  @Post('lists/:id/recycle')
  @FormPage({
    back: '/lists/:id',
    fields: { statusIds: 'contacts.lists.errors.statusIds', olderThanMinutes: null },
  })
  async recycle(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody(recycleFromForm) form: ContactListRecycleDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const { requeued } = await this.lists.recycle(id, form, undefined, user.id);
    return savedTo(`/lists/${id}`, 'contacts.lists.recycled', { count: requeued });
  }
}
