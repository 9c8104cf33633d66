import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { givenOnce } from '../common/http/query-values';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactImportService } from './contact-import.service';
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
      'The CSV file as the body, or as the "file" field of a multipart form. Header row: ' +
      'firstName,lastName,phone[,email,language,city,province][,any custom column]',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiQuery({ name: 'key', required: false, description: 'progress key to poll' })
  @ApiOkResponse({ description: '{imported, skipped, errors: [{line, message}], ...}' })
  @ApiBadRequestResponse({ description: 'a broken file; the body carries the summary' })
  async import(
    @Param('id', new IdParamPipe()) campaignId: number,
    @Query('key') key: unknown,
    @Req() req: Request,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ImportSummary> {
    const upload = await csvUpload(req);
    try {
      return await this.imports.importContacts(campaignId, upload.stream, {
        key,
        userId: user.id,
        fileName: upload.fileName,
        encoding: upload.encoding,
      });
    } finally {
      upload.drain();
    }
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
