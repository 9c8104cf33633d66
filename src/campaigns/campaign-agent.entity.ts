import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { Campaign } from './campaign.entity';

/** A field agent appointments of the campaign may be booked with. */
@Entity('campaign_agents')
export class CampaignAgent {
  @PrimaryColumn({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  @PrimaryColumn({ name: 'agent_id', type: 'integer' })
  agentId!: number;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_campaign_agents_campaign' })
  campaign?: Campaign;

  @ManyToOne(() => Agent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'FK_campaign_agents_agent' })
  agent?: Agent;
}
