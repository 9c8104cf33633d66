import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactImportService } from './contact-import.service';
import { queryText } from './contacts.api.controller';
import { ContactsService } from './contacts.service';
import { csvUpload } from './csv/csv-upload';
import { ImportRefusedError } from './csv/import-refused.error';
import { CreateContactDto } from './dto/create-contact.dto';
import { ImportSummary } from './dto/import-summary.view';
import {
  displayCounts,
  formatCount,
  importPageView,
} from './dto/contact-pages.view';
import { datedFileName, sendCsv } from '../common/http/csv-download';

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
    @Query('q') q: unknown,
    @Query('tag') tag: unknown,
    @Query('after') after: unknown,
    @Query('before') before: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const query = {
      q: queryText(q, 'q')?.trim() || undefined,
      tag: queryText(tag, 'tag')?.trim() || undefined,
      after: queryText(after, 'after'),
      before: queryText(before, 'before'),
    };
    const [campaign, page, total, recentImports] = await Promise.all([
      this.contacts.campaign(campaignId),
      this.contacts.page(campaignId, query),
      this.contacts.countInCampaign(campaignId),
      this.imports.recentForCampaign(campaignId),
    ]);
    return {
      title: 'contacts.campaign.title',
      campaign,
      page,
      totalText: formatCount(total, user.uiLanguage),
      q: query.q ?? '',
      tag: query.tag ?? '',
      recentImports: recentImports.map((summary) => ({
        ...summary,
        display: displayCounts(summary, user.uiLanguage),
      })),
      paged: page.next !== null || page.previous !== null,
      pagerQuery:
        (query.q ? `q=${encodeURIComponent(query.q)}&` : '') +
        (query.tag ? `tag=${encodeURIComponent(query.tag)}&` : ''),
    };
  }

  @Post('campaigns/:id/contacts')
  async create(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Body() form: CreateContactDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const contact = await this.contacts.create(campaignId, form);
    req.session.flash = [
      {
        type: 'success',
        text: 'contacts.created',
        args: { name: `${contact.firstName} ${contact.lastName}`, phone: contact.phone },
      },
    ];
    res.redirect(303, `/campaigns/${campaignId}/contacts`);
  }

  /** The import without scripts: a plain multipart form, then the summary page. */
  @Post('campaigns/:id/contacts/import')
  async import(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    const upload = await csvUpload(req);
    let summary: ImportSummary;
    try {
      summary = await this.imports.importContacts(campaignId, upload.stream, {
        userId: user.id,
        fileName: upload.fileName,
      });
    } catch (error) {
      // A broken file has its summary stored too: show it like any other.
      if (!(error instanceof ImportRefusedError)) throw error;
      summary = error.summary as ImportSummary;
    } finally {
      upload.drain();
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

  @Get('campaigns/:id/contacts/export.csv')
  async export(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Res() res: Response,
  ): Promise<void> {
    const campaign = await this.contacts.campaign(campaignId);
    const rows = await this.contacts.exportRows(campaignId);
    await sendCsv(
      res,
      datedFileName(`contacts-${campaign.code.replace(/[^A-Za-z0-9_-]/g, '_')}`),
      rows,
    );
  }

  @Get('contacts')
  @Render('contacts/search')
  async search(@Query('q') q: unknown) {
    const text = queryText(q, 'q')?.trim() ?? '';
    const results = text ? await this.contacts.search(text) : [];
    return { title: 'contacts.search.title', q: text, results, searched: text !== '' };
  }
}
