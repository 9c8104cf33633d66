import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { DispatchService } from './dispatch.service';
import { WorkItem, WorkItemService } from './work-item.service';

/**
 * Opening a callback: its contact leased to the operator as by work/next. The route sits
 * with the callbacks' API; the work it starts is the workstation's, so it lives here.
 */
@ApiTags('callbacks')
@ApiBearerAuth()
@Controller('api/v1/callbacks')
export class CallbackOpenApiController {
  constructor(
    private readonly dispatch: DispatchService,
    private readonly items: WorkItemService,
  ) {}

  @Post(':id/open')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ description: '{contact, callback, ...} leased to the caller, as work/next' })
  @ApiBadRequestResponse({ description: 'the campaign is paused or outside its calling hours' })
  @ApiForbiddenResponse({ description: 'not assigned to the campaign of the callback' })
  @ApiNotFoundResponse({ description: 'no such callback, or another operator’s private one' })
  @ApiConflictResponse({
    description: 'being opened or called by someone else, closed, not due, or you hold a contact',
  })
  async open(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<WorkItem> {
    return this.items.build(await this.dispatch.open(user, id), user);
  }
}
