import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { DomainError, type DomainErrorKind } from '../common/errors/domain-errors';
import { pageRefusal } from '../common/errors/error-response';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FlashMessage, FormState } from '../common/http/request-context';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { redirectWithFlash } from '../common/views/page-answers';
import { setLayoutLocals } from '../common/views/view-locals';
import { AppConfigService } from '../config/app-config.service';
import {
  type CampaignFormModel,
  type StepRow,
  campaignInputFromForm,
  formModelFromCampaign,
  formModelFromValues,
  newFormModel,
} from './campaign-form';
import { CONSENT_PURPOSES, STEP_KINDS } from './campaign-step.entity';
import { OVERLAP_POLICIES } from './campaign.entity';
import { CampaignsService } from './campaigns.service';
import { CampaignInputDto, MAX_STEPS } from './dto/campaign-input.dto';
import type { CampaignOptions, CampaignView } from './dto/campaign.view';
import { SCRIPT_PLACEHOLDERS } from './script-renderer';
import { timeZoneChoices } from './time-zones';

const WEEK_DAYS = [1, 2, 3, 4, 5, 6, 7];
/** Empty workflow rows for browsers without scripts (the editor removes them). */
const SPARE_ROWS = 3;
/**
 * A refused form travels back through the session, whose row holds 64 KB on MySQL (TEXT);
 * a workflow with long scripts can be bigger, so it is shown again straight from the POST.
 */
const SESSION_FORM_BUDGET_BYTES = 48_000;

/** A workflow row of the form page; spare rows are the empty ones for browsers without scripts. */
interface RowView extends StepRow {
  index: number;
  position: number;
  preview?: { text?: string; error?: string };
  spare?: boolean;
}

/** A refused form field said in the user's language, beside the field. */
class TranslatedFieldError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('campaigns')
export class CampaignsController {
  private readonly validation = new AppValidationPipe();

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly i18n: I18nService,
    private readonly config: AppConfigService,
  ) {}

  @Get()
  @Render('campaigns/index')
  async index() {
    return { title: 'campaigns.title', campaigns: await this.campaigns.summaries() };
  }

  @Get('new')
  @Roles('admin')
  @Render('campaigns/form')
  async newCampaign(
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.formPage(user, this.refusedSubmission(res) ?? newFormModel());
  }

  @Post()
  @Roles('admin')
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const campaign = await this.refusedInPlace(req, res, user, undefined, () =>
      this.inUserLanguage(user, async () => this.campaigns.create(await this.validated(body))),
    );
    if (!campaign) return;
    await this.flashAndRedirect(
      req,
      res,
      'campaigns.created',
      campaign.code,
      `/campaigns/${campaign.id}`,
    );
  }

  @Get(':id')
  @Render('campaigns/show')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id', new IdParamPipe()) id: number) {
    const campaign = await this.campaigns.get(id);
    const [options, contactCount] = await Promise.all([
      this.campaigns.options(campaign),
      this.campaigns.contactCount(id),
    ]);
    const linked = <T extends { id: number }>(rows: T[], ids: number[]) =>
      rows.filter((row) => ids.includes(row.id));
    return {
      title: 'campaigns.show.title',
      campaign,
      contactCount,
      canEdit: user.role === 'admin',
      statuses: linked(options.statuses, campaign.statusIds),
      products: linked(options.products, campaign.productIds),
      agents: linked(options.agents, campaign.agentIds),
      operators: linked(options.operators, campaign.operatorIds),
      steps: campaign.steps.map((step) => ({
        ...step,
        preview: this.previewOf(step.kind, step.body ?? '', user.displayName),
      })),
    };
  }

  @Get(':id/edit')
  @Roles('admin')
  @Render('campaigns/form')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const campaign = await this.campaigns.get(id);
    const model = this.refusedSubmission(res) ?? formModelFromCampaign(campaign);
    return this.formPage(user, model, campaign);
  }

  /** The edit form (HTML forms cannot PUT): replaces the whole campaign. */
  @Post(':id')
  @Roles('admin')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const campaign = await this.refusedInPlace(req, res, user, id, () =>
      this.inUserLanguage(user, async () => this.campaigns.replace(id, await this.validated(body))),
    );
    if (!campaign) return;
    await this.flashAndRedirect(req, res, 'campaigns.updated', campaign.code, `/campaigns/${id}`);
  }

  @Post(':id/pause')
  async pause(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const campaign = await this.campaigns.setState(id, 'paused');
    await this.flashAndRedirect(req, res, 'campaigns.paused', campaign.code, `/campaigns/${id}`);
  }

  @Post(':id/resume')
  async resume(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const campaign = await this.campaigns.setState(id, 'active');
    await this.flashAndRedirect(req, res, 'campaigns.resumed', campaign.code, `/campaigns/${id}`);
  }

  private flashAndRedirect(
    req: Request,
    res: Response,
    text: string,
    code: string,
    location: string,
  ): Promise<void> {
    return redirectWithFlash(req, res, location, [{ type: 'success', text, args: { code } }]);
  }

  /** The form body through the API's own DTO, so that pages and API share every rule. */
  private async validated(body: Record<string, unknown>): Promise<CampaignInputDto> {
    return (await this.validation.transform(campaignInputFromForm(body), {
      type: 'body',
      metatype: CampaignInputDto,
    })) as CampaignInputDto;
  }

  /** Domain errors that name a field and have words in our language are shown beside it in them. */
  private async inUserLanguage<T>(user: AuthenticatedUser, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof DomainError && error.userMessage && 'field' in error) {
        const field = (error as { field?: unknown }).field;
        if (typeof field === 'string') {
          const { key, args } = error.userMessage;
          const message = this.i18n.t(key, { lang: user.uiLanguage, args });
          throw new TranslatedFieldError(error.kind, field, String(message));
        }
      }
      throw error;
    }
  }

  /**
   * Runs a save. A refusal (4xx) goes back to the form with what was typed and the errors
   * beside the fields, like the global filter does, but with the session saved before the
   * redirect (see redirectWithFlash); a form too big for the session row is shown again
   * straight from the POST (400) instead. Resolves undefined when it answered.
   */
  private async refusedInPlace<T>(
    req: Request,
    res: Response,
    user: AuthenticatedUser,
    campaignId: number | undefined,
    save: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await save();
    } catch (error) {
      const refusal = pageRefusal(error);
      const values = req.body as Record<string, unknown>;
      const form: FormState = {
        errors: Object.fromEntries(
          Object.entries(refusal.fields ?? {}).map(([field, message]) => {
            const rule = refusal.fieldRules?.[field];
            const key = `validation.${rule ?? ''}`;
            const translated = rule ? String(this.i18n.t(key, { lang: user.uiLanguage })) : key;
            return [field, translated === key ? message : translated];
          }),
        ),
        values,
      };
      const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
      const flash: FlashMessage[] = refusal.fields
        ? [{ type: 'error', text: 'errors.form' }]
        : messages.map((text) => ({ type: 'error', text, literal: true }));

      if (Buffer.byteLength(JSON.stringify(values)) <= SESSION_FORM_BUDGET_BYTES) {
        req.session.formState = form;
        await redirectWithFlash(
          req,
          res,
          campaignId === undefined ? '/campaigns/new' : `/campaigns/${campaignId}/edit`,
          flash,
        );
        return undefined;
      }
      setLayoutLocals(req, res, this.config.get('DEFAULT_LANGUAGE'));
      res.locals.form = form;
      res.locals.flash = flash;
      const campaign = campaignId === undefined ? undefined : await this.campaigns.get(campaignId);
      const page = await this.formPage(user, formModelFromValues(values), campaign);
      res.status(refusal.statusCode).render('campaigns/form', page);
      return undefined;
    }
  }

  /** After a refused submission (see refusedInPlace) the layout put what was typed in res.locals.form. */
  private refusedSubmission(res: Response): CampaignFormModel | undefined {
    const form = res.locals.form as FormState | undefined;
    if (!form || Object.keys(form.values).length === 0) return undefined;
    return formModelFromValues(form.values);
  }

  /** The new or edit form's page: `campaign` is the one being edited. */
  private async formPage(
    user: AuthenticatedUser,
    model: CampaignFormModel,
    campaign?: CampaignView,
  ) {
    const options: CampaignOptions = await this.campaigns.options(
      campaign ?? {
        statusIds: model.statusIds,
        productIds: model.productIds,
        agentIds: model.agentIds,
        operatorIds: model.operatorIds,
      },
    );
    const rows: RowView[] = model.steps.map((step, index) => ({
      ...step,
      index,
      position: index + 1,
      preview: this.previewOf(step.kind, step.body, user.displayName),
    }));
    const spare = Math.max(0, Math.min(SPARE_ROWS, MAX_STEPS - rows.length));
    for (let i = 0; i < spare; i++) {
      const index = rows.length;
      const empty = {
        kind: '',
        title: '',
        body: '',
        choicesText: '',
        required: false,
        consentPurpose: '',
      };
      rows.push({ ...empty, index, position: index + 1, spare: true });
    }
    return {
      title: campaign ? 'campaigns.edit.title' : 'campaigns.new.title',
      campaign,
      action: campaign ? `/campaigns/${campaign.id}` : '/campaigns',
      previewUrl: campaign
        ? `/api/v1/campaigns/${campaign.id}/script-preview`
        : '/api/v1/campaigns/script-preview',
      model,
      options,
      rows,
      hasOutcome: model.steps.some((step) => step.kind === 'outcome'),
      timeZones: timeZoneChoices(),
      weekDays: WEEK_DAYS,
      stepKinds: STEP_KINDS,
      consentPurposes: CONSENT_PURPOSES,
      overlapPolicies: OVERLAP_POLICIES,
      placeholders: SCRIPT_PLACEHOLDERS,
    };
  }

  /** The server-side preview for browsers without scripts (the editor replaces it live). */
  private previewOf(kind: string, body: string, operatorName: string): RowView['preview'] {
    if (kind !== 'script' || !body.trim()) return undefined;
    try {
      return { text: this.campaigns.scriptText(body, operatorName) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
