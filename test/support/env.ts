import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs before each test file is loaded (configuration is validated when AppModule is
 * imported). Each Jest worker gets its own database: a SQLite file by default, or a
 * database `<name>_w<N>` beside TEST_DATABASE_URL on MySQL/MariaDB.
 */
const worker = process.env.JEST_WORKER_ID ?? '1';
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.DEMO = 'false';
// Real argon2id, at a memory cost that keeps hundreds of test users quick to create.
process.env.PASSWORD_HASH_MEMORY_KIB = '4096';
process.env.ADMIN_USERNAME = 'admin';
process.env.ADMIN_PASSWORD = 'admin-password-for-tests';
delete process.env.PORT;
process.env.DATA_DIR = join(tmpdir(), `esito-test-${process.pid}-w${worker}`);

const base = process.env.TEST_DATABASE_URL;
if (base) {
  const url = new URL(base);
  url.pathname = `/${url.pathname.slice(1) || 'esito_test'}_w${worker}`;
  process.env.DATABASE_URL = url.toString();
} else {
  delete process.env.DATABASE_URL;
}
