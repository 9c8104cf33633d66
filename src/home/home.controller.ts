import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { HomeNotices } from './home-notices';

@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(private readonly notices: HomeNotices) {}

  @Get()
  @Render('home/index')
  async index(@CurrentUser() user: AuthenticatedUser) {
    return {
      title: 'home.title',
      roleIntro: `home.intro.${user.role}`,
      displayName: user.displayName,
      notices: await this.notices.for(user),
    };
  }
}
