import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { booleanColumn, createdAtColumn, idColumn, isMysql } from './lib/portable';

/** Rows per backfill UPDATE: a million contracts never make one huge statement. */
const BACKFILL_BATCH = 10_000;

const CUSTOMER_COLUMNS = [
  { name: 'customer_first_name', key: 'firstName', length: 100 },
  { name: 'customer_last_name', key: 'lastName', length: 100 },
  { name: 'customer_phone', key: 'phone', length: 20 },
] as const;

const LIST_INDEXES = [
  { name: 'IDX_contracts_status_created', columnNames: ['status', 'created_at', 'id'] },
  { name: 'IDX_contracts_campaign_created', columnNames: ['campaign_id', 'created_at', 'id'] },
  { name: 'IDX_contracts_customer_phone', columnNames: ['customer_phone'] },
  { name: 'IDX_contracts_customer_last_name', columnNames: ['customer_last_name'] },
];

/**
 * The backoffice's contracts: the customer's names and phone as searchable columns
 * (backfilled from the JSON snapshot), when the status last changed, the indexes that keep
 * the newest-first list an index range, the status history, and price overrides (per line,
 * and the status flag that allows them).
 *
 * One migration for one feature, but MySQL commits each DDL at once: every step skips what
 * is already there, so a run that died halfway can simply run again.
 */
export class ContractsBackoffice1763900300000 implements MigrationInterface {
  name = 'ContractsBackoffice1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const contracts = await queryRunner.getTable('contracts');
    const missing = [
      ...CUSTOMER_COLUMNS.map(
        (c) =>
          new TableColumn({
            name: c.name,
            type: 'varchar',
            length: String(c.length),
            default: "''",
          }),
      ),
      new TableColumn({ name: 'status_changed_at', type: 'datetime', isNullable: true }),
    ].filter((column) => !contracts?.findColumnByName(column.name));
    // One call: SQLite rebuilds the table once for all of them.
    if (missing.length > 0) await queryRunner.addColumns('contracts', missing);
    await this.backfillCustomers(queryRunner);

    const indexed = await queryRunner.getTable('contracts');
    const newIndexes = LIST_INDEXES.filter(
      (index) => !indexed?.indices.some((i) => i.name === index.name),
    ).map((index) => new TableIndex(index));
    if (newIndexes.length > 0) await queryRunner.createIndices('contracts', newIndexes);

    const lines = await queryRunner.getTable('contract_lines');
    if (!lines?.findColumnByName('price_overridden')) {
      await queryRunner.addColumn(
        'contract_lines',
        new TableColumn(booleanColumn(queryRunner, 'price_overridden', false)),
      );
    }
    const statuses = await queryRunner.getTable('outcome_statuses');
    if (!statuses?.findColumnByName('allow_price_override')) {
      await queryRunner.addColumn(
        'outcome_statuses',
        new TableColumn(booleanColumn(queryRunner, 'allow_price_override', false)),
      );
    }

    if (!(await queryRunner.hasTable('contract_status_changes'))) {
      await queryRunner.createTable(
        new Table({
          name: 'contract_status_changes',
          columns: [
            idColumn(),
            { name: 'contract_id', type: 'integer' },
            { name: 'from_status', type: 'varchar', length: '12', isNullable: true },
            { name: 'to_status', type: 'varchar', length: '12' },
            { name: 'reason', type: 'varchar', length: '500', isNullable: true },
            { name: 'user_id', type: 'integer', isNullable: true },
            createdAtColumn(queryRunner, 'at'),
          ],
          indices: [
            { name: 'IDX_contract_status_changes_contract', columnNames: ['contract_id', 'id'] },
          ],
          foreignKeys: [
            foreignKey(
              'FK_contract_status_changes_contract',
              'contract_id',
              'contracts',
              'CASCADE',
            ),
            foreignKey('FK_contract_status_changes_user', 'user_id', 'users', 'SET NULL'),
          ],
        }),
      );
    }
    // The contracts closed before the history existed: their close, and where they stand.
    const started = (await queryRunner.query(
      'SELECT id FROM contract_status_changes LIMIT 1',
    )) as unknown[];
    if (started.length === 0) {
      await queryRunner.query(
        `INSERT INTO contract_status_changes (contract_id, from_status, to_status, reason, user_id, at)
         SELECT id, NULL, 'new', NULL, operator_id, created_at FROM contracts`,
      );
      await queryRunner.query(
        `INSERT INTO contract_status_changes (contract_id, from_status, to_status, reason, user_id, at)
         SELECT id, 'new', status, 'recorded before the status history existed', NULL, updated_at
         FROM contracts WHERE status <> 'new'`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contract_status_changes', true);
    await queryRunner.dropColumn('outcome_statuses', 'allow_price_override');
    await queryRunner.dropColumn('contract_lines', 'price_overridden');
    if (isMysql(queryRunner)) {
      // MySQL let the new (campaign_id, ...) index serve the campaign foreign key and dropped
      // the one it had made for it: the key has to go while its index does, then come back.
      await queryRunner.dropForeignKey('contracts', 'FK_contracts_campaign');
      await queryRunner.dropIndices(
        'contracts',
        LIST_INDEXES.map((index) => new TableIndex(index)),
      );
      await queryRunner.createForeignKey(
        'contracts',
        new TableForeignKey(
          foreignKey('FK_contracts_campaign', 'campaign_id', 'campaigns', 'RESTRICT'),
        ),
      );
    } else {
      await queryRunner.dropIndices(
        'contracts',
        LIST_INDEXES.map((index) => new TableIndex(index)),
      );
    }
    await queryRunner.dropColumns('contracts', [
      ...CUSTOMER_COLUMNS.map((c) => c.name),
      'status_changed_at',
    ]);
  }

  /** Copies names and phone out of the JSON snapshot, and the close time as the last change. */
  private async backfillCustomers(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner);
    const field = (key: string, length: number) =>
      mysql
        ? `COALESCE(LEFT(JSON_UNQUOTE(JSON_EXTRACT(customer, '$.${key}')), ${length}), '')`
        : `COALESCE(substr(json_extract(customer, '$.${key}'), 1, ${length}), '')`;
    const set = [
      ...CUSTOMER_COLUMNS.map((c) => `${c.name} = ${field(c.key, c.length)}`),
      'status_changed_at = COALESCE(status_changed_at, created_at)',
    ].join(', ');
    const [range] = (await queryRunner.query(
      'SELECT MIN(id) AS low, MAX(id) AS high FROM contracts',
    )) as Array<{ low: number | string | null; high: number | string | null }>;
    if (!range || range.low === null || range.high === null) return;
    const high = Number(range.high);
    for (let from = Number(range.low) - 1; from < high; from += BACKFILL_BATCH) {
      await queryRunner.query(`UPDATE contracts SET ${set} WHERE id > ? AND id <= ?`, [
        from,
        from + BACKFILL_BATCH,
      ]);
    }
  }
}
