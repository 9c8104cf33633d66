import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../http/request-context';
import type { Role } from './role';

export const PUBLIC_KEY = 'access:public';
export const ROLES_KEY = 'access:roles';

/** Reachable without signing in (login page, health, API docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export const ANONYMOUS_FORM_KEY = 'access:anonymous-form';

/**
 * A public page with a form for visitors who are not signed in (sign-in, the public
 * callback page): it starts a session for the form's CSRF token. Any other anonymous
 * request (a health probe, a 404, a page without a form) never creates one.
 */
export const AnonymousForm = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ANONYMOUS_FORM_KEY, true);

/** Only these roles; without it any signed-in user may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<Request>().user;
    // The guard has run: a handler without @Public never sees an anonymous request.
    if (!user) throw new Error('CurrentUser used on a public route');
    return user;
  },
);
