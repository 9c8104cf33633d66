import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { CallbackRequestsService } from './callback-requests.service';

const SHOWN = 200;

/** `/callback-requests`: the coordinators' view of callers waiting, late ones first. */
@ApiExcludeController()
@Roles('coordinator', 'admin')
@Controller('callback-requests')
export class CallbackRequestsController {
  constructor(private readonly requests: CallbackRequestsService) {}

  @Get()
  @Render('callback-requests/index')
  async index() {
    const { late, upcoming } = await this.requests.board(SHOWN);
    return { title: 'callbackRequests.title', late, upcoming, shown: SHOWN };
  }
}
