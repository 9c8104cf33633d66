import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { EraseSubjectDto, PrivacySubjectQuery } from './dto/privacy-subject.dto';
import { type ErasureResult, PrivacyService, type SubjectContactView } from './privacy.service';

/** Subject access and erasure (GDPR art. 15 and 17), for admins (../shared/DESIGN.md). */
@ApiTags('privacy')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/privacy/subjects')
export class PrivacyApiController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get()
  @ApiOkResponse({ description: 'the contacts, in every campaign, the phone or e-mail matches' })
  find(@Query() query: PrivacySubjectQuery): Promise<SubjectContactView[]> {
    return this.privacy.contacts(this.privacy.subject(query));
  }

  @Get('export')
  @ApiOkResponse({ description: 'everything held about the person, as JSON' })
  export(
    @Query() query: PrivacySubjectQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<object> {
    return this.privacy.export(this.privacy.subject(query), user);
  }

  @Post('erase')
  @HttpCode(200)
  @ApiOkResponse({ description: '{erased, retainedContracts, doNotCall}' })
  erase(
    @Body() dto: EraseSubjectDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ErasureResult> {
    return this.privacy.erase(dto, user);
  }
}
