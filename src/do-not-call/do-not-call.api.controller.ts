import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { givenOnce } from '../common/http/query-values';
import { csvUpload } from '../common/csv/csv-upload';
import { DoNotCallRegister } from './do-not-call-register';
import { DoNotCallService } from './do-not-call.service';
import {
  AddDoNotCallDto,
  DoNotCallImportSummary,
  DoNotCallView,
  publicImportSummary,
  RecheckSummary,
  RegisterImportSummary,
} from './dto/do-not-call.dto';

@ApiTags('do-not-call')
@ApiBearerAuth()
@Roles('admin', 'coordinator')
@Controller('api/v1/do-not-call')
export class DoNotCallApiController {
  constructor(
    private readonly doNotCall: DoNotCallService,
    private readonly register: DoNotCallRegister,
  ) {}

  @Post()
  @ApiCreatedResponse({
    description:
      'added (201); a number already listed answers 200, as it is unless the new entry blocks more (wider scope, later or no expiry)',
  })
  async add(
    @Body() dto: AddDoNotCallDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DoNotCallView> {
    const { entry, created } = await this.doNotCall.add(dto, user.id);
    res.status(created ? 201 : 200);
    return entry;
  }

  @Get()
  @ApiQuery({ name: 'q', required: false, description: 'a number or its first digits' })
  list(@Query('q') q: unknown): Promise<DoNotCallView[]> {
    return this.doNotCall.list(givenOnce(q, 'q'));
  }

  @Delete(':phone')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed; 404 when the number is not listed' })
  remove(@Param('phone') phone: string): Promise<void> {
    return this.doNotCall.remove(phone);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description: 'CSV with a `phone` column (and optionally `reason`)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ description: '{imported, skipped, errors: [{line, message}], ...}' })
  async import(
    @Req() req: Request,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<DoNotCallImportSummary> {
    const upload = await csvUpload(req);
    try {
      return publicImportSummary(
        await this.doNotCall.importNumbers(upload.stream, user.id, upload.encoding),
      );
    } finally {
      upload.drain();
    }
  }

  /** The opposition register's file, streamed: admins only. */
  @Post('register')
  @Roles('admin')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'text/plain', 'multipart/form-data')
  @ApiQuery({
    name: 'registerDate',
    required: false,
    description:
      'the file date (YYYY-MM-DD) for a raw body; a multipart form sends it as a field before the file',
  })
  @ApiBody({
    description: 'one number a line (or a CSV whose first column is the number), optional header',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({
    description:
      '{registerDate, imported, badCount, badLines: [{line, reason}], removed, removedByCampaign: [{campaignId, name, removed, inCall, awaitingCallback}], failure}',
  })
  async importRegister(
    @Req() req: Request,
    @Query('registerDate') registerDate: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RegisterImportSummary> {
    const upload = await csvUpload(req);
    try {
      return await this.register.importRegister(
        upload.stream,
        upload.fields.registerDate ?? givenOnce(registerDate, 'registerDate'),
        user.id,
        upload.encoding,
      );
    } finally {
      upload.drain();
    }
  }

  /** Every campaign's queue checked against the list now: admins only. */
  @Post('recheck')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{removed, removedByCampaign: [...]}' })
  recheck(@CurrentUser() user: AuthenticatedUser): Promise<RecheckSummary> {
    return this.register.recheck(user.id);
  }
}
