import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AppSetting } from '../../src/database/app-setting.entity';
import { createTestApp, removeSqliteData, resetDatabase } from '../support/test-app';

describe('Transactions', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  beforeEach(() => resetDatabase(app));
  afterAll(async () => {
    await app.close();
    removeSqliteData();
  });

  it('a transaction that rolls back never takes a concurrent one with it', async () => {
    const dataSource = app.get(DataSource);
    const failing = dataSource.transaction(async (em) => {
      await em.insert(AppSetting, { key: 'failing', value: '1' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('rolled back on purpose');
    });
    const committing = dataSource.transaction(async (em) => {
      await em.insert(AppSetting, { key: 'committing', value: '1' });
    });
    await expect(failing).rejects.toThrow('rolled back on purpose');
    await committing;
    const keys = (await dataSource.getRepository(AppSetting).find()).map((s) => s.key);
    expect(keys).toEqual(['committing']);
  });
});
