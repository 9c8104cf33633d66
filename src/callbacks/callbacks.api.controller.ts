import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { CallbacksService } from './callbacks.service';
import {
  CallbackVisibilityDto,
  CancelCallbackDto,
  ReassignCallbackDto,
} from './dto/callback-query';
import { CallbackListQueryDto } from './dto/callback-list.query';
import { CallbackItem } from './dto/callback.view';

/**
 * Callbacks (../shared/DESIGN.md): lists by scope, the operator's notices, opening one (its
 * contact leased as by work/next), coordinators' actions.
 */
@ApiTags('callbacks')
@ApiBearerAuth()
@Controller('api/v1/callbacks')
export class CallbacksApiController {
  constructor(private readonly callbacks: CallbacksService) {}

  @Get()
  @Roles('operator', 'coordinator', 'admin')
  @ApiOkResponse({ description: 'callbacks in due order; never another operator’s private ones' })
  @ApiForbiddenResponse({ description: 'scope=all asked by an operator' })
  list(
    @Query() query: CallbackListQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CallbackItem[]> {
    return this.callbacks.list(user, query);
  }

  @Get('notices')
  @Roles('operator')
  @ApiOkResponse({ description: 'the caller’s private callbacks due soon or already due' })
  notices(@CurrentUser() user: AuthenticatedUser): Promise<CallbackItem[]> {
    return this.callbacks.noticesFor(user.id);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiNotFoundResponse({ description: 'no such callback' })
  @ApiConflictResponse({ description: 'being called, or closed' })
  reassign(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ReassignCallbackDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CallbackItem> {
    return this.callbacks.reassign(user, id, dto.ownerId);
  }

  @Post(':id/visibility')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiNotFoundResponse({ description: 'no such callback' })
  @ApiConflictResponse({ description: 'being called, or closed' })
  setVisibility(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CallbackVisibilityDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CallbackItem> {
    return this.callbacks.setVisibility(user, id, dto.visibility);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiNotFoundResponse({ description: 'no such callback' })
  @ApiConflictResponse({ description: 'being called, or closed' })
  cancel(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: CancelCallbackDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CallbackItem> {
    return this.callbacks.cancel(user, id, dto.reason);
  }
}
