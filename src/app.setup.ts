import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { getRepositoryToken } from '@nestjs/typeorm';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { I18nService } from 'nestjs-i18n';
import { Logger } from 'nestjs-pino';
import { Repository } from 'typeorm';
import { WebSession } from './auth/web-session.entity';
import { WebSessionStore } from './auth/web-session.store';
import { csrfProtection, formBody } from './common/http/csrf';
import { isApiRequest } from './common/http/request-context';
import { refuseDeepJson } from './common/http/json-depth';
import { bodyParserMessage, RequestValidationException } from './common/errors/error-response';
import { createViewEngine, VIEWS_DIR } from './common/views/handlebars';
import { AppConfigService } from './config/app-config.service';
import { AppSettingsService } from './database/app-settings.service';
import { mountMetrics } from './metrics/metrics.http';

export const SESSION_COOKIE = 'esito.sid';

/** Nest's own body parsers are off (see main.ts) so that these errors can name `body`. */
export const NEST_APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/**
 * express-session may send a redirect before its write has landed, and the browser can
 * then load the next page from the old session, without the flash or the refused form's
 * input. Every redirect therefore waits for the session write.
 */
function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = (...args: unknown[]) => {
    if (!req.session) return redirect(...args);
    req.session.save(() => redirect(...args));
  };
  next();
}

function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const message =
    typeof error === 'object' && error !== null ? bodyParserMessage(error) : undefined;
  const status = (error as { status?: number } | null)?.status;
  if (message && status === 400) return next(new RequestValidationException({ body: message }));
  next(error);
}

/** Everything Express needs around the Nest routes; shared by main.ts and the e2e tests. */
export async function configureApp(app: NestExpressApplication): Promise<void> {
  const config = app.get(AppConfigService);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // First: a scrape passes no other middleware, and every request's time is measured whole.
  mountMetrics(app);
  const trustProxy = config.get('TRUST_PROXY');
  if (trustProxy)
    app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);

  app.use(
    helmet({
      strictTransportSecurity: config.get('COOKIE_SECURE'),
      // Same-origin Referer lets a refused form be sent back to the page it came from.
      referrerPolicy: { policy: 'same-origin' },
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI sets inline styles; no page of ours does.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          upgradeInsecureRequests: config.get('COOKIE_SECURE') ? [] : null,
        },
      },
    }),
  );
  app.useStaticAssets(join(__dirname, '..', 'public'), { prefix: '/assets/', maxAge: '1h' });
  // Pages and API answers are personal: a shared workstation's Back button must not
  // show the previous operator's page after sign-out.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const engine = createViewEngine(
    app.get(I18nService),
    config.get('PHONE_LINK_SCHEME'),
    config.get('TIMEZONE'),
  );
  app.engine('hbs', engine.engine);
  app.setViewEngine('hbs');
  app.setBaseViewsDir(VIEWS_DIR);
  if (config.get('NODE_ENV') === 'production') app.set('view cache', true);

  const ttlMs = config.get('SESSION_TTL_MINUTES') * 60_000;
  const sessions = session({
    name: SESSION_COOKIE,
    secret: await app.get(AppSettingsService).sessionSecret(),
    store: new WebSessionStore(
      app.get<Repository<WebSession>>(getRepositoryToken(WebSession)),
      ttlMs,
    ),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.get('COOKIE_SECURE'),
      maxAge: ttlMs,
    },
  });
  // An API call with a bearer token is authenticated by it alone (AuthenticationMiddleware):
  // no session is loaded or started for it. Pages keep theirs (flash messages).
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.headers.authorization !== undefined && isApiRequest(req)
      ? next()
      : sessions(req, res, next),
  );
  app.use(express.json({ limit: '1mb', verify: refuseDeepJson }));
  app.use(express.urlencoded({ extended: true, limit: '1mb' }));
  // CSV uploads are not parsed here: the import streams the request (src/contacts/csv).
  app.use(bodyParserErrors);
  app.use(saveSessionBeforeRedirect);
  app.use(formBody);
  app.use(csrfProtection);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Esito CRM API')
      .setDescription(
        'JSON API for integrations (dialer, PBX, IVR, web site). Errors: { statusCode, message }.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs.json' });
}
