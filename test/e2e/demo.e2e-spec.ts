import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { DEMO_USERS, DemoSeedService } from '../../src/demo/demo-seed.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { tokenFor } from '../factories/user.factory';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Demo data', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(() => resetDatabase(app));
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('seeds a sign-in per role and a campaign ready to work, and seeding again changes nothing', async () => {
    const seeder = app.get(DemoSeedService);
    await seeder.seed();
    await seeder.seed();
    const dataSource = app.get(DataSource);
    for (const user of DEMO_USERS) await tokenFor(app, user);
    expect(await dataSource.getRepository(Campaign).count()).toBe(1);
    expect(await dataSource.getRepository(Contact).count()).toBe(300);
    const steps = await dataSource.getRepository(CampaignStep).find({ order: { position: 'ASC' } });
    expect(steps.filter((s) => s.kind === 'outcome')).toHaveLength(1);
    const types = new Set(
      (await dataSource.getRepository(OutcomeStatus).find()).map((s) => s.type),
    );
    expect([...types].sort()).toEqual(['C', 'N', 'R', 'T']);
    expect(await dataSource.getRepository(CampaignOperator).count()).toBe(
      DEMO_USERS.filter((u) => u.role === 'operator').length,
    );
  });
});
