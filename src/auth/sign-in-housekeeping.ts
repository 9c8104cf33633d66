import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { AppConfigService } from '../config/app-config.service';
import { LoginFailure } from './login-failure.entity';
import { WebSession } from './web-session.entity';

/**
 * Housekeeping of sign-in data. Each run is a plain DELETE by age: when several
 * instances run it in the same minute the second simply finds nothing left to delete.
 */
@Injectable()
export class SignInHousekeeping {
  constructor(
    private readonly config: AppConfigService,
    @InjectRepository(WebSession) private readonly sessions: Repository<WebSession>,
    @InjectRepository(LoginFailure) private readonly failures: Repository<LoginFailure>,
  ) {}

  /** Expired sessions, and failed sign-ins older than the throttling window. */
  async purge(now = new Date()): Promise<{ sessions: number; failures: number }> {
    const window = this.config.get('LOGIN_FAILURE_WINDOW_MINUTES') * 60_000;
    const sessions = await this.sessions.delete({ expiresAt: LessThan(now) });
    const failures = await this.failures.delete({
      attemptedAt: LessThan(new Date(now.getTime() - window)),
    });
    return { sessions: sessions.affected ?? 0, failures: failures.affected ?? 0 };
  }
}
