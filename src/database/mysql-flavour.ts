import { createConnection } from 'mysql2/promise';

/**
 * TypeORM reads MariaDB's catalogue differently from MySQL's (e.g. column defaults),
 * so the driver type must match the server behind a mysql:// URL.
 */
export async function detectMysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection(url);
  try {
    const [rows] = await connection.query<
      Array<{ version: string } & import('mysql2').RowDataPacket>
    >('SELECT VERSION() AS version');
    return rows[0]?.version.toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}
