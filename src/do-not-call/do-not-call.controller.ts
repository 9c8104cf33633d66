import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, redirectTo, savedTo } from '../common/http/form-page';
import type { AuthenticatedUser } from '../common/http/request-context';
import { givenOnce } from '../common/http/query-values';
import { csvUpload } from '../common/csv/csv-upload';
import { ImportRefusedError } from '../common/csv/import-refused.error';
import { ValidationError } from '../common/errors/domain-errors';
import { formatNumber } from '../common/format/locale-format';
import { DO_NOT_CALL_SCOPES } from './do-not-call-number.entity';
import { DoNotCallRegister } from './do-not-call-register';
import { DoNotCallService } from './do-not-call.service';
import {
  AddDoNotCallDto,
  DoNotCallImportSummary,
  GIVEN_SOURCES,
  RegisterImportSummary,
  RemoveDoNotCallDto,
} from './dto/do-not-call.dto';

/** What the register page shows once after an import: its summary, or why it was refused. */
type RegisterOutcome =
  | { summary: RegisterImportSummary }
  | { refused: { field: string; message: string; registerDate: string } };

declare module 'express-session' {
  interface SessionData {
    /** The last do-not-call import's summary, shown once on the list page. */
    doNotCallImport: DoNotCallImportSummary;
    /** The last register import, shown once on the register page. */
    doNotCallRegister: RegisterOutcome;
  }
}

/** Error lines a summary keeps in the session for the page (the API gives all). */
const SESSION_ERROR_LINES = 50;

@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('do-not-call')
export class DoNotCallController {
  constructor(
    private readonly doNotCall: DoNotCallService,
    private readonly register: DoNotCallRegister,
  ) {}

  @Get()
  @Render('do-not-call/index')
  async index(@Query('q') q: unknown, @Req() req: Request, @CurrentUser() user: AuthenticatedUser) {
    const text = givenOnce(q, 'q')?.trim() ?? '';
    const [numbers, total] = await Promise.all([
      this.doNotCall.list(text || undefined, 100),
      this.doNotCall.count(),
    ]);
    const lastImport = req.session.doNotCallImport ?? null;
    delete req.session.doNotCallImport;
    return {
      title: 'doNotCall.title',
      numbers,
      totalText: formatNumber(total, user.uiLanguage),
      q: text,
      lastImport,
      scopes: DO_NOT_CALL_SCOPES,
      sources: GIVEN_SOURCES.filter((source) => source !== 'register'),
      // The register's file and the queues' check are an admin's.
      canImportRegister: user.role === 'admin',
    };
  }

  @Post()
  @FormPage()
  async add(
    @Body() form: AddDoNotCallDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const { entry, created } = await this.doNotCall.add(form, user.id);
    return redirectTo('/do-not-call', {
      type: created ? 'success' : 'info',
      text: created ? 'doNotCall.added' : 'doNotCall.alreadyListed',
      args: { phone: entry.phone },
    });
  }

  @Post('remove')
  @FormPage()
  async remove(@Body() form: RemoveDoNotCallDto): Promise<PageRedirect> {
    await this.doNotCall.remove(form.phone);
    return savedTo('/do-not-call', 'doNotCall.removed', { phone: form.phone });
  }

  /** A plain multipart form (the CSRF token rides in the action URL); the summary shows once. */
  @Post('import')
  async import(
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const upload = await csvUpload(req);
    let summary: DoNotCallImportSummary;
    try {
      summary = await this.doNotCall.importNumbers(upload.stream, user.id, upload.encoding);
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error;
      summary = error.summary as DoNotCallImportSummary;
    } finally {
      upload.drain();
    }
    req.session.doNotCallImport = {
      ...summary,
      errors: summary.errors.slice(0, SESSION_ERROR_LINES),
    };
    res.redirect(303, '/do-not-call');
  }

  /** The opposition register's import: a file and its date (admins). */
  @Get('register')
  @Roles('admin')
  @Render('do-not-call/register')
  registerPage(@Req() req: Request) {
    const last = req.session.doNotCallRegister ?? null;
    delete req.session.doNotCallRegister;
    return {
      title: 'doNotCall.register.title',
      summary: last && 'summary' in last ? last.summary : null,
      refused: last && 'refused' in last ? last.refused : null,
    };
  }

  /** A multipart form (the date field before the file; the CSRF token rides in the action URL). */
  @Post('register')
  @Roles('admin')
  async importRegister(
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let outcome: RegisterOutcome;
    let registerDate = '';
    try {
      const upload = await csvUpload(req);
      registerDate = upload.fields.registerDate ?? '';
      try {
        const summary = await this.register.importRegister(
          upload.stream,
          upload.fields.registerDate,
          user.id,
          upload.encoding,
        );
        outcome = {
          summary: { ...summary, badLines: summary.badLines.slice(0, SESSION_ERROR_LINES) },
        };
      } finally {
        upload.drain();
      }
    } catch (error) {
      if (error instanceof ImportRefusedError) {
        const summary = error.summary as RegisterImportSummary;
        outcome = {
          summary: { ...summary, badLines: summary.badLines.slice(0, SESSION_ERROR_LINES) },
        };
      } else if (error instanceof ValidationError) {
        outcome = { refused: { field: error.field, message: error.message, registerDate } };
      } else {
        throw error;
      }
    }
    req.session.doNotCallRegister = outcome;
    res.redirect(303, '/do-not-call/register');
  }
}
