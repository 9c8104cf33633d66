import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { OutageFormDto } from './dto/outage-form.dto';
import type { OutageInputDto } from './dto/outage-input.dto';
import { OUTAGE_CALLING_HOURS, OUTAGE_LANGUAGES } from './outage-defaults';
import { type OutageImport, OutagesService } from './outages.service';

declare module 'express-session' {
  interface SessionData {
    /** The list just imported into an outage, shown once on its page. */
    outageImport: Pick<
      OutageImport,
      'source' | 'imported' | 'skippedDuplicates' | 'skippedDoNotCall' | 'errorCount' | 'errors'
    >;
  }
}

/** Error lines the page shows (the API gives them all). */
const PAGE_ERROR_LINES = 20;

/** The coordinator's pages: a new outage in one form, its live progress, its closing. */
@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('outages')
export class OutagesController {
  constructor(private readonly outages: OutagesService) {}

  @Get()
  @Render('outages/index')
  async index() {
    return { title: 'outages.title', outages: await this.outages.list() };
  }

  @Get('new')
  @Render('outages/new')
  newOutage() {
    return {
      title: 'outages.new.title',
      languages: OUTAGE_LANGUAGES,
      defaults: { start: OUTAGE_CALLING_HOURS.start, end: OUTAGE_CALLING_HOURS.end },
    };
  }

  @Post()
  async create(
    @Body() form: OutageFormDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const input: OutageInputDto = {
      name: form.name,
      whatHappened: form.whatHappened,
      expectedRestore: form.expectedRestore,
      whatToDo: form.whatToDo,
      language: form.language,
      numbers: form.numbers,
      csv: form.csv,
      callingHours: {
        days: [...OUTAGE_CALLING_HOURS.days],
        start: form.callingStart || OUTAGE_CALLING_HOURS.start,
        end: form.callingEnd || OUTAGE_CALLING_HOURS.end,
      },
      eligibility: {
        respectPreferredChannel: form.respectPreferredChannel === true,
        requireConsent: form.requireConsent === true,
      },
    };
    for (const field of ['name', 'whatHappened', 'expectedRestore', 'whatToDo'] as const) {
      if (input[field].trim() === '') {
        throw new ValidationError(field, `${field} must not be empty`).say(
          `outages.errors.${field}`,
        );
      }
    }
    const created = await this.outages.create(input, user.id);
    this.remember(req, created.import);
    req.session.flash = [
      { type: 'success', text: 'outages.created', args: { name: created.name } },
    ];
    res.redirect(303, `/outages/${created.id}`);
  }

  @Get(':id')
  @Render('outages/show')
  async show(@Param('id', new IdParamPipe()) id: number, @Req() req: Request) {
    const progress = await this.outages.progress(id);
    const lastImport = req.session.outageImport ?? null;
    delete req.session.outageImport;
    return { title: 'outages.show.title', outage: progress, lastImport };
  }

  @Post(':id/close')
  async close(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.outages.close(id);
    req.session.flash = [{ type: 'success', text: 'outages.closed' }];
    res.redirect(303, `/outages/${id}`);
  }

  private remember(req: Request, summary: OutageImport): void {
    req.session.outageImport = {
      source: summary.source,
      imported: summary.imported,
      skippedDuplicates: summary.skippedDuplicates,
      skippedDoNotCall: summary.skippedDoNotCall,
      errorCount: summary.errorCount,
      errors: summary.errors.slice(0, PAGE_ERROR_LINES),
    };
  }
}
