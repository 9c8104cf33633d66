import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CallbackCapacity } from '../../src/callback-requests/callback-capacity.entity';
import { CallbackOfferSettings } from '../../src/callback-requests/callback-offer-settings.entity';
import { CallbackOfferService } from '../../src/callback-requests/callback-offer.service';
import { CampaignOperator } from '../../src/campaigns/campaign-operator.entity';
import { CampaignStep } from '../../src/campaigns/campaign-step.entity';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { Contact } from '../../src/contacts/contact.entity';
import { DEMO_USERS, DemoSeedService } from '../../src/demo/demo-seed.service';
import { OutcomeStatus } from '../../src/outcome-statuses/outcome-status.entity';
import { User } from '../../src/users/user.entity';
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
    // A few contacts have two numbers; no answer, busy and voicemail reach no customer.
    const contacts = await dataSource.getRepository(Contact).find();
    expect(contacts.filter((c) => (c.otherPhones ?? []).length > 0)).toHaveLength(12);
    const notReached = await dataSource
      .getRepository(OutcomeStatus)
      .findBy({ customerReached: false });
    // NONCONCL is what the campaign's wrap-up confirms: its required consent must not apply.
    expect(notReached.map((s) => s.code).sort()).toEqual([
      'NONCONCL',
      'NO_RISP',
      'OCCUPATO',
      'SEGRETERIA',
    ]);
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

  it('gives the demo campaign a callback offer with its public page, and the operators extensions', async () => {
    const seeder = app.get(DemoSeedService);
    await seeder.seed();
    const dataSource = app.get(DataSource);
    const campaign = await dataSource
      .getRepository(Campaign)
      .findOneByOrFail({ code: 'FIBRA2026' });
    const offer = await app.get(CallbackOfferService).settings(campaign.id);
    expect(offer).toMatchObject({
      slotMinutes: 30,
      defaultCapacity: 4,
      publicPage: true,
    });
    // The campaign's calls are wrapped up after 60 s with a status its workflow allows.
    expect(campaign.wrapUpSeconds).toBe(60);
    const wrapUp = await dataSource
      .getRepository(OutcomeStatus)
      .findOneByOrFail({ id: campaign.wrapUpStatusId ?? 0 });
    expect(wrapUp).toMatchObject({ type: 'N', customerReached: false });
    await request(app.getHttpServer()).get('/callback/FIBRA2026').expect(200);
    const extensions = (await dataSource.getRepository(User).findBy({ role: 'operator' }))
      .map((u) => u.extension)
      .sort();
    expect(extensions).toEqual(['201', '202']);

    // A demo seeded before the offer existed gets it on its next start, once.
    await dataSource.getRepository(CallbackCapacity).delete({ campaignId: campaign.id });
    await dataSource.getRepository(CallbackOfferSettings).delete({ campaignId: campaign.id });
    await seeder.seed();
    await seeder.seed();
    expect(await app.get(CallbackOfferService).settings(campaign.id)).toEqual(offer);
  });
});
