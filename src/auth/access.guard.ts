import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors';
import type { Role } from '../common/access/role';
import { PUBLIC_KEY, ROLES_KEY } from '../common/access/access.decorators';

/**
 * The one guard on every route, pages and API alike (AuthenticationMiddleware has said
 * who it is): 401 without credentials, 403 for a role that may not.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!req.user) throw new UnauthorizedError('sign in first: credentials are missing or expired');

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // An integration's token opens only the endpoints made for it, never a page or another API.
    if (req.user.role === 'integration' && !roles?.includes('integration')) {
      throw new ForbiddenError('role "integration" may only use the integration endpoints');
    }
    if (roles && !roles.includes(req.user.role)) {
      throw new ForbiddenError(
        `role "${req.user.role}" may not do this; needs ${roles.join(' or ')}`,
      ).say('errors.403.action');
    }
    return true;
  }
}
