import { Body, Controller, Get, HttpCode, MessageEvent, Post, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { SetOperatorStateDto } from './dto/monitor-input';
import { WallFilterQuery } from './dto/wall-filter.query';
import { OperatorActivityService, type OwnState } from './operator-activity.service';
import { PauseReasonsService, type PauseReasonView } from './pause-reasons.service';
import { WallHub } from './wall-hub.service';
import { type CampaignSummary, filterWall, type WallTile } from './wall-assembly';

const FILTERS = [
  {
    name: 'campaignId',
    required: false,
    description: 'only this campaign: its operators and counts',
  },
  { name: 'team', required: false, description: "only this team's operators" },
];

/** The coordinators' wall as JSON and as a stream of Server-Sent Events (../shared/DESIGN.md). */
@ApiTags('monitor')
@ApiBearerAuth()
@Roles('coordinator', 'admin')
@Controller('api/v1/monitor')
export class MonitorApiController {
  constructor(private readonly hub: WallHub) {}

  @Get('operators')
  @ApiQuery(FILTERS[0]!)
  @ApiQuery(FILTERS[1]!)
  @ApiOkResponse({
    description:
      '[{operatorId, name, state, since, lastOutcome: {code, type, color, at}, counts: {R, N, C, T}, ...}]',
  })
  async operators(@Query() filter: WallFilterQuery): Promise<WallTile[]> {
    return filterWall(await this.hub.snapshot(), filter).operators;
  }

  @Get('campaigns')
  @ApiQuery(FILTERS[0]!)
  @ApiOkResponse({
    description:
      '[{id, code, name, counts: {R, N, C, T}, total, conversionRate, contactsLeft, callbacksDue, callbacksOverdue}] for today',
  })
  async campaigns(@Query() filter: WallFilterQuery): Promise<CampaignSummary[]> {
    return filterWall(await this.hub.snapshot(), filter).campaigns;
  }

  /** `event: wall` messages: the whole filtered wall first, then the tiles that changed. */
  @Sse('stream')
  @ApiQuery(FILTERS[0]!)
  @ApiQuery(FILTERS[1]!)
  stream(@Query() filter: WallFilterQuery): Observable<MessageEvent> {
    return this.hub.stream(filter);
  }
}

/** The operator's own state: ready or paused with a reason, and the page's sign of life. */
@ApiTags('monitor')
@ApiBearerAuth()
@Roles('operator')
@Controller('api/v1/me')
export class OperatorStateApiController {
  constructor(
    private readonly activity: OperatorActivityService,
    private readonly reasons: PauseReasonsService,
  ) {}

  @Get('state')
  @ApiOkResponse({ description: '{state, since, pauseReasonId, pauseReasons: [...]}' })
  async state(@CurrentUser() user: AuthenticatedUser): Promise<OwnStateView> {
    return this.view(await this.activity.current(user.id));
  }

  @Post('state')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the new state' })
  async setState(
    @Body() dto: SetOperatorStateDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OwnStateView> {
    return this.view(await this.activity.set(user.id, dto.state, dto.pauseReasonId ?? null));
  }

  /** The page says it is open (every 30 s): without it the operator reads as logged out. */
  @Post('presence')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the state, as GET state' })
  async presence(@CurrentUser() user: AuthenticatedUser): Promise<OwnStateView> {
    await this.activity.seen(user.id);
    return this.view(await this.activity.current(user.id));
  }

  private async view(state: OwnState): Promise<OwnStateView> {
    return { ...state, pauseReasons: await this.reasons.list() };
  }
}

type OwnStateView = OwnState & { pauseReasons: PauseReasonView[] };
