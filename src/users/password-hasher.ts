import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfigService } from '../config/app-config.service';

/**
 * argon2id. The memory cost is the library's recommended 64 MiB unless
 * PASSWORD_HASH_MEMORY_KIB says otherwise (the test suite lowers it: it creates hundreds of
 * users). A hash carries its own parameters, so changing it never locks anyone out.
 */
@Injectable()
export class PasswordHasher {
  constructor(private readonly config: AppConfigService) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.config.get('PASSWORD_HASH_MEMORY_KIB'),
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
