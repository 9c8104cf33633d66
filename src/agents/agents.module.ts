import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agent } from './agent.entity';
import { AgentAbsence } from './agent-absence.entity';
import { AgentsApiController } from './agents.api.controller';
import { AgentsController } from './agents.controller';
import { AgentsService } from './agents.service';

@Module({
  imports: [TypeOrmModule.forFeature([Agent, AgentAbsence])],
  controllers: [AgentsController, AgentsApiController],
  providers: [AgentsService],
  exports: [AgentsService],
})
export class AgentsModule {}
