import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AgendaService } from './agenda.service';
import { AppointmentBooker } from './appointment-booker';
import { Appointment } from './appointment.entity';
import { AppointmentsApiController } from './appointments.api.controller';
import { AppointmentsService } from './appointments.service';

/** Field agents' agendas: availability, booking rules, the agenda page's changes. */
@Module({
  imports: [TypeOrmModule.forFeature([Appointment]), AuditModule],
  controllers: [AppointmentsApiController],
  providers: [AgendaService, AppointmentBooker, AppointmentsService],
  exports: [AgendaService, AppointmentBooker, AppointmentsService],
})
export class AppointmentsModule {}
