import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppSetting } from './app-setting.entity';

@Injectable()
export class AppSettingsService {
  constructor(@InjectRepository(AppSetting) private readonly settings: Repository<AppSetting>) {}

  /**
   * A value generated once and shared by every instance. INSERT-or-ignore then read:
   * of two instances starting together, the first row wins and both read it.
   */
  async getOrCreate(key: string, generate: () => string): Promise<string> {
    await this.settings
      .createQueryBuilder()
      .insert()
      .into(AppSetting)
      .values({ key, value: generate() })
      .orIgnore()
      .execute();
    const row = await this.settings.findOneByOrFail({ key });
    return row.value;
  }

  sessionSecret(): Promise<string> {
    return this.getOrCreate('session_secret', () => randomBytes(32).toString('base64url'));
  }
}
