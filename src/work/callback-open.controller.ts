import { Controller, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, redirectTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { DispatchService } from './dispatch.service';

/** "Apri" on the operator's callbacks page: the contact on the workstation, or why not said there. */
@ApiExcludeController()
@Roles('operator')
@Controller('callbacks')
export class CallbackOpenController {
  constructor(private readonly dispatch: DispatchService) {}

  @Post(':id/open')
  @FormPage({
    back: '/callbacks',
    statusKeys: { 404: 'callbacks.errors.gone', 409: 'callbacks.errors.notWaiting' },
    fields: {},
  })
  async open(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    await this.dispatch.open(user, id);
    return redirectTo('/work');
  }
}
