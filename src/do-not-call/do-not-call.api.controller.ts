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
import { DoNotCallService } from './do-not-call.service';
import {
  AddDoNotCallDto,
  DoNotCallImportSummary,
  DoNotCallView,
  publicImportSummary,
} from './dto/do-not-call.dto';

@ApiTags('do-not-call')
@ApiBearerAuth()
@Roles('admin', 'coordinator')
@Controller('api/v1/do-not-call')
export class DoNotCallApiController {
  constructor(private readonly doNotCall: DoNotCallService) {}

  @Post()
  @ApiCreatedResponse({ description: 'added (201); a number already listed answers 200 as it is' })
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
}
