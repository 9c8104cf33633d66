import { Body, Controller, Headers, HttpCode, MessageEvent, Post, Sse } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import type { ContactView } from '../contacts/dto/contact.view';
import { CtiHub } from './cti-hub.service';
import { CtiService } from './cti.service';
import { CtiContactDto, CtiEventDto } from './dto/cti-event.dto';

/** Telephony integration (../shared/DESIGN.md): the PBX's events, the operator's screen-pop stream. */
@ApiTags('cti')
@ApiBearerAuth()
@Controller('api/v1/cti')
export class CtiApiController {
  constructor(
    private readonly cti: CtiService,
    private readonly hub: CtiHub,
  ) {}

  @Post('events')
  @HttpCode(202)
  @Roles('integration', 'admin')
  @ApiAcceptedResponse({
    description: '{id, operatorId, contactId}: the operator’s page pops the contact',
  })
  @ApiBadRequestResponse({ description: 'a field is wrong: the message names it' })
  @ApiNotFoundResponse({ description: 'no active operator has that extension (or id)' })
  event(
    @Body() dto: CtiEventDto,
  ): Promise<{ id: number; operatorId: number; contactId: number | null }> {
    return this.cti.record(dto);
  }

  /** `event: pop` for every call ringing or answered on the caller's extension. */
  @Sse('stream')
  @Roles('operator')
  @ApiOkResponse({ description: 'Server-Sent Events: pop {phone, phoneLink, contact | null}' })
  stream(
    @CurrentUser() user: AuthenticatedUser,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    // The browser's EventSource sends the last id it got when it reconnects.
    const after = /^\d{1,15}$/.test(lastEventId ?? '') ? Number(lastEventId) : null;
    return this.hub.stream(user.id, after);
  }

  @Post('contacts')
  @Roles('operator')
  @ApiCreatedResponse({ description: 'the new contact' })
  createContact(
    @Body() dto: CtiContactDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ContactView> {
    return this.cti.createContact(user.id, dto);
  }
}
