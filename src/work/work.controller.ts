import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { LeasesService } from './leases.service';
import { WorkItemService } from './work-item.service';
import { workPageView } from './work.page';

/**
 * The operator workstation: the campaign chooser, "next contact" and, while the operator
 * holds a lease, the contact card rendered here (the page's script drives the rest
 * through /api/v1/work).
 */
@ApiExcludeController()
@Roles('operator')
@Controller('work')
export class WorkController {
  constructor(
    private readonly clock: Clock,
    private readonly leases: LeasesService,
    private readonly items: WorkItemService,
  ) {}

  @Get()
  @Render('work/index')
  async index(@CurrentUser() user: AuthenticatedUser) {
    const lease = await this.leases.current(user.id);
    const [campaigns, item] = await Promise.all([
      this.items.campaignsOf(user.id, this.clock.now()),
      lease ? this.items.build(lease, user) : null,
    ]);
    return { title: 'work.title', ...workPageView(campaigns, item, user.uiLanguage) };
  }
}
