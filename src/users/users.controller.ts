import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { LANGUAGES } from '../config/app.config';
import { CreateUserDto } from './dto/create-user.dto';
import { ROLES } from './role';
import { UsersService } from './users.service';

/** A single ticked checkbox arrives as a string, several as an array. */
class CreateUserFormDto extends CreateUserDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
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
}
