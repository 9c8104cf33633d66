import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { AppConfigService } from '../../config/app-config.service';
import { isApiRequest } from '../http/request-context';
import { setLayoutLocals } from './view-locals';

/** Fills the layout's locals for page requests (not for the JSON API). */
@Injectable()
export class LayoutLocalsInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfigService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!isApiRequest(req) && req.method === 'GET') {
      setLayoutLocals(req, http.getResponse<Response>(), this.config.get('DEFAULT_LANGUAGE'));
    }
    return next.handle();
  }
}
