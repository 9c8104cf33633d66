import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What one request sent to the database: every statement, in order. */
export interface Statements {
  sql: string[];
  /** Transactions begun (START TRANSACTION / BEGIN). */
  transactions: number;
}

/**
 * Counts the SQL statements the app sends while `work` runs, the way Django's
 * `assertNumQueries` does: TypeORM hands every statement, transaction control included, to
 * its logger before sending it, whatever the logging level.
 */
export async function statementsOf(
  app: INestApplication,
  work: () => Promise<unknown>,
): Promise<Statements> {
  const logger = app.get(DataSource).logger;
  const original = logger.logQuery;
  const sql: string[] = [];
  logger.logQuery = (query, parameters, runner) => {
    // An instance asks whether campaign configuration changed at most twice a second,
    // whatever its load (campaign-config.ts): not a statement of the request that happens
    // to come first. The one a transaction reads to check its rule is counted.
    const periodic = /config_versions/.test(query) && !runner?.isTransactionActive;
    if (!periodic) sql.push(query);
    original.call(logger, query, parameters, runner);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  const transactions = sql.filter((s) => /^\s*(START TRANSACTION|BEGIN)/i.test(s)).length;
  return { sql, transactions };
}

/** "SELECT contacts, INSERT contact_leases, ...": a list of statements, briefly. */
export function describeStatements(sql: string[]): string {
  return sql
    .map((s) => {
      const verb = s.trim().split(/\s+/)[0]!.toUpperCase();
      const table = /(?:FROM|INTO|UPDATE)\s+[`"]?(\w+)[`"]?/i.exec(s)?.[1];
      return table ? `${verb} ${table}` : s.trim().slice(0, 40);
    })
    .join('\n  ');
}
