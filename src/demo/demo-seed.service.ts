import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppConfigService } from '../config/app-config.service';
import { PasswordHasher } from '../users/password-hasher';
import type { Role } from '../common/access/role';
import { User } from '../users/user.entity';
import { ContactQueue } from '../contacts/contact-queue';
import {
  seedDemoCallbackOffer,
  seedDemoCatalogue,
  seedDemoContractReasons,
} from './demo-catalogue';

interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  languages: string[];
  /** The phone extension telephony events name (operators). */
  extension?: string;
}

/** Sign-ins for a demo: one user per role, passwords reset and printed at every demo start. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'admin',
    password: 'demo-admin',
    displayName: 'Alessandra Amministratrice',
    role: 'admin',
    languages: ['it', 'en'],
  },
  {
    username: 'coordinatore',
    password: 'demo-coord',
    displayName: 'Carlo Coordinatore',
    role: 'coordinator',
    languages: ['it'],
  },
  {
    username: 'operatore',
    password: 'demo-oper',
    displayName: 'Olga Operatrice',
    role: 'operator',
    languages: ['it', 'en'],
    extension: '201',
  },
  {
    username: 'operatore2',
    password: 'demo-oper2',
    displayName: 'Omar Operatore',
    role: 'operator',
    languages: ['it'],
    extension: '202',
  },
  {
    username: 'backoffice',
    password: 'demo-back',
    displayName: 'Bianca Backoffice',
    role: 'backoffice',
    languages: ['it'],
  },
];

@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly config: AppConfigService,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly queue: ContactQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('DEMO')) return;
    await this.seed();
    this.logger.log('demo data ready');
    const lines = DEMO_USERS.map(
      (u) => `    ${u.role.padEnd(12)} ${u.username.padEnd(14)} ${u.password}`,
    );
    process.stdout.write(
      `\n  Esito CRM demo on http://localhost:${this.config.get('PORT')}\n` +
        `    role         username       password\n${lines.join('\n')}\n` +
        `  Public callback page: http://localhost:${this.config.get('PORT')}/callback/FIBRA2026\n\n`,
    );
  }

  /** Idempotent: users are created or have their demo password, role and extension restored. */
  async seed(): Promise<void> {
    await this.seedUsers();
    const operators = await this.users.findBy({ role: 'operator', active: true });
    await this.dataSource.transaction(async (em) => {
      await seedDemoCatalogue(em, this.queue, operators);
      await seedDemoCallbackOffer(em);
      await seedDemoContractReasons(em);
    });
  }

  private async seedUsers(): Promise<void> {
    for (const demo of DEMO_USERS) {
      const existing = await this.users.findOneBy({ username: demo.username });
      await this.users.save(
        this.users.create({
          ...existing,
          username: demo.username,
          passwordHash: await this.hasher.hash(demo.password),
          displayName: demo.displayName,
          role: demo.role,
          languages: demo.languages,
          extension: demo.extension ?? existing?.extension ?? null,
          uiLanguage: existing?.uiLanguage ?? null,
          active: true,
          lastLoginAt: existing?.lastLoginAt ?? null,
        }),
      );
    }
  }
}
