import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import {
  FormBody,
  FormPage,
  type FormPageOptions,
  type PageRedirect,
  type RefusedInPlace,
  savedTo,
} from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FormState } from '../common/http/request-context';
import {
  type CampaignFormModel,
  campaignInputFromForm,
  formModelFromCampaign,
  formModelFromValues,
  newFormModel,
} from './campaign-form';
import { campaignFormPage, campaignListPage, campaignPage } from './campaigns.page';
import { CampaignsService } from './campaigns.service';
import { CampaignInputDto } from './dto/campaign-input.dto';
import { CampaignOperatorsFormDto } from './dto/campaign-operators-form.dto';
import type { CampaignView } from './dto/campaign.view';

/**
 * A refused campaign goes back to its form with everything typed (long scripts whole),
 * or, too big for the session, is shown again straight from the POST.
 */
const CAMPAIGN_FORM = {
  ownWordsBesideField: true,
  values: (req: Request) => req.body as Record<string, unknown>,
  inPlace: 'refusedInPlace',
} satisfies FormPageOptions;

@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @Render('campaigns/index')
  async index() {
    return campaignListPage(await this.campaigns.summaries());
  }

  @Get('new')
  @Roles('admin')
  @Render('campaigns/form')
  newCampaign(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) res: Response) {
    return this.formPage(user, refusedSubmission(res) ?? newFormModel());
  }

  @Post()
  @Roles('admin')
  @FormPage({ ...CAMPAIGN_FORM, back: '/campaigns/new' })
  async create(@FormBody(campaignInputFromForm) input: CampaignInputDto): Promise<PageRedirect> {
    const campaign = await this.campaigns.create(input);
    return savedTo(`/campaigns/${campaign.id}`, 'campaigns.created', { code: campaign.code });
  }

  @Get(':id')
  @Render('campaigns/show')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id', new IdParamPipe()) id: number) {
    const campaign = await this.campaigns.get(id);
    const [options, contactCount] = await Promise.all([
      this.campaigns.options(campaign),
      this.campaigns.contactCount(id),
    ]);
    return campaignPage(campaign, options, contactCount, user.role === 'admin', (body) =>
      this.campaigns.scriptText(body, user.displayName),
    );
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
    return this.formPage(user, refusedSubmission(res) ?? formModelFromCampaign(campaign), campaign);
  }

  /** The edit form (HTML forms cannot PUT): replaces the whole campaign. */
  @Post(':id')
  @Roles('admin')
  @FormPage({ ...CAMPAIGN_FORM, back: '/campaigns/:id/edit' })
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody(campaignInputFromForm) input: CampaignInputDto,
  ): Promise<PageRedirect> {
    const campaign = await this.campaigns.replace(id, input);
    return savedTo(`/campaigns/${id}`, 'campaigns.updated', { code: campaign.code });
  }

  @Post(':id/operators')
  @FormPage({ back: '/campaigns/:id' })
  async setOperators(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: CampaignOperatorsFormDto,
  ): Promise<PageRedirect> {
    const campaign = await this.campaigns.setOperators(id, form.operatorIds ?? []);
    return savedTo(`/campaigns/${id}`, 'campaigns.operatorsSaved', { code: campaign.code });
  }

  @Post(':id/pause')
  @FormPage()
  async pause(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const campaign = await this.campaigns.setState(id, 'paused');
    return savedTo(`/campaigns/${id}`, 'campaigns.paused', { code: campaign.code });
  }

  @Post(':id/resume')
  @FormPage()
  async resume(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const campaign = await this.campaigns.setState(id, 'active');
    return savedTo(`/campaigns/${id}`, 'campaigns.resumed', { code: campaign.code });
  }

  /** A refused form too big for the session row, shown again from the POST (see FormPage). */
  async refusedInPlace(
    req: Request,
    res: Response,
    { form, flash }: RefusedInPlace,
  ): Promise<void> {
    res.locals.form = form;
    res.locals.flash = flash;
    const id = req.params.id === undefined ? undefined : Number(req.params.id);
    const campaign = id === undefined ? undefined : await this.campaigns.get(id);
    const page = await this.formPage(req.user!, formModelFromValues(form.values), campaign);
    res.render('campaigns/form', page);
  }

  /** The new or edit form, with the options the model links to. */
  private async formPage(
    user: AuthenticatedUser,
    model: CampaignFormModel,
    campaign?: CampaignView,
  ) {
    const options = await this.campaigns.options(
      campaign ?? {
        statusIds: model.statusIds,
        productIds: model.productIds,
        agentIds: model.agentIds,
        operatorIds: model.operatorIds,
      },
    );
    return campaignFormPage(
      model,
      options,
      (body) => this.campaigns.scriptText(body, user.displayName),
      campaign,
    );
  }
}

/** After a refused submission the layout put what was typed in res.locals.form. */
function refusedSubmission(res: Response): CampaignFormModel | undefined {
  const form = res.locals.form as FormState | undefined;
  if (!form || Object.keys(form.values).length === 0) return undefined;
  return formModelFromValues(form.values);
}
