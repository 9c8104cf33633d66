import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutcomeStatus } from './outcome-status.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OutcomeStatus])],
})
export class OutcomeStatusesModule {}
