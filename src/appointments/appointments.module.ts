import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { CallbackBookModule } from '../callbacks/callback-book.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { AgendaController } from './agenda.controller';
import { AgendaService } from './agenda.service';
import { AppointmentBooker } from './appointment-booker';
import { Appointment } from './appointment.entity';
import { AppointmentsApiController } from './appointments.api.controller';
import { AppointmentsService } from './appointments.service';
import { AgentCalendarApiController, CalendarFeedController } from './calendar-feed.controller';
import { CalendarFeedService } from './calendar-feed.service';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';

/** Field agents' agendas: availability, booking rules, the agenda page's changes, ICS feeds. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Appointment]),
    AuditModule,
    WebhookOutboxModule,
    AgentsModule,
    CallbackBookModule,
    CampaignsModule,
    ContactQueueModule,
  ],
  controllers: [
    AppointmentsApiController,
    CalendarFeedController,
    AgentCalendarApiController,
    AgendaController,
  ],
  providers: [AgendaService, AppointmentBooker, AppointmentsService, CalendarFeedService],
  exports: [AgendaService, AppointmentBooker, AppointmentsService],
})
export class AppointmentsModule {}
