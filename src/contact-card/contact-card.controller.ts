import { Controller, Get, Param, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactCardService } from './contact-card.service';
import { contactPageView } from './contact-page.page';

@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller()
export class ContactCardController {
  constructor(private readonly cards: ContactCardService) {}

  @Get('contacts/:id')
  @Render('contacts/show')
  async show(@Param('id', new IdParamPipe()) id: number, @CurrentUser() user: AuthenticatedUser) {
    return contactPageView(await this.cards.forUser(id, user));
  }
}
