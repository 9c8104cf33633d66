import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Appointment } from '../appointments/appointment.entity';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuditModule } from '../audit/audit.module';
import { CallbackBookModule } from '../callbacks/callback-book.module';
import { CampaignConfigModule } from '../campaigns/campaign-config.module';
import { Callback } from '../callbacks/callback.entity';
import { ContactCardModule } from '../contact-card/contact-card.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { ContactsModule } from '../contacts/contacts.module';
import { ContractsModule } from '../contracts/contracts.module';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { FrequencyCapModule } from '../frequency-cap/frequency-cap.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { Interaction } from '../interactions/interaction.entity';
import { OperatorActivityModule } from '../monitor/operator-activity.module';
import { CallbackOpenApiController } from './callback-open.api.controller';
import { CallbackOpenController } from './callback-open.controller';
import { ContactLease } from './contact-lease.entity';
import { ContactLeases } from './contact-leases';
import { DialCheckService } from './dial-check.service';
import { DispatchService } from './dispatch.service';
import { LeasesService } from './leases.service';
import { OutcomeService } from './outcome.service';
import { WorkApiController } from './work.api.controller';
import { WorkController } from './work.controller';
import { WorkItemService } from './work-item.service';
import { WorkJobs } from './work.jobs';
import { WrapUpService } from './wrap-up.service';

/** The operator workstation: dispatch, leases, the outcome and what it writes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ContactLease, Interaction, Callback, Appointment]),
    AppointmentsModule,
    AuditModule,
    CallbackBookModule,
    CampaignConfigModule,
    ContactQueueModule,
    ContactsModule,
    ContactCardModule,
    ContractsModule,
    DoNotCallModule,
    EligibilityModule,
    FollowUpsModule,
    FrequencyCapModule,
    WebhookOutboxModule,
    OperatorActivityModule,
  ],
  controllers: [
    WorkApiController,
    WorkController,
    CallbackOpenApiController,
    CallbackOpenController,
  ],
  providers: [
    ContactLeases,
    DialCheckService,
    DispatchService,
    LeasesService,
    OutcomeService,
    WorkItemService,
    WorkJobs,
    WrapUpService,
  ],
  exports: [
    ContactLeases,
    DispatchService,
    LeasesService,
    OutcomeService,
    WorkItemService,
    WrapUpService,
  ],
})
export class WorkModule {}
