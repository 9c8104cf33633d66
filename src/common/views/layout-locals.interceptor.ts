import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { ANONYMOUS_FORM_KEY } from '../access/access.decorators';
import { AppConfigService } from '../../config/app-config.service';
import { isApiRequest } from '../http/request-context';
import { setLayoutLocals } from './view-locals';

/** Fills the layout's locals for page requests (not for the JSON API). */
@Injectable()
export class LayoutLocalsInterceptor implements NestInterceptor {
  constructor(
    private readonly config: AppConfigService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!isApiRequest(req) && req.method === 'GET') {
      const targets = [context.getHandler(), context.getClass()];
      if (this.reflector.getAllAndOverride<boolean>(ANONYMOUS_FORM_KEY, targets)) {
        http.getResponse<Response>().locals.anonymousForm = true;
      }
      setLayoutLocals(req, http.getResponse<Response>(), this.config.get('DEFAULT_LANGUAGE'));
    }
    return next.handle();
  }
}
