import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactsService, type OperatorSearchRow } from '../contacts/contacts.service';
import { type OperatorDayFigures, OperatorFigures } from '../monitor/operator-figures';
import type { ContactLease } from './contact-lease.entity';
import { DialCheckService } from './dial-check.service';
import { DispatchService } from './dispatch.service';
import { DialDto } from './dto/dial.dto';
import { TakeContactDto, WorkSearchQuery } from './dto/take.dto';
import { DraftDto, NextContactDto, OutcomeDto } from './dto/outcome.dto';
import { LeasesService } from './leases.service';
import { OutcomeResult, OutcomeService } from './outcome.service';
import { type LeasedItem, leasedItem, WorkItem, WorkItemService } from './work-item.service';
import { WrapUpService } from './wrap-up.service';

/** `Prefer: return=minimal` (RFC 7240), among other preferences or alone. */
function prefersMinimal(prefer: string | undefined): boolean {
  return prefer !== undefined && /(^|[\s,;])return=minimal($|[\s,;])/i.test(prefer);
}

/** The operator's work: next contact, lease, outcome, discard (../shared/DESIGN.md). */
@ApiTags('work')
@ApiBearerAuth()
@Roles('operator')
@Controller('api/v1/work')
export class WorkApiController {
  constructor(
    private readonly dispatch: DispatchService,
    private readonly leases: LeasesService,
    private readonly outcomes: OutcomeService,
    private readonly items: WorkItemService,
    private readonly contacts: ContactsService,
    private readonly figures: OperatorFigures,
    private readonly wrapUps: WrapUpService,
    private readonly dialCheck: DialCheckService,
  ) {}

  @Post('next')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      '{contact, callback?, ...} leased to the caller; with Prefer: return=minimal, only {contact: {id, campaignId}, callback: {id}?, lease}',
  })
  @ApiNoContentResponse({ description: 'nothing to work now' })
  async next(
    @Body() dto: NextContactDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkItem | LeasedItem | undefined> {
    const lease = await this.dispatch.next(user, dto.campaignId, dto.skipContactId);
    if (!lease) {
      res.status(204);
      return undefined;
    }
    return this.answer(lease, user, prefer, res);
  }

  /** The whole work item, or only the lease when the client renders the card itself. */
  private answer(
    lease: ContactLease,
    user: AuthenticatedUser,
    prefer: string | undefined,
    res: Response,
  ): Promise<WorkItem> | LeasedItem {
    if (!prefersMinimal(prefer)) return this.items.build(lease, user);
    res.setHeader('Preference-Applied', 'return=minimal');
    return leasedItem(lease);
  }

  @Get('search')
  @ApiOkResponse({
    description: '[{id, name, phone, campaignId, state}] of the caller’s campaigns, at most 20',
  })
  search(
    @Query() query: WorkSearchQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OperatorSearchRow[]> {
    return this.contacts.searchForOperator(user.id, query.q);
  }

  @Post('take')
  @HttpCode(200)
  @ApiOkResponse({ description: 'as next: the contact leased to the caller' })
  @ApiForbiddenResponse({ description: 'not a contact of the caller’s campaigns' })
  @ApiConflictResponse({
    description: 'held by another operator, the caller holds another, or (manual) do-not-call',
  })
  async take(
    @Body() dto: TakeContactDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkItem | LeasedItem> {
    return this.answer(
      await this.dispatch.take(user, dto.contactId, dto.reason),
      user,
      prefer,
      res,
    );
  }

  @Get('stats')
  @ApiOkResponse({
    description:
      'today so far: calls, outcomes by type, sales and their total, appointments, seconds paused',
  })
  stats(@CurrentUser() user: AuthenticatedUser): Promise<OperatorDayFigures> {
    return this.figures.today(user.id);
  }

  @Get('current')
  @ApiOkResponse({ description: 'the contact the caller holds' })
  @ApiNoContentResponse({ description: 'the caller holds none' })
  async current(
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkItem | undefined> {
    const lease = await this.leases.current(user.id);
    if (!lease) {
      res.status(204);
      return undefined;
    }
    return this.items.build(lease, user);
  }

  @Post(':contactId/heartbeat')
  @HttpCode(200)
  @ApiForbiddenResponse({ description: 'not leased to the caller, or expired' })
  async heartbeat(
    @Param('contactId', new IdParamPipe()) contactId: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ expiresAt: string }> {
    const lease = await this.leases.renew(user.id, contactId);
    return { expiresAt: lease.expiresAt.toISOString() };
  }

  @Put(':contactId/draft')
  @HttpCode(200)
  @ApiOkResponse({ description: 'saved; the lease is renewed' })
  async saveDraft(
    @Param('contactId', new IdParamPipe()) contactId: number,
    @Body() dto: DraftDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ expiresAt: string }> {
    const lease = await this.leases.renew(user.id, contactId, dto.draft ?? null);
    return { expiresAt: lease.expiresAt.toISOString() };
  }

  @Post(':contactId/dial')
  @HttpCode(200)
  @ApiOkResponse({ description: '{phone}: the number in E.164, to dial now' })
  @ApiForbiddenResponse({ description: 'contact not leased to the caller' })
  @ApiConflictResponse({ description: 'the number is on the do-not-call list' })
  dial(
    @Param('contactId', new IdParamPipe()) contactId: number,
    @Body() dto: DialDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ phone: string }> {
    return this.dialCheck.check(user.id, contactId, dto.phone);
  }

  @Post(':contactId/outcome')
  @ApiCreatedResponse({ description: '{interactionId, callback?, contract?, appointment?}' })
  @ApiForbiddenResponse({ description: 'contact not leased to the caller' })
  @ApiConflictResponse({ description: 'slot taken, or the outcome was already confirmed' })
  confirm(
    @Param('contactId', new IdParamPipe()) contactId: number,
    @Body() dto: OutcomeDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OutcomeResult> {
    return this.outcomes.confirm(user.id, contactId, dto);
  }

  /** "Fine chiamata": the campaign's wrap-up starts counting (idempotent: the first end counts). */
  @Post(':contactId/call-ended')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the wrap-up deadline is set, if the campaign has one' })
  @ApiForbiddenResponse({ description: 'contact not leased to the caller' })
  @ApiConflictResponse({ description: 'the outcome was already confirmed' })
  async callEnded(
    @Param('contactId', new IdParamPipe()) contactId: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    await this.wrapUps.callEnded(user.id, contactId);
  }

  @Post(':contactId/discard')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'nothing saved; the contact is released' })
  async discard(
    @Param('contactId', new IdParamPipe()) contactId: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    await this.leases.discard(user.id, contactId);
  }
}
