import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LANGUAGES, type Language } from '../config/app.config';
import { OperatorActivityService } from '../monitor/operator-activity.service';
import { AnonymousForm, Public } from '../common/access/access.decorators';
import type { Role } from '../common/access/role';
import { LoginFormDto } from './dto/login.dto';
import { SessionSignIn } from './session-sign-in';
import { AuthService } from './auth.service';

/** Only relative paths on this site: `next` must never send the user elsewhere. */
/** A path on this site to go back to after sign-in, or null (an empty or foreign one). */
function safeNext(next: unknown): string | null {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : null;
}

/** Where each role works: operators at the workstation, coordinators at the wall, ... */
export function landingFor(role: Role): string {
  switch (role) {
    case 'operator':
      return '/work';
    case 'coordinator':
      return '/monitor';
    case 'backoffice':
      return '/contracts';
    case 'admin':
    case 'integration':
      return '/';
  }
}

@ApiExcludeController()
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly activity: OperatorActivityService,
  ) {}

  @Public()
  @AnonymousForm()
  @Get('login')
  @Render('auth/login')
  loginPage(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('next') next?: string,
    @Query('lang') lang?: string,
  ) {
    if (lang && (LANGUAGES as readonly string[]).includes(lang)) {
      req.session.lang = lang as Language;
      res.locals.lang = lang;
    }
    return { title: 'auth.title', next: safeNext(next) ?? '', bare: true, languages: LANGUAGES };
  }

  @Public()
  @Post('login')
  async login(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: LoginFormDto,
  ): Promise<void> {
    const user = await this.auth.verifyCredentials(
      form.username,
      form.password,
      req.ip ?? 'unknown',
    );
    await SessionSignIn.signIn(req, user);
    if (user.role === 'operator') await this.activity.signedIn(user.id);
    // Back where a page sent them to sign in; else where their role works.
    res.redirect(303, safeNext(form.next) ?? landingFor(user.role));
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = req.user;
    await SessionSignIn.signOut(req);
    if (user?.role === 'operator') await this.activity.signedOut(user.id);
    res.redirect(303, '/login');
  }
}
