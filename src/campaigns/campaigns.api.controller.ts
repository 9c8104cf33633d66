import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { CampaignsService } from './campaigns.service';
import {
  CampaignInputDto,
  CampaignOperatorsDto,
  CampaignWrapUpDto,
} from './dto/campaign-input.dto';
import { CampaignView } from './dto/campaign.view';
import { ScriptPreviewDto, ScriptPreviewView } from './dto/script-preview.dto';

/** Admins configure campaigns; coordinators read them and pause or resume them. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Roles('admin', 'coordinator')
@Controller('api/v1/campaigns')
export class CampaignsApiController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the campaign with its ordered steps and linked ids' })
  @ApiBadRequestResponse({ description: 'a field is wrong, e.g. no outcome step (names `steps`)' })
  @ApiConflictResponse({ description: 'code already taken' })
  create(@Body() dto: CampaignInputDto): Promise<CampaignView> {
    return this.campaigns.create(dto);
  }

  @Get()
  list(): Promise<CampaignView[]> {
    return this.campaigns.list();
  }

  /** Renders a script body with the sample contact, before the campaign exists. */
  @Post('script-preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '{html}: the script with Mario Rossi, everything escaped' })
  preview(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ScriptPreviewDto,
  ): Promise<ScriptPreviewView> {
    return this.campaigns.previewScript(dto, user.displayName);
  }

  @Get(':id')
  get(@Param('id', new IdParamPipe()) id: number): Promise<CampaignView> {
    return this.campaigns.get(id);
  }

  @Put(':id')
  @Roles('admin')
  @ApiOkResponse({ description: 'the campaign as replaced' })
  replace(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CampaignInputDto,
  ): Promise<CampaignView> {
    return this.campaigns.replace(id, dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ description: 'the campaign with its wrap-up changed (absent fields kept)' })
  @ApiBadRequestResponse({
    description: 'wrapUpStatusId not the campaign’s, or needing answers or a sub-form',
  })
  changeWrapUp(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CampaignWrapUpDto,
  ): Promise<CampaignView> {
    return this.campaigns.changeWrapUp(id, dto);
  }

  @Put(':id/operators')
  @ApiOkResponse({ description: 'the campaign with its operators replaced (admins, coordinators)' })
  setOperators(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CampaignOperatorsDto,
  ): Promise<CampaignView> {
    return this.campaigns.setOperators(id, dto.operatorIds);
  }

  /** Idempotent: pausing a paused campaign answers 200 with it unchanged. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', new IdParamPipe()) id: number): Promise<CampaignView> {
    return this.campaigns.setState(id, 'paused');
  }

  /** Idempotent: resuming an active campaign answers 200 with it unchanged. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', new IdParamPipe()) id: number): Promise<CampaignView> {
    return this.campaigns.setState(id, 'active');
  }

  @Post(':id/script-preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '{html}: the script with Mario Rossi, everything escaped' })
  previewForCampaign(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ScriptPreviewDto,
  ): Promise<ScriptPreviewView> {
    return this.campaigns.previewScript(dto, user.displayName, id);
  }
}
