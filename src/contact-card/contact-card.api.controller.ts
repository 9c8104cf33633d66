import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactCardService, ContactDetailView } from './contact-card.service';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('api/v1')
export class ContactCardApiController {
  constructor(private readonly cards: ContactCardService) {}

  @Get('contacts/:id')
  @ApiOkResponse({
    description:
      'the contact with interactions, and the callbacks, contracts and appointments the caller may see',
  })
  detail(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ContactDetailView> {
    return this.cards.forUser(id, user);
  }
}
