import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { OperatorStateDay } from '../monitor/operator-state-day.entity';
import { OperatorState } from '../monitor/operator-state.entity';
import { OutcomeCounter } from '../monitor/outcome-counter.entity';
import { OutcomeHour } from '../monitor/outcome-hour.entity';
import { PauseReason } from '../monitor/pause-reason.entity';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { User } from '../users/user.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { CallbackReportService } from './callback-report.service';
import { OperatorTimeReportService } from './operator-time-report.service';
import { OutcomeReportService } from './outcome-report.service';
import { ProductionReportService } from './production-report.service';
import { ReportCalendar } from './report-calendar';
import { ReportDirectory } from './report-directory.service';
import { ReportPageService } from './report-page.service';
import { ReportsApiController } from './reports.api.controller';
import { ReportsController } from './reports.controller';

/**
 * The coordinators' reports: outcomes, operator time and production over a range of days,
 * as pages, JSON and CSV. Read-only, from the aggregates the work and the operators' states
 * keep (src/monitor), never from the interactions.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      OutcomeHour,
      OutcomeCounter,
      OperatorStateDay,
      OperatorState,
      ContactLease,
      PauseReason,
      OutcomeStatus,
      Campaign,
      User,
    ]),
  ],
  controllers: [ReportsApiController, ReportsController],
  providers: [
    ReportCalendar,
    ReportDirectory,
    OutcomeReportService,
    OperatorTimeReportService,
    ProductionReportService,
    CallbackReportService,
    ReportPageService,
  ],
})
export class ReportsModule {}
