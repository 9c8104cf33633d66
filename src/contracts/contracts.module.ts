import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { Interaction } from '../interactions/interaction.entity';
import { User } from '../users/user.entity';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { ContractLine } from './contract-line.entity';
import { ContractReason } from './contract-reason.entity';
import { ContractStatusChange } from './contract-status-change.entity';
import { ContractWriter } from './contract-writer';
import { Contract } from './contract.entity';
import { ContractReasonsApiController } from './contract-reasons.api.controller';
import { ContractReasonsController } from './contract-reasons.controller';
import { ContractReasonsService } from './contract-reasons.service';
import { ContractsApiController } from './contracts.api.controller';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { ProtocolCounter } from './protocol-counter.entity';

/** Contracts: written by the close (ContractWriter), processed by the backoffice. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Contract,
      ContractLine,
      ContractStatusChange,
      ContractReason,
      ProtocolCounter,
      Campaign,
      User,
      Interaction,
    ]),
    // The phone normaliser, for searches by phone.
    DoNotCallModule,
    WebhookOutboxModule,
  ],
  controllers: [
    ContractsApiController,
    ContractsController,
    ContractReasonsApiController,
    ContractReasonsController,
  ],
  providers: [ContractsService, ContractWriter, ContractReasonsService],
  exports: [ContractsService, ContractWriter],
})
export class ContractsModule {}
