import { DataSource } from 'typeorm';
import { actingAs } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedUser } from '../common/http/request-context';
import { AuthService } from './auth.service';

/**
 * Who is making the request (bearer token, else the session cookie), for every path,
 * including unknown ones, so that even a 404 page shows who is signed in. The guard
 * then decides what they may do.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
  ) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    req.user = (await this.authenticate(req)) ?? undefined;
    // What the request writes is recorded in the audit trail as this user's doing.
    const user = req.user;
    if (!user) return next();
    actingAs(
      {
        userId: user.id,
        downloaded: (file) =>
          this.audit.record(this.dataSource.manager, {
            userId: user.id,
            action: 'export.downloaded',
            entity: 'export',
            entityId: null,
            detail: JSON.stringify({ file: file.name, path: file.path.slice(0, 400) }),
          }),
      },
      next,
    );
  }

  private async authenticate(req: Request): Promise<AuthenticatedUser | null> {
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
