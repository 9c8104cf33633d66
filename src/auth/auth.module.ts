import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OperatorActivityModule } from '../monitor/operator-activity.module';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthenticationMiddleware } from './authentication.middleware';
import { ApiToken } from './api-token.entity';
import { AuthApiController } from './auth.api.controller';
import { AuthController } from './auth.controller';
import { AuthJobs } from './auth.jobs';
import { AuthService } from './auth.service';
import { LoginFailure } from './login-failure.entity';
import { ProfileController } from './profile.controller';
import { SignInHousekeeping } from './sign-in-housekeeping';
import { WebSession } from './web-session.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([ApiToken, LoginFailure, WebSession]),
    AuditModule,
    UsersModule,
    OperatorActivityModule,
  ],
  controllers: [AuthController, AuthApiController, ProfileController],
  providers: [
    AuthService,
    SignInHousekeeping,
    AuthJobs,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthenticationMiddleware).forRoutes('{*path}');
  }
}
