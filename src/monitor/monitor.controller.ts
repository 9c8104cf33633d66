import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { AppConfigService } from '../config/app-config.service';
import { WallFilterQuery } from './dto/wall-filter.query';
import { WallHub } from './wall-hub.service';

/**
 * The wall page (`/monitor`): its tiles come live from the stream; the page itself holds the
 * filters and the words. Readable across a room on a 1920×1080 screen.
 */
@ApiExcludeController()
@Roles('coordinator', 'admin')
@Controller('monitor')
export class MonitorController {
  constructor(
    private readonly hub: WallHub,
    private readonly config: AppConfigService,
  ) {}

  @Get()
  @Render('monitor/index')
  async index(@Query() filter: WallFilterQuery) {
    const snapshot = await this.hub.snapshot();
    return {
      title: 'monitor.title',
      wide: true,
      filter,
      campaigns: snapshot.campaigns.map((c) => ({
        ...c,
        selected: c.id === filter.campaignId,
      })),
      teams: snapshot.teams.map((team) => ({ name: team, selected: team === filter.team })),
      longContactMinutes: this.config.get('MONITOR_LONG_CONTACT_MINUTES'),
    };
  }
}
