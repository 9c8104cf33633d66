import { Body, Controller, Get, Post, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser } from '../common/access/access.decorators';
import { currentCredentials } from './session-sign-in';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import type { AuthenticatedUser } from '../common/http/request-context';
import { LANGUAGES } from '../config/app.config';
import { UpdateMeDto } from '../users/dto/update-me.dto';
import { UsersService } from '../users/users.service';

/** One's own profile, for every role: the interface's language and the password. */
@ApiExcludeController()
@Controller('profile')
export class ProfileController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Render('users/profile')
  async show(@CurrentUser() user: AuthenticatedUser) {
    return { title: 'profile.title', user: await this.users.get(user.id), languages: LANGUAGES };
  }

  @Post()
  @FormPage({ back: '/profile' })
  async update(
    @Body() form: UpdateMeDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ): Promise<PageRedirect> {
    const saved = await this.users.updateOwn(user.id, form, currentCredentials(user, req));
    // The session's language follows, so the next page is already in it.
    if (saved.uiLanguage) req.session.lang = saved.uiLanguage;
    return savedTo('/profile', form.password ? 'profile.passwordChanged' : 'profile.saved');
  }
}
