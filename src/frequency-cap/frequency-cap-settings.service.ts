import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CampaignConfigCache } from '../campaigns/campaign-config';
import { AppSetting } from '../database/app-setting.entity';
import type { FrequencyCapDto } from './dto/frequency-cap.dto';
import { type FrequencyCapSettings, readSettings } from './frequency-cap.settings';

const KEY = 'frequency_cap';

/**
 * The frequency cap's settings: one row of app_settings, changed by admins (audited),
 * kept in memory by each instance under the configuration stamp. Every write of
 * app_settings rewrites the stamp (CampaignConfigCache), so an instance learns of another's
 * change when it next checks the stamp (at most CONFIG_CHECK_MS), and dispatch reads no
 * row of its own for a cap that is off.
 */
@Injectable()
export class FrequencyCapSettingsService {
  private known: { stamp: string | null; settings: FrequencyCapSettings } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly configs: CampaignConfigCache,
    private readonly audit: AuditService,
  ) {
    configs.stampWritesOf(AppSetting);
  }

  /** The settings as of the stamp this instance last checked. */
  async current(): Promise<FrequencyCapSettings> {
    const stamp = await this.configs.knownStamp();
    const known = this.known;
    if (known && stamp !== undefined && known.stamp === stamp) return known.settings;
    // Read after the stamp: what it says is never older than the stamp it is filed under.
    const settings = await this.read();
    if (stamp !== undefined) this.known = { stamp, settings };
    return settings;
  }

  /** An admin's change: the fields given replace those kept; audited before -> after. */
  async update(change: FrequencyCapDto, actorId: number): Promise<FrequencyCapSettings> {
    return this.dataSource.transaction(async (em) => {
      const row = await em.getRepository(AppSetting).findOneBy({ key: KEY });
      const before = readSettings(row?.value);
      const after: FrequencyCapSettings = {
        maxCallsPerDay:
          change.maxCallsPerDay === undefined ? before.maxCallsPerDay : change.maxCallsPerDay,
        minMinutesBetweenCampaigns:
          change.minMinutesBetweenCampaigns === undefined
            ? before.minMinutesBetweenCampaigns
            : change.minMinutesBetweenCampaigns,
        applyToService: change.applyToService ?? before.applyToService,
      };
      const changed = (Object.keys(after) as Array<keyof FrequencyCapSettings>).filter(
        (k) => after[k] !== before[k],
      );
      if (changed.length === 0) return after;
      await em.getRepository(AppSetting).save({ key: KEY, value: JSON.stringify(after) });
      await this.audit.record(em, {
        userId: actorId,
        action: 'settings.frequency_cap',
        entity: 'settings',
        entityId: null,
        detail: changed.map((k) => `${k}: ${String(before[k])} -> ${String(after[k])}`).join('; '),
      });
      return after;
    });
  }

  private async read(): Promise<FrequencyCapSettings> {
    const row = await this.dataSource.getRepository(AppSetting).findOneBy({ key: KEY });
    return readSettings(row?.value);
  }
}
