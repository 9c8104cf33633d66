import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { fieldMessages } from '../common/http/validation.pipe';
import {
  DEFAULT_PROTOCOL_FORMAT,
  PROTOCOL_FORMAT_MAX_LENGTH,
  PROTOCOL_FORMAT_PATTERN,
  PROTOCOL_FORMAT_RULE,
} from '../contracts/protocol-format';

export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const toBoolean = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/** Every environment variable the app reads, validated once at boot. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^mysql:\/\/[^\s/]+\/[A-Za-z0-9_$-]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like mysql://user:pass@host:3306/database',
  })
  DATABASE_URL?: string;

  /** Galera's wsrep_sync_wait on every connection: auto = when the server is a Galera node. */
  @IsIn(['auto', 'on', 'off'])
  DATABASE_CAUSAL_READS: 'auto' | 'on' | 'off' = 'auto';

  @IsString()
  DATA_DIR = './data';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  ADMIN_USERNAME = 'admin';

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @IsIn(LANGUAGES)
  DEFAULT_LANGUAGE: Language = 'it';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(5)
  SESSION_TTL_MINUTES = 720;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  API_TOKEN_TTL_DAYS = 30;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_USERNAME = 5;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 300;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_MINUTES = 15;

  @Transform(toBoolean)
  @IsBoolean()
  COOKIE_SECURE = false;

  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Country assumed for phone numbers written without an international prefix. */
  @Matches(/^[A-Z]{2}$/, {
    message: 'DEFAULT_PHONE_COUNTRY must be a two-letter country code such as IT',
  })
  DEFAULT_PHONE_COUNTRY = 'IT';

  /** How long an operator keeps a contact without a sign of life from their page. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(120)
  LEASE_MINUTES = 5;

  /** How far ahead an operator's page announces their private callbacks (0: once due). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(120)
  CALLBACK_NOTICE_MINUTES = 5;

  /** Days past its due time after which a callback never called is given up (expired). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(365)
  CALLBACK_EXPIRE_DAYS = 14;

  /** argon2id memory per password hash, in KiB (64 MiB by default; tests lower it). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(4096)
  @Max(1_048_576)
  PASSWORD_HASH_MEMORY_KIB = 65536;

  /** The call centre's zone: the days of the report of operators' time in states. */
  @IsTimeZone({ message: 'TIMEZONE must be an IANA time zone such as Europe/Rome' })
  TIMEZONE = 'Europe/Rome';

  /** A contact open longer than this makes the operator's tile on the wall ask for attention. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(240)
  MONITOR_LONG_CONTACT_MINUTES = 10;

  /** Requests the public callback page books per visitor's address per hour (per campaign). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(10_000)
  CALLBACK_PAGE_MAX_PER_ADDRESS_HOUR = 10;

  /** Requests the public callback page books per phone number per 24 hours (per campaign). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100)
  CALLBACK_PAGE_MAX_PER_NUMBER_DAY = 3;

  /** The link a phone number becomes on the operator's page, for their softphone. */
  @IsIn(['tel', 'sip'])
  PHONE_LINK_SCHEME: 'tel' | 'sip' = 'tel';

  /** How protocol numbers are written: YYYY the campaign's year, N... the year's counter. */
  @MaxLength(PROTOCOL_FORMAT_MAX_LENGTH, { message: `PROTOCOL_FORMAT ${PROTOCOL_FORMAT_RULE}` })
  @Matches(PROTOCOL_FORMAT_PATTERN, { message: `PROTOCOL_FORMAT ${PROTOCOL_FORMAT_RULE}` })
  PROTOCOL_FORMAT = DEFAULT_PROTOCOL_FORMAT;

  /** The SMTP server follow-up e-mails go through; unset, the outbox keeps them queued. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, {
    message: 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465',
  })
  SMTP_URL?: string;

  /** The sender of follow-up e-mails. */
  @Matches(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: 'MAIL_FROM must be an address, optionally with a name: Esito <noreply@example.com>',
  })
  MAIL_FROM = 'Esito CRM <noreply@localhost>';

  /** Sending attempts of one follow-up e-mail before it is given up (failed). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 8;

  /**
   * Webhook URLs may point at private, loopback or link-local addresses (a receiver on the
   * same network). Off by default: an admin could otherwise make the server call inside it.
   */
  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOKS_ALLOW_PRIVATE = false;

  /** How long one webhook delivery waits for the receiver's answer before it counts as failed. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Attempts of one webhook delivery before it is given up (failed; an admin may retry it). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = 15;

  /**
   * Scheduled jobs this instance does not run, by name, comma-separated ("all": none runs),
   * e.g. an instance kept for pages only. Every job is safe to run on every instance.
   */
  @Matches(/^[a-z0-9-]*(?:\s*,\s*[a-z0-9-]+)*$/, {
    message:
      'JOBS_DISABLED must be job names separated by commas, e.g. wrap-up,auth-housekeeping, or all',
  })
  JOBS_DISABLED = '';

  /**
   * Turns GET /metrics on (Prometheus text): a scraper sends `Authorization: Bearer <token>`.
   * Unset, /metrics does not exist (404) and nothing is measured.
   */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,200}$/, {
    message: 'METRICS_TOKEN must be 16 to 200 printable characters without spaces',
  })
  METRICS_TOKEN?: string;

  @Transform(toBoolean)
  @IsBoolean()
  DEMO = false;
}

export type AppConfig = EnvironmentVariables;

/** Used by ConfigModule: fails fast, naming every wrong variable. */
export function validateEnvironment(raw: Record<string, unknown>): AppConfig {
  // An empty variable means "not set", so the default applies.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const config = plainToInstance(EnvironmentVariables, present);
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = Object.values(fieldMessages(errors));
    throw new Error(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  return config;
}
