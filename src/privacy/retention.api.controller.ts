import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { RetentionRuleDto } from './dto/privacy-subject.dto';
import { RetentionService, type RetentionView } from './retention.service';

/** Retention per campaign, with the preview of the next run (admins). */
@ApiTags('privacy')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/privacy/retention')
export class RetentionApiController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @ApiOkResponse({ description: '[{campaign, months, due}]: due is what the next run anonymises' })
  overview(): Promise<RetentionView[]> {
    return this.retention.overview();
  }

  @Put(':campaignId')
  @ApiOkResponse({ description: 'the campaign’s rule and preview' })
  set(
    @Param('campaignId', new IdParamPipe()) campaignId: number,
    @Body() dto: RetentionRuleDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RetentionView> {
    return this.retention.setRule(campaignId, dto.months ?? null, user.id);
  }
}
