import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Viewer } from '../common/access/viewer';
import type { AuthenticatedUser } from '../common/http/request-context';
import { CampaignOperator } from './campaign-operator.entity';

/** Builds the `Viewer` the visibility rules read: an operator's campaigns, once a request. */
@Injectable()
export class CampaignAccess {
  constructor(private readonly dataSource: DataSource) {}

  async viewer(user: Pick<AuthenticatedUser, 'id' | 'role'>): Promise<Viewer> {
    if (user.role !== 'operator') return { id: user.id, role: user.role, campaignIds: [] };
    const links = await this.dataSource
      .getRepository(CampaignOperator)
      .find({ where: { userId: user.id }, select: { campaignId: true } });
    return { id: user.id, role: user.role, campaignIds: links.map((l) => l.campaignId) };
  }
}
