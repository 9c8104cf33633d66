import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import {
  type ContactListDetail,
  ContactListsService,
  type ContactListView,
} from './contact-lists.service';
import { ContactListChangeDto, ContactListRecycleDto } from './dto/contact-list.dto';

/** A campaign's lists: what each holds, pausing one, recycling one (coordinators, admins). */
@ApiTags('lists')
@ApiBearerAuth()
@Roles('coordinator', 'admin')
@Controller('api/v1')
export class ContactListsApiController {
  constructor(private readonly lists: ContactListsService) {}

  @Get('campaigns/:id/lists')
  @ApiOkResponse({ description: '[{id, name, sourceFile, createdAt, active, total, byState}]' })
  @ApiNotFoundResponse({ description: 'no such campaign' })
  ofCampaign(@Param('id', new IdParamPipe()) campaignId: number): Promise<ContactListView[]> {
    return this.lists.ofCampaign(campaignId);
  }

  @Get('lists/:id')
  @ApiOkResponse({ description: 'the list with byState, byStatus (last outcomes) and recycles' })
  get(@Param('id', new IdParamPipe()) id: number): Promise<ContactListDetail> {
    return this.lists.get(id);
  }

  @Patch('lists/:id')
  @ApiOkResponse({ description: 'the list; an inactive one is not dispatched' })
  change(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ContactListChangeDto,
  ): Promise<ContactListView> {
    return this.lists.change(id, dto);
  }

  @Post('lists/:id/recycle')
  @HttpCode(200)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'the same key again answers what the first request did, requeuing nothing',
  })
  @ApiOkResponse({ description: '{requeued, repeated}' })
  recycle(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ContactListRecycleDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ requeued: number; repeated: boolean }> {
    return this.lists.recycle(id, dto, key, user.id);
  }
}
