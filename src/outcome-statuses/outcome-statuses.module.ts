import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutcomeStatus } from './outcome-status.entity';
import { OutcomeStatusesApiController } from './outcome-statuses.api.controller';
import { OutcomeStatusesController } from './outcome-statuses.controller';
import { OutcomeStatusesService } from './outcome-statuses.service';

@Module({
  imports: [TypeOrmModule.forFeature([OutcomeStatus])],
  controllers: [OutcomeStatusesController, OutcomeStatusesApiController],
  providers: [OutcomeStatusesService],
  exports: [OutcomeStatusesService],
})
export class OutcomeStatusesModule {}
