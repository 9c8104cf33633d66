import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service';
import { ConflictError } from '../common/errors/domain-errors';
import { UsersService } from './users.service';

/** Creates the first admin when the database has none (ADMIN_USERNAME / ADMIN_PASSWORD). */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminService.name);

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The demo seeds its own admin and prints its password.
    if (this.config.get('DEMO')) return;
    await this.ensureFirstAdmin();
  }

  /** Returns the generated password when one was generated (printed once, never stored). */
  async ensureFirstAdmin(): Promise<{ username: string; generatedPassword?: string } | null> {
    if ((await this.users.countAdmins()) > 0) return null;
    const username = this.config.get('ADMIN_USERNAME').trim().toLowerCase();
    const configured = this.config.get('ADMIN_PASSWORD');
    const password = configured ?? randomBytes(12).toString('base64url');
    try {
      await this.users.create({ username, password, displayName: 'Administrator', role: 'admin' });
    } catch (error) {
      // Another instance starting at the same moment created it first: that is fine.
      if (error instanceof ConflictError) {
        if ((await this.users.countAdmins()) === 0) {
          this.logger.warn(
            `No admin exists and "${username}" is taken by another role; set ADMIN_USERNAME`,
          );
        }
        return null;
      }
      throw error;
    }
    if (configured) {
      this.logger.log(`Created the first admin "${username}" from ADMIN_PASSWORD`);
      return { username };
    }
    // Printed once, on purpose: there is no other way to learn it.
    process.stdout.write(
      `\n  First admin created. Sign in as "${username}" with password: ${password}\n  (shown only now; change it after signing in)\n\n`,
    );
    return { username, generatedPassword: password };
  }
}
