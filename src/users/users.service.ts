import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { CreateUserDto } from './dto/create-user.dto';
import { toUserView, UserView } from './dto/user.view';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async create(dto: CreateUserDto): Promise<UserView> {
    const user = this.users.create({
      username: dto.username,
      passwordHash: await PasswordHasher.hash(dto.password),
      displayName: dto.displayName,
      role: dto.role,
      languages: dto.languages?.length ? dto.languages : null,
      uiLanguage: dto.uiLanguage ?? null,
      active: true,
      lastLoginAt: null,
    });
    try {
      // The unique index on username decides between two admins creating the same user.
      return toUserView(await this.users.save(user));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`username "${dto.username}" is already taken`, 'username');
      }
      throw error;
    }
  }

  async list(): Promise<UserView[]> {
    const users = await this.users.find({ order: { active: 'DESC', username: 'ASC' } });
    return users.map(toUserView);
  }

  async get(id: number): Promise<UserView> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundError('user', id);
    return toUserView(user);
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username: username.trim().toLowerCase() });
  }

  findActiveById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id, active: true });
  }

  async recordLogin(id: number, at = new Date()): Promise<void> {
    await this.users.update({ id }, { lastLoginAt: at });
  }

  countAdmins(): Promise<number> {
    return this.users.countBy({ role: 'admin' });
  }
}
