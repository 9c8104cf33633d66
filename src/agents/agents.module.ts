import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agent } from './agent.entity';
import { AgentAbsence } from './agent-absence.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Agent, AgentAbsence])],
})
export class AgentsModule {}
