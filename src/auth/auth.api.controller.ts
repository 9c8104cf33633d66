import { Body, Controller, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../common/http/request-context';
import { UpdateMeDto } from '../users/dto/update-me.dto';
import { UserView } from '../users/dto/user.view';
import { UsersService } from '../users/users.service';
import { CurrentUser, Public } from '../common/access/access.decorators';
import { AuthService, IssuedToken } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { currentCredentials } from './session-sign-in';

@ApiTags('auth')
@Controller('api/v1')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ token, expiresAt, user: { id, username, role } }' })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  async login(@Req() req: Request, @Body() dto: LoginDto): Promise<IssuedToken> {
    const user = await this.auth.verifyCredentials(dto.username, dto.password, req.ip ?? 'unknown');
    return this.auth.issueToken(user);
  }

  /** Revokes the bearer token used for this call. */
  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    if (user.tokenId !== undefined) await this.auth.revokeToken(user.tokenId);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserView> {
    return this.users.get(user.id);
  }

  /** One's own language and password; the caller's session or token stays signed in. */
  @ApiBearerAuth()
  @Patch('me')
  @ApiOkResponse({ description: 'the user' })
  updateMe(
    @Body() dto: UpdateMeDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ): Promise<UserView> {
    return this.users.updateOwn(user.id, dto, currentCredentials(user, req));
  }
}
