import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { FrequencyCapDto } from './dto/frequency-cap.dto';
import { FrequencyCapSettingsService } from './frequency-cap-settings.service';
import type { FrequencyCapSettings } from './frequency-cap.settings';

/** The frequency cap across campaigns: admins change it, coordinators read it. */
@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings/frequency-cap')
export class FrequencyCapApiController {
  constructor(private readonly settings: FrequencyCapSettingsService) {}

  @Get()
  @Roles('admin', 'coordinator')
  @ApiOkResponse({ description: '{maxCallsPerDay, minMinutesBetweenCampaigns, applyToService}' })
  get(): Promise<FrequencyCapSettings> {
    return this.settings.current();
  }

  @Put()
  @Roles('admin')
  @ApiOkResponse({ description: 'the settings after the change (fields left out are kept)' })
  put(
    @Body() dto: FrequencyCapDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<FrequencyCapSettings> {
    return this.settings.update(dto, user.id);
  }
}
