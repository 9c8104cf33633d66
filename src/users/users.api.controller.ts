import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { CreateUserDto } from './dto/create-user.dto';
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
}
