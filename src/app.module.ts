import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AcceptLanguageResolver, I18nModule, QueryResolver } from 'nestjs-i18n';
import { AgentsModule } from './agents/agents.module';
import { AuthModule } from './auth/auth.module';
import { CallbackRequestsModule } from './callback-requests/callback-requests.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ContactCardModule } from './contact-card/contact-card.module';
import { ContactsModule } from './contacts/contacts.module';
import { ContractsModule } from './contracts/contracts.module';
import { DoNotCallModule } from './do-not-call/do-not-call.module';
import { EligibilityModule } from './eligibility/eligibility.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { OutagesModule } from './outages/outages.module';
import { OutcomeStatusesModule } from './outcome-statuses/outcome-statuses.module';
import { ProductsModule } from './products/products.module';
import { ReportsModule } from './reports/reports.module';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { AppValidationPipe } from './common/http/validation.pipe';
import { LoggingModule } from './common/logging.module';
import { LayoutLocalsInterceptor } from './common/views/layout-locals.interceptor';
import { AppConfigModule } from './config/config.module';
import { CtiModule } from './cti/cti.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { HomeModule } from './home/home.module';
import { PrivacyModule } from './privacy/privacy.module';
import { FrequencyCapModule } from './frequency-cap/frequency-cap.module';
import { MetricsModule } from './metrics/metrics.module';
import { MonitorModule } from './monitor/monitor.module';
import { ResultsModule } from './results/results.module';
import { UsersModule } from './users/users.module';
import { JobsModule } from './common/jobs/jobs.module';
import { TimeModule } from './common/time/time.module';
import { WorkModule } from './work/work.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    TimeModule,
    ScheduleModule.forRoot(),
    JobsModule,
    I18nModule.forRoot({
      fallbackLanguage: 'it',
      loaderOptions: { path: join(__dirname, 'i18n'), watch: false },
      // Pages pass the user's language explicitly; these serve API callers.
      resolvers: [{ use: QueryResolver, options: ['lang'] }, AcceptLanguageResolver],
    }),
    AuthModule,
    UsersModule,
    OutcomeStatusesModule,
    ProductsModule,
    AgentsModule,
    CampaignsModule,
    ContactsModule,
    ContactCardModule,
    ContractsModule,
    DoNotCallModule,
    WorkModule,
    EligibilityModule,
    FollowUpsModule,
    WebhooksModule,
    OutagesModule,
    CallbacksModule,
    CallbackRequestsModule,
    CtiModule,
    MonitorModule,
    ReportsModule,
    ResultsModule,
    HomeModule,
    HealthModule,
    MetricsModule,
    PrivacyModule,
    FrequencyCapModule,
    DemoModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: AppValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: LayoutLocalsInterceptor },
  ],
})
export class AppModule {}
