import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';

@ApiExcludeController()
@Controller()
export class HomeController {
  @Get()
  @Render('home/index')
  index(@CurrentUser() user: AuthenticatedUser) {
    return {
      title: 'home.title',
      roleIntro: `home.intro.${user.role}`,
      displayName: user.displayName,
    };
  }
}
