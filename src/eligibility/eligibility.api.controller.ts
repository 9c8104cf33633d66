import { Body, Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { EligibilityRules } from '../campaigns/campaign.entity';
import { ForbiddenError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactView, toContactView } from '../contacts/dto/contact.view';
import { ChatLoadDto, ContactPreferencesDto, EligibilityRulesDto } from './dto/eligibility.dto';
import { EligibilityService, RefusalCounts } from './eligibility.service';

/** Proactive-call rules per campaign, their refusals, contacts' preferences, chat load. */
@ApiTags('eligibility')
@ApiBearerAuth()
@Controller('api/v1')
export class EligibilityApiController {
  constructor(private readonly eligibility: EligibilityService) {}

  @Get('campaigns/:id/eligibility')
  @Roles('admin', 'coordinator')
  rules(@Param('id', new IdParamPipe()) id: number): Promise<EligibilityRules | null> {
    return this.eligibility.rules(id);
  }

  @Put('campaigns/:id/eligibility')
  @Roles('admin')
  setRules(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: EligibilityRulesDto,
  ): Promise<EligibilityRules | null> {
    return this.eligibility.setRules(id, dto);
  }

  @Get('campaigns/:id/eligibility/refusals')
  @Roles('admin', 'coordinator')
  refusals(@Param('id', new IdParamPipe()) id: number): Promise<RefusalCounts> {
    return this.eligibility.refusalCounts(id);
  }

  @Patch('contacts/:id/preferences')
  @Roles('admin', 'coordinator')
  async preferences(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ContactPreferencesDto,
  ): Promise<ContactView> {
    return toContactView(await this.eligibility.updatePreferences(id, dto));
  }

  /** The chat integration reports an operator's open chats (an operator may report their own). */
  @Put('operators/:id/chats')
  @Roles('integration', 'admin', 'coordinator', 'operator')
  chats(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ChatLoadDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ userId: number; activeChats: number }> {
    if (user.role === 'operator' && user.id !== id) {
      throw new ForbiddenError('id: an operator may only report their own chats');
    }
    return this.eligibility.reportChats(id, dto.activeChats);
  }
}
