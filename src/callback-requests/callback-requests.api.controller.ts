import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { ValidationError } from '../common/errors/domain-errors';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { queryId, queryOneOf, queryText } from '../common/http/query-values';
import type { AuthenticatedUser } from '../common/http/request-context';
import { CallbackOfferService, type SlotsView } from './callback-offer.service';
import { CALLBACK_REQUEST_STATES } from './callback-request.entity';
import {
  type BookedCallbackRequest,
  type CallbackRequestItem,
  CallbackRequestsService,
} from './callback-requests.service';
import { CallbackOfferDto, type CallbackOfferView } from './dto/callback-offer.dto';
import { CallbackRequestDto } from './dto/callback-request.dto';

const MAX_LIST = 500;

/** Inbound callback offers (../shared/DESIGN.md): free slots, callers' requests, a campaign's offer. */
@ApiTags('callback-requests')
@ApiBearerAuth()
@Controller('api/v1')
export class CallbackRequestsApiController {
  constructor(
    private readonly offer: CallbackOfferService,
    private readonly requests: CallbackRequestsService,
  ) {}

  @Get('callback-slots')
  @Roles('integration', 'admin', 'coordinator', 'operator')
  @ApiQuery({ name: 'campaignId', required: true })
  @ApiQuery({
    name: 'date',
    required: false,
    description: 'YYYY-MM-DD, the campaign’s today by default',
  })
  @ApiOkResponse({
    description:
      '{campaignId, date, timezone, slotMinutes, slots: [{start, end, window, capacity, remaining}]}',
  })
  @ApiNotFoundResponse({ description: 'no such campaign' })
  slots(@Query() raw: Record<string, unknown>): Promise<SlotsView> {
    const campaignId = queryText(raw, 'campaignId');
    if (campaignId === undefined) throw new ValidationError('campaignId', 'campaignId is required');
    return this.offer.available(queryId(campaignId, 'campaignId'), queryText(raw, 'date'));
  }

  @Post('callback-requests')
  @Roles('integration', 'admin', 'coordinator')
  @ApiCreatedResponse({
    description: '{id, slotStart, slotEnd, date, window, timezone, message, moved}',
  })
  @ApiBadRequestResponse({ description: 'a field is wrong: the message names it' })
  @ApiNotFoundResponse({ description: 'no such campaign' })
  @ApiConflictResponse({ description: 'the slot is full: {nextSlots: [...]}' })
  create(
    @Body() dto: CallbackRequestDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BookedCallbackRequest> {
    return this.requests.request({ ...dto, source: 'api', requestedBy: user.id });
  }

  @Get('callback-requests')
  @Roles('admin', 'coordinator')
  @ApiQuery({ name: 'campaignId', required: false })
  @ApiQuery({ name: 'state', required: false, enum: CALLBACK_REQUEST_STATES })
  @ApiQuery({
    name: 'late',
    required: false,
    description: 'true: open past the end of their window',
  })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST}, default 100` })
  @ApiOkResponse({ description: 'requests in slot order' })
  list(@Query() raw: Record<string, unknown>): Promise<CallbackRequestItem[]> {
    const campaignId = queryText(raw, 'campaignId');
    const state = queryText(raw, 'state');
    const late = queryText(raw, 'late');
    const limit = queryText(raw, 'limit');
    const size = limit === undefined ? 100 : /^[0-9]{1,3}$/.test(limit) ? Number(limit) : NaN;
    if (!(size >= 1 && size <= MAX_LIST)) {
      throw new ValidationError('limit', `limit must be a whole number from 1 to ${MAX_LIST}`);
    }
    return this.requests.list({
      campaignId: campaignId === undefined ? undefined : queryId(campaignId, 'campaignId'),
      state: state === undefined ? undefined : queryOneOf(state, 'state', CALLBACK_REQUEST_STATES),
      late: late === undefined ? false : queryOneOf(late, 'late', ['true', 'false']) === 'true',
      limit: size,
    });
  }

  @Get('campaigns/:id/callback-offer')
  @Roles('admin', 'coordinator')
  @ApiOkResponse({ description: 'the campaign’s slot length, lead time, capacities, wrap-up' })
  settings(@Param('id', new IdParamPipe()) id: number): Promise<CallbackOfferView> {
    return this.offer.settings(id);
  }

  @Put('campaigns/:id/callback-offer')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ description: 'the settings as saved' })
  configure(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CallbackOfferDto,
  ): Promise<CallbackOfferView> {
    return this.offer.configure(id, dto);
  }
}
