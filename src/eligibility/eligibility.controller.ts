import { Controller, Get, Param, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import {
  FormBody,
  FormPage,
  type PageRedirect,
  type RefusedInPlace,
  savedTo,
} from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { EligibilityRulesDto } from './dto/eligibility.dto';
import { formValuesFromBody, formValuesFromRules, rulesInputFromForm } from './eligibility-form';
import { eligibilityPage, refusedRules } from './eligibility.page';
import { EligibilityService } from './eligibility.service';

/**
 * `/campaigns/:id/eligibility`: a campaign's proactive-call rules on one page, with what
 * each refused so far. Coordinators read it; admins change it through the service the API
 * uses (PUT /api/v1/campaigns/:id/eligibility). A refusal comes back at once (400) beside
 * its field.
 */
@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('campaigns')
export class EligibilityController {
  constructor(private readonly eligibility: EligibilityService) {}

  @Get(':id/eligibility')
  @Render('eligibility/campaign-rules')
  async show(@Param('id', new IdParamPipe()) id: number, @CurrentUser() user: AuthenticatedUser) {
    const editor = await this.eligibility.editor(id);
    return eligibilityPage(editor, user.role === 'admin', formValuesFromRules(editor.rules));
  }

  @Post(':id/eligibility')
  @Roles('admin')
  @FormPage({ inPlace: 'refusedInPlace', answerInPlace: true })
  async save(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody((body) => rulesInputFromForm(formValuesFromBody(body))) rules: EligibilityRulesDto,
  ): Promise<PageRedirect> {
    await this.eligibility.setRules(id, rules);
    return savedTo(`/campaigns/${id}/eligibility`, 'eligibility.page.saved');
  }

  /** A refused change: the page again (400), each error beside its field (see FormPage). */
  async refusedInPlace(
    req: Request,
    res: Response,
    { refusal, say }: RefusedInPlace,
  ): Promise<void> {
    const editor = await this.eligibility.editor(Number(req.params.id));
    const values = formValuesFromBody(req.body as Record<string, unknown>);
    res.locals.flash = [{ type: 'error', text: 'errors.form' }];
    res.render(
      'eligibility/campaign-rules',
      eligibilityPage(editor, req.user?.role === 'admin', values, refusedRules(refusal, say)),
    );
  }
}
