import { createConnection, type RowDataPacket } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { isMysqlSource } from '../common/database/sql-dialect';
import { splitDatabaseUrl } from './failover-pool';

export interface MysqlServer {
  flavour: 'mysql' | 'mariadb';
  /** A node of a Galera cluster (`wsrep_on` is ON). */
  galera: boolean;
}

/**
 * TypeORM reads MariaDB's catalogue differently from MySQL's (e.g. column defaults), so the
 * driver type must match the server behind a mysql:// URL; and whether it is a Galera node
 * decides causal reads (resolveCausalReads). Asks the first host of the URL that answers.
 */
export async function detectMysqlServer(url: string): Promise<MysqlServer> {
  const { url: first, hosts } = splitDatabaseUrl(url);
  let lastError: unknown;
  for (const node of hosts.length > 0 ? hosts : [null]) {
    const target = new URL(first);
    if (node !== null) {
      target.hostname = node.host;
      target.port = String(node.port);
    }
    let connection;
    try {
      connection = await createConnection(target.toString());
    } catch (error) {
      lastError = error;
      continue;
    }
    try {
      const [rows] = await connection.query<Array<{ version: string } & RowDataPacket>>(
        'SELECT VERSION() AS version',
      );
      const [wsrep] = await connection.query<Array<{ Value: string } & RowDataPacket>>(
        "SHOW VARIABLES LIKE 'wsrep_on'",
      );
      return {
        flavour: rows[0]?.version.toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql',
        galera: wsrep[0]?.Value.toUpperCase() === 'ON',
      };
    } finally {
      await connection.end();
    }
  }
  throw lastError;
}

/** The MySQL flavour alone (the schema check). */
export async function detectMysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  return (await detectMysqlServer(url)).flavour;
}

/**
 * DATABASE_CAUSAL_READS: `auto` turns causal reads on for a Galera node and off elsewhere (a
 * single server reads its own writes anyway, and MySQL has no such variable); `on` insists
 * and refuses a server without `wsrep_sync_wait`; `off` never.
 */
export function resolveCausalReads(setting: 'auto' | 'on' | 'off', server: MysqlServer): boolean {
  if (setting === 'off') return false;
  if (setting === 'on' && server.flavour !== 'mariadb') {
    throw new Error(
      'DATABASE_CAUSAL_READS=on needs MariaDB (Galera): this server has no wsrep_sync_wait',
    );
  }
  return setting === 'on' || server.galera;
}

/** Whether the data source's server is a node of a Galera cluster (`wsrep_on` is ON). */
export async function isGaleraNode(dataSource: DataSource): Promise<boolean> {
  if (!isMysqlSource(dataSource)) return false;
  const rows = await dataSource.query<Array<{ Value: string }>>("SHOW VARIABLES LIKE 'wsrep_on'");
  return rows[0]?.Value.toUpperCase() === 'ON';
}
