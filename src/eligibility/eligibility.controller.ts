import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { type ErrorResponse, pageRefusal } from '../common/errors/error-response';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { redirectWithFlash, renderRefusedForm } from '../common/views/page-answers';
import { AppConfigService } from '../config/app-config.service';
import { EligibilityRulesDto } from './dto/eligibility.dto';
import { ELIGIBILITY_RULES } from './eligibility-refusal.entity';
import {
  type EligibilityFormValues,
  formValuesFromBody,
  formValuesFromRules,
  rulesInputFromForm,
} from './eligibility-form';
import { type EligibilityEditor, EligibilityService } from './eligibility.service';

/** The page's own wording of a refused field (the rules' English messages are the API's). */
const FIELD_KEYS: Record<string, string> = {
  requireConsent: 'eligibility.page.errors.checkbox',
  matchLanguage: 'eligibility.page.errors.checkbox',
  respectPreferredChannel: 'eligibility.page.errors.checkbox',
  allowedReasons: 'eligibility.page.errors.allowedReasons',
  maxConcurrent: 'eligibility.page.errors.maxConcurrent',
};

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
  private readonly validation = new AppValidationPipe();

  constructor(
    private readonly eligibility: EligibilityService,
    private readonly i18n: I18nService,
    private readonly config: AppConfigService,
  ) {}

  @Get(':id/eligibility')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const editor = await this.eligibility.editor(id);
    res.render(
      'eligibility/campaign-rules',
      this.page(editor, user, formValuesFromRules(editor.rules)),
    );
  }

  @Post(':id/eligibility')
  @Roles('admin')
  async save(
    @Param('id', new IdParamPipe()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = formValuesFromBody(body);
    try {
      const dto = (await this.validation.transform(rulesInputFromForm(values), {
        type: 'body',
        metatype: EligibilityRulesDto,
      })) as EligibilityRulesDto;
      await this.eligibility.setRules(id, dto);
    } catch (error) {
      const refusal = pageRefusal(error);
      const editor = await this.eligibility.editor(id);
      renderRefusedForm(
        req,
        res,
        this.config.get('DEFAULT_LANGUAGE'),
        refusal.statusCode,
        'eligibility/campaign-rules',
        this.page(editor, user, values, this.refused(refusal, user)),
      );
      return;
    }
    await redirectWithFlash(req, res, `/campaigns/${id}/eligibility`, [
      { type: 'success', text: 'eligibility.page.saved' },
    ]);
  }

  /** The refusal's fields in the user's language. */
  private refused(refusal: ErrorResponse, user: AuthenticatedUser): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const [field, english] of Object.entries(refusal.fields ?? {})) {
      const key = FIELD_KEYS[field];
      errors[field] = key ? String(this.i18n.t(key, { lang: user.uiLanguage })) : english;
    }
    if (Object.keys(errors).length === 0) {
      const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
      errors.form = messages.join(' ');
    }
    return errors;
  }

  private page(
    editor: EligibilityEditor,
    user: AuthenticatedUser,
    values: EligibilityFormValues,
    errors: Record<string, string> = {},
  ) {
    return {
      title: 'eligibility.page.title',
      campaign: editor.campaign,
      canEdit: user.role === 'admin',
      action: `/campaigns/${editor.campaign.id}/eligibility`,
      values,
      form: { errors, values: {} },
      refusals: ELIGIBILITY_RULES.map((rule) => ({ rule, count: editor.refusals[rule] })),
    };
  }
}
