import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { OutcomeStatus } from './outcome-status.entity';
import { OutcomeStatusesApiController } from './outcome-statuses.api.controller';
import { OutcomeStatusesController } from './outcome-statuses.controller';
import { OutcomeStatusesService } from './outcome-statuses.service';

@Module({
  imports: [TypeOrmModule.forFeature([OutcomeStatus]), FollowUpsModule],
  controllers: [OutcomeStatusesController, OutcomeStatusesApiController],
  providers: [OutcomeStatusesService],
  exports: [OutcomeStatusesService],
})
export class OutcomeStatusesModule {}
