import type { AppConfigService } from '../config/app-config.service';
import { PasswordHasher } from './password-hasher';

const hasherWith = (memoryKiB: number) =>
  new PasswordHasher({ get: () => memoryKiB } as unknown as AppConfigService);

describe('PasswordHasher', () => {
  it('hashes with argon2id at the configured memory cost, and verifies the password only', async () => {
    const hash = await hasherWith(4096).hash('segreto-123');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=4096,/);
    await expect(hasherWith(4096).verify(hash, 'segreto-123')).resolves.toBe(true);
    await expect(hasherWith(4096).verify(hash, 'segreto-124')).resolves.toBe(false);
  });

  it('verifies a hash made at another cost (its parameters travel with it)', async () => {
    const strong = await hasherWith(65536).hash('segreto-123');
    expect(strong).toMatch(/m=65536,/);
    await expect(hasherWith(4096).verify(strong, 'segreto-123')).resolves.toBe(true);
  });

  it('says false, not an error, for something that is not a hash', async () => {
    await expect(hasherWith(4096).verify('not-a-hash', 'x')).resolves.toBe(false);
  });
});
