import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors';
import type { Role } from '../users/role';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { AuthService } from './auth.service';

/**
 * The one guard on every route, pages and API alike: who is it (bearer token, else the
 * session cookie), and may their role do this? 401 without credentials, 403 for a role
 * that may not.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    req.user = (await this.authenticate(req)) ?? undefined;

    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!req.user) throw new UnauthorizedError('sign in first: credentials are missing or expired');

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(req.user.role)) {
      throw new ForbiddenError(
        `role "${req.user.role}" may not do this; needs ${roles.join(' or ')}`,
      );
    }
    return true;
  }

  private async authenticate(req: Request) {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/.exec(header);
      return match?.[1] ? this.auth.userForToken(match[1]) : null;
    }
    const userId = req.session?.userId;
    if (userId === undefined) return null;
    const user = await this.auth.userForSession(userId);
    if (!user) delete req.session.userId; // disabled or deleted since sign-in
    return user;
  }
}
