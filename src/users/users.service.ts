import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not, Repository } from 'typeorm';
import { ApiToken } from '../auth/api-token.entity';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { Language } from '../config/app.config';
import { WebSession } from '../auth/web-session.entity';
import { forUpdate, serialiseOn } from '../common/database/row-lock';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { toUserView, UserView } from './dto/user.view';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';

/** An admin's changes; `null` languages or interface language mean none / the default. */
export type UserChanges = Omit<UpdateUserDto, 'languages' | 'uiLanguage'> & {
  languages?: string[] | null;
  uiLanguage?: Language | null;
};

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly campaigns: CampaignsService,
  ) {}

  async create(dto: CreateUserDto): Promise<UserView> {
    const user = this.users.create({
      username: dto.username,
      passwordHash: await this.hasher.hash(dto.password),
      displayName: dto.displayName,
      role: dto.role,
      languages: dto.languages?.length ? dto.languages : null,
      team: dto.team || null,
      extension: dto.extension || null,
      uiLanguage: dto.uiLanguage ?? null,
      active: true,
      lastLoginAt: null,
    });
    await this.refuseTakenExtension(this.dataSource.manager, user.extension, null);
    const campaignIds = dto.campaignIds ?? [];
    if (campaignIds.length > 0 && dto.role !== 'operator') {
      throw new ValidationError('campaignIds', 'campaignIds: only operators work campaigns').say(
        'users.errors.campaignsForOperators',
      );
    }
    try {
      // The unique indexes on username and extension decide between two admins at once;
      // the user and their campaigns are one transaction.
      return await this.dataSource.transaction(async (em) => {
        const saved = await em.save(user);
        await this.campaigns.assignNewOperator(em, saved.id, campaignIds);
        return toUserView(saved);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        if (user.extension && String(error).includes('extension')) {
          throw new ConflictError(`extension ${user.extension} is already taken`, 'extension').say(
            'users.errors.extensionTaken',
            { extension: user.extension },
          );
        }
        throw new ConflictError(`username "${dto.username}" is already taken`, 'username').say(
          'users.errors.usernameTaken',
          { username: dto.username },
        );
      }
      throw error;
    }
  }

  /** 409 naming `extension` when another user has it: telephony events must find one operator. */
  private async refuseTakenExtension(
    em: EntityManager,
    extension: string | null,
    userId: number | null,
  ): Promise<void> {
    if (!extension) return;
    const holder = await em.getRepository(User).findOneBy({ extension });
    if (holder && holder.id !== userId) {
      throw new ConflictError(
        `extension ${extension} is already taken by ${holder.username}`,
        'extension',
      ).say('users.errors.extensionTakenBy', { extension, username: holder.username });
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

  /** Role, name and languages. Demoting the last active admin is refused: nobody could fix it. */
  async update(id: number, dto: UserChanges, actorId: number): Promise<UserView> {
    return this.dataSource.transaction(async (em) => {
      const { user, activeAdmins } = await this.lockForChange(em, id);
      // null (allowed by @IsOptional) means "unchanged" for fields that cannot be empty.
      if (dto.role != null && dto.role !== 'admin' && user.role === 'admin') {
        if (id === actorId)
          throw new ValidationError('role', 'role: you cannot remove your own admin role').say(
            'users.errors.ownAdminRole',
          );
        this.refuseLastAdmin(activeAdmins, id, 'role');
      }
      if (dto.displayName != null) user.displayName = dto.displayName;
      if (dto.role != null) user.role = dto.role;
      if (dto.languages !== undefined)
        user.languages = dto.languages?.length ? dto.languages : null;
      if (dto.team !== undefined) user.team = dto.team || null;
      if (dto.extension !== undefined) {
        user.extension = dto.extension || null;
        await this.refuseTakenExtension(em, user.extension, id);
      }
      if (dto.uiLanguage !== undefined) user.uiLanguage = dto.uiLanguage ?? null;
      return toUserView(await em.save(user));
    });
  }

  /**
   * Disabling signs the user out everywhere at once (browser sessions deleted, API tokens
   * revoked) in the same transaction; an admin cannot disable themselves or the last admin.
   */
  async setActive(id: number, active: boolean, actorId: number): Promise<UserView> {
    return this.dataSource.transaction(async (em) => {
      const { user, activeAdmins } = await this.lockForChange(em, id);
      if (!active) {
        if (id === actorId)
          throw new ValidationError('active', 'active: you cannot disable yourself').say(
            'users.errors.disableSelf',
          );
        if (user.role === 'admin') this.refuseLastAdmin(activeAdmins, id, 'active');
        await this.signOutEverywhere(em, id);
      }
      user.active = active;
      return toUserView(await em.save(user));
    });
  }

  /**
   * A user's own language and password. The password needs the one in use (400 naming
   * currentPassword otherwise); the user's other sessions and tokens end with it, the one
   * they are using stays signed in.
   */
  async updateOwn(
    id: number,
    dto: UpdateMeDto,
    keep: { sessionId?: string; tokenId?: number },
  ): Promise<UserView> {
    if (dto.password !== undefined && !dto.currentPassword) {
      throw new ValidationError(
        'currentPassword',
        'currentPassword is required to change the password',
      ).say('profile.errors.currentRequired');
    }
    const passwordHash =
      dto.password === undefined ? undefined : await this.hasher.hash(dto.password);
    return this.dataSource.transaction(async (em) => {
      const user = await this.lockedUser(em, id);
      if (passwordHash !== undefined) {
        if (!(await this.hasher.verify(user.passwordHash, dto.currentPassword ?? ''))) {
          throw new ValidationError(
            'currentPassword',
            'currentPassword is not the password in use',
          ).say('profile.errors.currentWrong');
        }
        user.passwordHash = passwordHash;
        await this.signOutElsewhere(em, id, keep);
      }
      if (dto.uiLanguage !== undefined) user.uiLanguage = dto.uiLanguage;
      return toUserView(await em.save(user));
    });
  }

  /** A new password; every session and token of the user ends with the old one. */
  async resetPassword(id: number, password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    await this.dataSource.transaction(async (em) => {
      await this.lockedUser(em, id);
      await em.update(User, { id }, { passwordHash });
      await this.signOutEverywhere(em, id);
    });
  }

  // The user's row lock serialises concurrent changes to one user.
  private async lockedUser(em: EntityManager, id: number): Promise<User> {
    const user = await em.findOne(User, { where: { id }, ...forUpdate(em) });
    if (!user) throw new NotFoundError('user', id);
    return user;
  }

  /**
   * Locks the active admins' rows, always in id order and before the user's own row, so
   * that two admins disabling each other at once wait for one another instead of
   * deadlocking, and the second sees what the first did.
   */
  private async lockForChange(
    em: EntityManager,
    id: number,
  ): Promise<{ user: User; activeAdmins: User[] }> {
    // A write first: two admins disabling each other write different rows, which a
    // Galera cluster would commit both of; both writing this point conflict.
    await serialiseOn(em, 'users:active-admins');
    const activeAdmins = await em.find(User, {
      where: { role: 'admin', active: true },
      order: { id: 'ASC' },
      ...forUpdate(em),
    });
    return { user: await this.lockedUser(em, id), activeAdmins };
  }

  private refuseLastAdmin(activeAdmins: User[], id: number, field: string): void {
    if (activeAdmins.filter((a) => a.id !== id).length === 0) {
      throw new ConflictError(`${field}: this is the last active admin`, field).say(
        'users.errors.lastAdmin',
      );
    }
  }

  private async signOutElsewhere(
    em: EntityManager,
    userId: number,
    keep: { sessionId?: string; tokenId?: number },
  ): Promise<void> {
    await em.delete(WebSession, {
      userId,
      ...(keep.sessionId ? { id: Not(keep.sessionId) } : {}),
    });
    await em.update(
      ApiToken,
      { userId, revokedAt: IsNull(), ...(keep.tokenId ? { id: Not(keep.tokenId) } : {}) },
      { revokedAt: new Date() },
    );
  }

  private signOutEverywhere(em: EntityManager, userId: number): Promise<void> {
    return this.signOutElsewhere(em, userId, {});
  }

  countAdmins(): Promise<number> {
    return this.users.countBy({ role: 'admin' });
  }
}
