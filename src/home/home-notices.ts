import { Injectable, Logger } from '@nestjs/common';
import type { SayArgs } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from '../common/http/request-context';

/** Something a user should see on arriving: an i18n key with its args, and where to act on it. */
export interface HomeNotice {
  text: string;
  args?: SayArgs;
  href: string;
}

type NoticeSource = (user: AuthenticatedUser) => Promise<HomeNotice[]>;

/**
 * The home page's banners. The home page knows no capability: each one that has something
 * to tell registers a source here (webhooks: a paused endpoint, for admins).
 */
@Injectable()
export class HomeNotices {
  private readonly logger = new Logger(HomeNotices.name);
  private readonly sources: NoticeSource[] = [];

  register(source: NoticeSource): void {
    this.sources.push(source);
  }

  /** Every source's notices for the user; a failing source is logged and says nothing. */
  async for(user: AuthenticatedUser): Promise<HomeNotice[]> {
    const said = await Promise.all(
      this.sources.map((source) =>
        source(user).catch((error: unknown) => {
          this.logger.warn({ err: error }, 'a home notice could not be read');
          return [];
        }),
      ),
    );
    return said.flat();
  }
}
