import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OperatorActivityService } from './operator-activity.service';
import { OperatorFigures } from './operator-figures';
import { OperatorStateDay } from './operator-state-day.entity';
import { OperatorState } from './operator-state.entity';
import { OutcomeCounter } from './outcome-counter.entity';
import { OutcomeHour } from './outcome-hour.entity';
import { PauseReason } from './pause-reason.entity';
import { PauseReasonsService } from './pause-reasons.service';

/** Operator states and the counts the wall and the reports read, written where work happens. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      OperatorState,
      OperatorStateDay,
      OutcomeCounter,
      OutcomeHour,
      PauseReason,
    ]),
  ],
  providers: [OperatorActivityService, PauseReasonsService, OperatorFigures],
  exports: [OperatorActivityService, PauseReasonsService, OperatorFigures],
})
export class OperatorActivityModule {}
