import { QueryRunner, TableColumnOptions } from 'typeorm';

// Shared by every migration: changing what these return would rewrite history, so never do.

export function isMysql(queryRunner: QueryRunner): boolean {
  const type = queryRunner.connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/** SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY. */
export function idColumn(): TableColumnOptions {
  return {
    name: 'id',
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  };
}

/** Matches TypeORM's @CreateDateColumn({ type: 'datetime' }) on each dialect. */
export function createdAtColumn(queryRunner: QueryRunner, name = 'created_at'): TableColumnOptions {
  return isMysql(queryRunner)
    ? { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)' }
    : { name, type: 'datetime', default: "datetime('now')" };
}

/** Matches TypeORM's @UpdateDateColumn({ type: 'datetime' }) on each dialect. */
export function updatedAtColumn(queryRunner: QueryRunner, name = 'updated_at'): TableColumnOptions {
  return isMysql(queryRunner)
    ? {
        name,
        type: 'datetime',
        precision: 6,
        default: 'CURRENT_TIMESTAMP(6)',
        onUpdate: 'CURRENT_TIMESTAMP(6)',
      }
    : { name, type: 'datetime', default: "datetime('now')" };
}

/**
 * Matches @Column({ type: 'boolean' }): TypeORM maps it to a TINYINT of default width on
 * MySQL/MariaDB (declaring BOOLEAN would make MariaDB report TINYINT(1), a spurious diff).
 */
export function booleanColumn(
  queryRunner: QueryRunner,
  name: string,
  defaultValue?: boolean,
): TableColumnOptions {
  return {
    name,
    type: isMysql(queryRunner) ? 'tinyint' : 'boolean',
    ...(defaultValue === undefined ? {} : { default: defaultValue ? 1 : 0 }),
  };
}
