import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { CallbackOfferService, type SlotsView } from './callback-offer.service';
import {
  type BookedCallbackRequest,
  type CallbackRequestItem,
  CallbackRequestsService,
} from './callback-requests.service';
import { CallbackOfferDto, type CallbackOfferView } from './dto/callback-offer.dto';
import { CallbackRequestDto } from './dto/callback-request.dto';
import { CallbackRequestListQuery, CallbackSlotsQuery } from './dto/callback-request-query';

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
  @ApiOkResponse({
    description:
      '{campaignId, date, timezone, slotMinutes, slots: [{start, end, window, capacity, remaining}]}',
  })
  @ApiNotFoundResponse({ description: 'no such campaign' })
  slots(@Query() query: CallbackSlotsQuery): Promise<SlotsView> {
    return this.offer.available(query.campaignId, query.date);
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
  @ApiOkResponse({ description: 'requests in slot order' })
  list(@Query() query: CallbackRequestListQuery): Promise<CallbackRequestItem[]> {
    return this.requests.list({ ...query, late: query.late ?? false, limit: query.limit });
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
