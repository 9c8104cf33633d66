import { Module } from '@nestjs/common';
import { MonitorApiController, OperatorStateApiController } from './monitor.api.controller';
import { MonitorController } from './monitor.controller';
import { OperatorActivityModule } from './operator-activity.module';
import { PauseReasonsApiController } from './pause-reasons.api.controller';
import { PauseReasonsController } from './pause-reasons.controller';
import { WallHub } from './wall-hub.service';
import { WallQueries } from './wall-queries';
import { WallService } from './wall.service';

/** The coordinators' live wall, its API and stream, and the operators' own state. */
@Module({
  imports: [OperatorActivityModule],
  controllers: [
    MonitorApiController,
    OperatorStateApiController,
    MonitorController,
    PauseReasonsApiController,
    PauseReasonsController,
  ],
  providers: [WallQueries, WallService, WallHub],
})
export class MonitorModule {}
