import { EntityManager, In } from 'typeorm';
import type { InLanguages } from '../common/errors/domain-errors';
import { callingHoursSaid, isWithinCallingHours } from './calling-hours';
import { CampaignOperator } from './campaign-operator.entity';
import { Campaign } from './campaign.entity';

/** A campaign in the operator's chooser, with whether it can be worked right now. */
export interface OperatorCampaignView {
  id: number;
  code: string;
  name: string;
  /** Active and inside its calling hours at `now`. */
  open: boolean;
  paused: boolean;
  /** "Lun-Ven 09:00-20:00 (Europe/Rome)" / "Mon-Fri ...": the page picks its language. */
  callingHours: InLanguages;
}

/** The campaigns the operator is assigned to, by name (the workstation's chooser). */
export async function loadOperatorCampaigns(
  em: EntityManager,
  userId: number,
  now: Date,
): Promise<OperatorCampaignView[]> {
  const links = await em.getRepository(CampaignOperator).findBy({ userId });
  if (links.length === 0) return [];
  const campaigns = await em.getRepository(Campaign).find({
    where: { id: In(links.map((link) => link.campaignId)) },
    order: { name: 'ASC', id: 'ASC' },
  });
  return campaigns.map((campaign) => ({
    id: campaign.id,
    code: campaign.code,
    name: campaign.name,
    open: campaign.state === 'active' && isWithinCallingHours(campaign, now),
    paused: campaign.state === 'paused',
    callingHours: callingHoursSaid(campaign),
  }));
}
