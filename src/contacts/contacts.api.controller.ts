import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiNotFoundResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { givenOnce } from '../common/http/query-values';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactImportService } from './contact-import.service';
import { ContactImportQueryDto } from './dto/import-options.dto';
import { type ImportPreview, PREVIEW_BYTES } from './import-mappings';
import { ContactsService } from './contacts.service';
import { csvUpload } from '../common/csv/csv-upload';
import { ContactPage } from './dto/contact-page';
import { ContactSearchRow, ContactView } from './dto/contact.view';
import { CreateContactDto } from './dto/create-contact.dto';
import { ImportSummary } from './dto/import-summary.view';

/** A query parameter given once as text (a repeated one arrives as an array). */
@ApiTags('contacts')
@ApiBearerAuth()
@Controller('api/v1')
export class ContactsApiController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly imports: ContactImportService,
  ) {}

  @Post('campaigns/:id/contacts')
  @Roles('admin', 'coordinator')
  @ApiCreatedResponse({ description: 'the contact, phone in E.164' })
  @ApiConflictResponse({ description: 'phone already in the campaign, or on the do-not-call list' })
  create(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Body() dto: CreateContactDto,
  ): Promise<ContactView> {
    return this.contacts.create(campaignId, dto);
  }

  @Get('campaigns/:id/contacts')
  @Roles('admin', 'coordinator')
  @ApiQuery({ name: 'q', required: false, description: 'name or phone' })
  @ApiQuery({ name: 'tag', required: false, description: 'e.g. call_next:outage' })
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'before', required: false })
  page(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Query('q') q?: unknown,
    @Query('tag') tag?: unknown,
    @Query('after') after?: unknown,
    @Query('before') before?: unknown,
  ): Promise<ContactPage> {
    return this.contacts.page(campaignId, {
      q: givenOnce(q, 'q'),
      tag: givenOnce(tag, 'tag'),
      after: givenOnce(after, 'after'),
      before: givenOnce(before, 'before'),
    });
  }

  @Post('campaigns/:id/contacts/import')
  @Roles('admin', 'coordinator')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description:
      'The CSV file as the body, or as the "file" field of a multipart form whose fields ' +
      '(before the file) may say key, mapping (JSON {columns: [{header, to}]}), onDuplicate ' +
      'and saveMapping. Header row in Italian or English (Nome;Cognome;Telefono;Cellulare...) ' +
      'or firstName,lastName,phone[,email,...][,phone:<label>][,any custom column]',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ description: '{imported, updated, skipped, errors: [{line, message}], ...}' })
  @ApiBadRequestResponse({ description: 'a broken file; the body carries the summary' })
  @ApiNotFoundResponse({ description: 'no such campaign, or no such mapping of it' })
  async import(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Query() query: ContactImportQueryDto,
    @Req() req: Request,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ImportSummary> {
    return this.imports.importUpload(campaignId, await csvUpload(req), query, user.id);
  }

  @Post('campaigns/:id/contacts/import/preview')
  @Roles('admin', 'coordinator')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description: `The file's first ${PREVIEW_BYTES / 1024} KB (more is not read)`,
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({
    description:
      '{encoding, delimiter, mappingId, columns: [{index, header, to, samples}], rows}: what each column would become',
  })
  async preview(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Req() req: Request,
  ): Promise<ImportPreview> {
    return this.imports.preview(campaignId, await csvUpload(req));
  }

  @Get('contact-imports/:key')
  @Roles('admin', 'coordinator')
  @ApiOkResponse({ description: 'progress while running, the summary after' })
  progress(@Param('key') key: string): Promise<ImportSummary> {
    return this.imports.progress(key);
  }

  @Get('contacts')
  @Roles('admin', 'coordinator')
  @ApiQuery({ name: 'q', description: 'name or phone, across campaigns (50 at most)' })
  search(@Query('q') q: unknown): Promise<ContactSearchRow[]> {
    return this.contacts.search(givenOnce(q, 'q') ?? '');
  }
}
