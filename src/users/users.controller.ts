import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { LANGUAGES } from '../config/app.config';
import { CreateUserDto } from './dto/create-user.dto';
import { ResetPasswordDto, UpdateUserDto } from './dto/update-user.dto';
import { ROLES } from './role';
import { UsersService } from './users.service';

const asList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? [value] : value;

/** A single ticked checkbox arrives as a string, several as an array. */
class CreateUserFormDto extends CreateUserDto {
  @Transform(asList)
  override languages?: string[];
}

/** As above; no box ticked sends nothing, which on this form means "speaks none". */
class UpdateUserFormDto extends UpdateUserDto {
  @Transform(asList)
  override languages?: string[];
}

@ApiExcludeController()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Render('users/index')
  async index() {
    return { title: 'users.title', users: await this.users.list() };
  }

  @Get('new')
  @Render('users/new')
  newUser() {
    return { title: 'users.new.title', roles: ROLES, languages: LANGUAGES };
  }

  @Post()
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: CreateUserFormDto,
  ): Promise<void> {
    const user = await this.users.create(form);
    req.session.flash = [
      { type: 'success', text: 'users.created', args: { username: user.username } },
    ];
    res.redirect(303, '/users');
  }

  @Get(':id/edit')
  @Render('users/edit')
  async edit(@Param('id', new IdParamPipe()) id: number, @CurrentUser() actor: AuthenticatedUser) {
    const user = await this.users.get(id);
    return {
      title: 'users.edit.title',
      user,
      self: user.id === actor.id,
      roles: ROLES,
      languages: LANGUAGES,
    };
  }

  @Post(':id')
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: UpdateUserFormDto,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<void> {
    const user = await this.users.update(
      id,
      { ...form, languages: form.languages ?? [], uiLanguage: form.uiLanguage ?? null },
      actor.id,
    );
    req.session.flash = [
      { type: 'success', text: 'users.saved', args: { username: user.username } },
    ];
    res.redirect(303, '/users');
  }

  @Post(':id/disable')
  async disable(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<void> {
    const user = await this.users.setActive(id, false, actor.id);
    req.session.flash = [
      { type: 'success', text: 'users.disabledDone', args: { username: user.username } },
    ];
    res.redirect(303, `/users/${id}/edit`);
  }

  @Post(':id/enable')
  async enable(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<void> {
    const user = await this.users.setActive(id, true, actor.id);
    req.session.flash = [
      { type: 'success', text: 'users.enabledDone', args: { username: user.username } },
    ];
    res.redirect(303, `/users/${id}/edit`);
  }

  @Post(':id/password')
  async resetPassword(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: ResetPasswordDto,
  ): Promise<void> {
    await this.users.resetPassword(id, form.password);
    req.session.flash = [{ type: 'success', text: 'users.passwordDone' }];
    res.redirect(303, `/users/${id}/edit`);
  }
}
