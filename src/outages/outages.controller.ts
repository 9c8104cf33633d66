import { Body, Controller, Get, Param, Post, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { OutageFormDto } from './dto/outage-form.dto';
import { importSummary, newOutagePage, outageInput } from './outages.page';
import { OutagesService } from './outages.service';

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
    return newOutagePage();
  }

  @Post()
  @FormPage()
  async create(
    @Body() form: OutageFormDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ): Promise<PageRedirect> {
    const created = await this.outages.create(outageInput(form), user.id);
    req.session.outageImport = importSummary(created.import);
    return savedTo(`/outages/${created.id}`, 'outages.created', { name: created.name });
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
  @FormPage()
  async close(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    await this.outages.close(id);
    return savedTo(`/outages/${id}`, 'outages.closed');
  }
}
