import { AuditService } from '../audit/audit.service';
import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { TooManyRequestsError, UnauthorizedError } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';
import { AppConfigService } from '../config/app-config.service';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ApiToken } from './api-token.entity';
import { LoginFailure } from './login-failure.entity';

export interface IssuedToken {
  token: string;
  expiresAt: string;
  user: { id: number; username: string; role: User['role'] };
}

const TOKEN_PREFIX = 'esk_';
// Verifying against a real hash keeps "no such user" as slow as "wrong password".
const DECOY_HASH =
  '$argon2id$v=19$m=65536,p=4,t=3$c29tZXNhbHRzb21lc2FsdA$uWuGwb1B6+dnRSifWX2pxt7gAPuGKYjhG6C7AeU7L7E';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfigService,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    @InjectRepository(LoginFailure) private readonly failures: Repository<LoginFailure>,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks a username and password. Failed attempts are counted per username (so one
   * account cannot be guessed at) and per address only with a high ceiling (a whole call
   * centre often signs in from one public IP).
   */
  async verifyCredentials(username: string, password: string, address: string): Promise<User> {
    const normalized = username.trim().toLowerCase();
    await this.refuseWhenThrottled(normalized, address);

    const user = await this.users.findByUsername(normalized);
    const valid = await this.hasher.verify(user?.passwordHash ?? DECOY_HASH, password);
    if (!user || !valid || !user.active) {
      await this.failures.insert({
        username: normalized.slice(0, 64),
        address,
        attemptedAt: new Date(),
      });
      await this.audit.record(this.failures.manager, {
        userId: null,
        action: 'auth.sign_in_failed',
        entity: 'user',
        entityId: user?.id ?? null,
        detail: JSON.stringify({ username: normalized.slice(0, 64), address }),
      });
      throw new UnauthorizedError('username or password is wrong, or the account is disabled').say(
        'auth.failed',
      );
    }
    await this.failures.delete({ username: normalized });
    await this.users.recordLogin(user.id);
    await this.audit.record(this.failures.manager, {
      userId: user.id,
      action: 'auth.signed_in',
      entity: 'user',
      entityId: user.id,
      detail: JSON.stringify({ address }),
    });
    return user;
  }

  async issueToken(user: User, name = 'api'): Promise<IssuedToken> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.get('API_TOKEN_TTL_DAYS') * 86_400_000);
    await this.tokens.insert({
      userId: user.id,
      tokenHash: hashToken(token),
      name,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      user: { id: user.id, username: user.username, role: user.role },
    };
  }

  /** The user behind a bearer token, or null when it is unknown, expired, revoked or disabled. */
  async userForToken(token: string): Promise<AuthenticatedUser | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const now = new Date();
    // One statement: findOne with a relation would first look up the id, then the row.
    const row = await this.tokens
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'user')
      .where('t.tokenHash = :hash', { hash: hashToken(token) })
      .andWhere('t.revokedAt IS NULL')
      .andWhere('t.expiresAt > :now', { now })
      .getOne();
    if (!row?.user?.active) return null;
    // Record use at most once a minute: a busy integration must not write on every call.
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      await this.tokens.update({ id: row.id }, { lastUsedAt: now });
    }
    return { ...this.principal(row.user, 'token'), tokenId: row.id };
  }

  async userForSession(userId: number): Promise<AuthenticatedUser | null> {
    const user = await this.users.findActiveById(userId);
    return user ? this.principal(user, 'session') : null;
  }

  async revokeToken(tokenId: number): Promise<void> {
    await this.tokens.update({ id: tokenId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private principal(user: User, via: AuthenticatedUser['via']): AuthenticatedUser {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      uiLanguage: user.uiLanguage ?? this.config.get('DEFAULT_LANGUAGE'),
      languages: user.languages ?? [],
      via,
    };
  }

  private async refuseWhenThrottled(username: string, address: string): Promise<void> {
    const windowMinutes = this.config.get('LOGIN_FAILURE_WINDOW_MINUTES');
    const since = new Date(Date.now() - windowMinutes * 60_000);
    const [byUsername, byAddress] = await Promise.all([
      this.failures.countBy({ username, attemptedAt: MoreThan(since) }),
      this.failures.countBy({ address, attemptedAt: MoreThan(since) }),
    ]);
    if (byUsername >= this.config.get('LOGIN_MAX_FAILURES_PER_USERNAME')) {
      throw new TooManyRequestsError(
        `username: too many failed sign-ins; try again in ${windowMinutes} minutes`,
        windowMinutes * 60,
      ).say('auth.throttled', { minutes: windowMinutes });
    }
    if (byAddress >= this.config.get('LOGIN_MAX_FAILURES_PER_ADDRESS')) {
      throw new TooManyRequestsError(
        `too many failed sign-ins from this address; try again in ${windowMinutes} minutes`,
        windowMinutes * 60,
      ).say('auth.throttled', { minutes: windowMinutes });
    }
  }
}
