import { validateEnvironment } from './app.config';

describe('validateEnvironment', () => {
  it('applies the defaults of a fresh machine: SQLite under ./data, port 3000, Italian', () => {
    const config = validateEnvironment({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      DEFAULT_LANGUAGE: 'it',
      DEMO: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads and converts the variables it knows, ignoring the rest of the environment', () => {
    const config = validateEnvironment({
      PORT: '8080',
      DATABASE_URL: 'mysql://crm:secret@db.internal:3306/esito',
      COOKIE_SECURE: 'true',
      DEMO: '1',
      HOME: '/root',
    });
    expect(config).toMatchObject({ PORT: 8080, COOKIE_SECURE: true, DEMO: true });
    expect(config).not.toHaveProperty('HOME');
  });

  it('leaves metrics off without METRICS_TOKEN, and refuses a short one naming it', () => {
    expect(validateEnvironment({}).METRICS_TOKEN).toBeUndefined();
    expect(validateEnvironment({ METRICS_TOKEN: 'a-long-enough-token-1' }).METRICS_TOKEN).toBe(
      'a-long-enough-token-1',
    );
    expect(() => validateEnvironment({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be/);
    expect(() => validateEnvironment({ METRICS_TOKEN: 'has spaces in the token' })).toThrow(
      /METRICS_TOKEN/,
    );
  });

  it('treats an empty variable as not set', () => {
    expect(validateEnvironment({ DATABASE_URL: '', PORT: '' })).toMatchObject({ PORT: 3000 });
  });

  it('takes the callback notice window (0-120 min) and expiry (1-365 days), naming them when wrong', () => {
    expect(validateEnvironment({})).toMatchObject({
      CALLBACK_NOTICE_MINUTES: 5,
      CALLBACK_EXPIRE_DAYS: 14,
    });
    expect(
      validateEnvironment({ CALLBACK_NOTICE_MINUTES: '0', CALLBACK_EXPIRE_DAYS: '365' }),
    ).toMatchObject({ CALLBACK_NOTICE_MINUTES: 0, CALLBACK_EXPIRE_DAYS: 365 });
    expect(() =>
      validateEnvironment({ CALLBACK_NOTICE_MINUTES: '121', CALLBACK_EXPIRE_DAYS: '0' }),
    ).toThrow(
      'Invalid configuration:\n  - CALLBACK_NOTICE_MINUTES must not be greater than 120\n  - CALLBACK_EXPIRE_DAYS must not be less than 1',
    );
  });

  it('fails fast naming every wrong variable, once each', () => {
    let message = '';
    try {
      validateEnvironment({
        PORT: 'eighty',
        DATABASE_URL: 'postgres://x/y',
        DEFAULT_LANGUAGE: 'de',
        ADMIN_PASSWORD: 'short',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  - PORT must be an integer number',
      '  - DATABASE_URL must look like mysql://user:pass@host:3306/database',
      '  - ADMIN_PASSWORD must be at least 8 characters',
      '  - DEFAULT_LANGUAGE must be one of the following values: it, en',
    ]);
  });

  it('takes a protocol number format with YYYY and one run of 4-10 N, naming PROTOCOL_FORMAT when wrong', () => {
    expect(validateEnvironment({}).PROTOCOL_FORMAT).toBe('YYYY/NNNNNN');
    expect(validateEnvironment({ PROTOCOL_FORMAT: 'ES-YYYY-NNNNNNN' }).PROTOCOL_FORMAT).toBe(
      'ES-YYYY-NNNNNNN',
    );
    for (const wrong of [
      'NNNNNN',
      'YYYY/NNN',
      'YYYY/NNNNNNNNNNN',
      'YYYY/NN-NNNN',
      'YY/NNNNNN',
      'YYYY NNNNNN',
      `${'x'.repeat(27)}YYYY/NNNNNN`,
    ]) {
      expect(() => validateEnvironment({ PROTOCOL_FORMAT: wrong })).toThrow(
        /^Invalid configuration:\n {2}- PROTOCOL_FORMAT must contain YYYY once/,
      );
    }
  });
});
