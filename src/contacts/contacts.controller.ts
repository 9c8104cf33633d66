import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactImportService } from './contact-import.service';
import { ContactsService } from './contacts.service';
import { csvUpload } from '../common/csv/csv-upload';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import { CreateContactDto } from './dto/create-contact.dto';
import { ImportSummary } from './dto/import-summary.view';
import { importPageView } from './dto/contact-pages.view';
import { CampaignContactsQuery, ContactSearchQuery } from './dto/contact-list.query';
import { campaignContactsPage } from './contacts.page';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { exportChoice, ExportFileQueryDto } from '../common/csv/export-query';
import { sendTable } from '../common/csv/export-table';

@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller()
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly imports: ContactImportService,
  ) {}

  @Get('campaigns/:id/contacts')
  @Render('contacts/campaign')
  async campaignContacts(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Query() query: CampaignContactsQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const [campaign, page, total, recentImports] = await Promise.all([
      this.contacts.campaign(campaignId),
      this.contacts.page(campaignId, query),
      this.contacts.countInCampaign(campaignId),
      this.imports.recentForCampaign(campaignId),
    ]);
    return campaignContactsPage(campaign, page, total, recentImports, query, user.uiLanguage);
  }

  @Post('campaigns/:id/contacts')
  @FormPage()
  async create(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Body() form: CreateContactDto,
  ): Promise<PageRedirect> {
    const contact = await this.contacts.create(campaignId, form);
    return savedTo(`/campaigns/${campaignId}/contacts`, 'contacts.created', {
      name: `${contact.firstName} ${contact.lastName}`,
      phone: contact.phone,
    });
  }

  /** The import without scripts: a plain multipart form, then the summary page. */
  @Post('campaigns/:id/contacts/import')
  async import(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    let summary: ImportSummary;
    try {
      summary = await this.imports.importUpload(campaignId, await csvUpload(req), {}, user.id);
    } catch (error) {
      // A broken file has its summary stored too: show it like any other.
      if (!(error instanceof ImportRefusedError)) throw error;
      summary = error.summary as ImportSummary;
    }
    res.redirect(303, `/campaigns/${campaignId}/contacts/imports/${summary.key}`);
  }

  /** An import's summary: a page, or (`?fragment=1`) the part the import script shows. */
  @Get('campaigns/:id/contacts/imports/:key')
  async importSummary(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Param('key') key: string,
    @Query('fragment') fragment: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const [campaign, record] = await Promise.all([
      this.contacts.campaign(campaignId),
      this.imports.storedImport(campaignId, key),
    ]);
    const view = {
      title: 'contacts.import.title',
      campaign,
      ...importPageView(record, user.uiLanguage),
    };
    if (fragment === '1') res.render('contacts/import', { ...view, fragment: true, layout: false });
    else res.render('contacts/import', view);
  }

  @Get(['campaigns/:id/contacts/export.csv', 'campaigns/:id/contacts/export'])
  async export(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Query() query: ExportFileQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    await sendTable(res, await this.contacts.exportTable(campaignId), exportChoice(query));
  }

  @Get('contacts')
  @Render('contacts/search')
  async search(@Query() { q }: ContactSearchQuery) {
    const results = q ? await this.contacts.search(q) : [];
    return { title: 'contacts.search.title', q: q ?? '', results, searched: q !== undefined };
  }
}
