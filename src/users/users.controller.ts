import { Body, Controller, Get, Param, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { LANGUAGES } from '../config/app.config';
import { ResetPasswordDto } from './dto/update-user.dto';
import { CreateUserFormDto, UpdateUserFormDto } from './dto/user-form.dto';
import { ROLES } from '../common/access/role';
import { CampaignsService } from '../campaigns/campaigns.service';
import { UsersService } from './users.service';

@ApiExcludeController()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly campaigns: CampaignsService,
  ) {}

  @Get()
  @Render('users/index')
  async index() {
    return { title: 'users.title', users: await this.users.list() };
  }

  @Get('new')
  @Render('users/new')
  async newUser() {
    const campaigns = await this.campaigns.list();
    return {
      title: 'users.new.title',
      roles: ROLES,
      languages: LANGUAGES,
      campaigns: campaigns.map((c) => ({ id: c.id, code: c.code, name: c.name })),
    };
  }

  @Post()
  @FormPage()
  async create(@Body() form: CreateUserFormDto): Promise<PageRedirect> {
    const user = await this.users.create(form);
    return savedTo('/users', 'users.created', { username: user.username });
  }

  @Get(':id/edit')
  @Render('users/edit')
  async edit(@Param('id', new IdParamPipe()) id: number, @CurrentUser() actor: AuthenticatedUser) {
    const user = await this.users.get(id);
    const self = user.id === actor.id;
    return { title: 'users.edit.title', user, self, roles: ROLES, languages: LANGUAGES };
  }

  @Post(':id')
  @FormPage()
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: UpdateUserFormDto,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const user = await this.users.update(
      id,
      { ...form, languages: form.languages ?? [], uiLanguage: form.uiLanguage ?? null },
      actor.id,
    );
    return savedTo('/users', 'users.saved', { username: user.username });
  }

  @Post(':id/disable')
  @FormPage()
  async disable(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const user = await this.users.setActive(id, false, actor.id);
    return savedTo(`/users/${id}/edit`, 'users.disabledDone', { username: user.username });
  }

  @Post(':id/enable')
  @FormPage()
  async enable(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const user = await this.users.setActive(id, true, actor.id);
    return savedTo(`/users/${id}/edit`, 'users.enabledDone', { username: user.username });
  }

  @Post(':id/password')
  @FormPage()
  async resetPassword(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: ResetPasswordDto,
  ): Promise<PageRedirect> {
    await this.users.resetPassword(id, form.password);
    return savedTo(`/users/${id}/edit`, 'users.passwordDone');
  }
}
