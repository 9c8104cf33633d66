import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { CreateUserDto } from './dto/create-user.dto';
import { ResetPasswordDto, UpdateUserDto } from './dto/update-user.dto';
import { UserView } from './dto/user.view';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/users')
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiCreatedResponse({ description: 'the new user' })
  @ApiConflictResponse({ description: 'username already taken' })
  create(@Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(dto);
  }

  @Get()
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Get(':id')
  get(@Param('id', new IdParamPipe()) id: number): Promise<UserView> {
    return this.users.get(id);
  }

  @Patch(':id')
  update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdateUserDto,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<UserView> {
    return this.users.update(id, dto, actor.id);
  }

  /** Signs the user out everywhere (sessions deleted, tokens revoked). */
  @Post(':id/disable')
  @HttpCode(200)
  disable(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<UserView> {
    return this.users.setActive(id, false, actor.id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<UserView> {
    return this.users.setActive(id, true, actor.id);
  }

  @Post(':id/password')
  @HttpCode(204)
  resetPassword(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ResetPasswordDto,
  ): Promise<void> {
    return this.users.resetPassword(id, dto.password);
  }
}
