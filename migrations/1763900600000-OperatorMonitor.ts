import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { createdAtColumn, idColumn } from './lib/portable';

/** The pause reasons a new installation starts with; admins add, rename or archive them. */
const PAUSE_REASONS: Array<[code: string, label: string, labelEn: string, maxMinutes: number]> = [
  ['pausa', 'Pausa', 'Break', 15],
  ['formazione', 'Formazione', 'Training', 120],
  ['riunione', 'Riunione', 'Meeting', 60],
];

/** Interactions read per round of the backfill of the hourly outcome counts. */
const BACKFILL_BATCH = 5000;

/**
 * The coordinators' wall and reports: operator states and pause reasons, seconds per state
 * per day, outcomes per local hour and status (backfilled from the interactions), and the
 * operators' team.
 *
 * MySQL commits each DDL at once: every step skips what is already there, so a run that
 * died halfway can simply run again.
 */
export class OperatorMonitor1763900600000 implements MigrationInterface {
  name = 'OperatorMonitor1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const users = await queryRunner.getTable('users');
    if (!users?.findColumnByName('team')) {
      await queryRunner.addColumn(
        'users',
        new TableColumn({ name: 'team', type: 'varchar', length: '60', isNullable: true }),
      );
    }
    if (!(await queryRunner.hasTable('pause_reasons'))) {
      await queryRunner.createTable(
        new Table({
          name: 'pause_reasons',
          columns: [
            idColumn(),
            { name: 'code', type: 'varchar', length: '32' },
            { name: 'label', type: 'varchar', length: '80' },
            { name: 'label_en', type: 'varchar', length: '80', isNullable: true },
            { name: 'max_minutes', type: 'integer', isNullable: true },
            { name: 'position', type: 'integer', default: 0 },
            { name: 'archived_at', type: 'datetime', isNullable: true },
            createdAtColumn(queryRunner),
          ],
          indices: [{ name: 'UQ_pause_reasons_code', columnNames: ['code'], isUnique: true }],
        }),
      );
      for (const [position, [code, label, labelEn, maxMinutes]] of PAUSE_REASONS.entries()) {
        await queryRunner.query(
          'INSERT INTO pause_reasons (code, label, label_en, max_minutes, position) VALUES (?, ?, ?, ?, ?)',
          [code, label, labelEn, maxMinutes, position + 1],
        );
      }
    }
    if (!(await queryRunner.hasTable('operator_states'))) {
      await queryRunner.createTable(
        new Table({
          name: 'operator_states',
          columns: [
            { name: 'user_id', type: 'integer', isPrimary: true },
            { name: 'state', type: 'varchar', length: '12' },
            { name: 'pause_reason_id', type: 'integer', isNullable: true },
            { name: 'since', type: 'datetime' },
            { name: 'seen_at', type: 'datetime', isNullable: true },
            { name: 'last_status_id', type: 'integer', isNullable: true },
            { name: 'last_campaign_id', type: 'integer', isNullable: true },
            { name: 'last_outcome_at', type: 'datetime', isNullable: true },
            { name: 'recent', type: 'varchar', length: '1000', isNullable: true },
          ],
        }),
      );
      // Each operator's last outcome, so the wall has a colour from the first minute.
      await queryRunner.query(
        `INSERT INTO operator_states (user_id, state, since, last_status_id, last_campaign_id, last_outcome_at)
         SELECT i.operator_id, 'logged_out', i.created_at, i.status_id, i.campaign_id, i.created_at
         FROM interactions i
         JOIN (SELECT operator_id, MAX(id) AS id FROM interactions WHERE operator_id IS NOT NULL GROUP BY operator_id) last
           ON last.id = i.id`,
      );
    }
    if (!(await queryRunner.hasTable('operator_state_days'))) {
      await queryRunner.createTable(
        new Table({
          name: 'operator_state_days',
          columns: [
            { name: 'day', type: 'varchar', length: '10', isPrimary: true },
            { name: 'user_id', type: 'integer', isPrimary: true },
            { name: 'state', type: 'varchar', length: '12', isPrimary: true },
            { name: 'pause_reason_id', type: 'integer', isPrimary: true },
            { name: 'seconds', type: 'integer', default: 0 },
          ],
        }),
      );
    }
    if (!(await queryRunner.hasTable('outcome_hours'))) {
      await queryRunner.createTable(
        new Table({
          name: 'outcome_hours',
          columns: [
            { name: 'day', type: 'varchar', length: '10', isPrimary: true },
            { name: 'hour', type: 'smallint', isPrimary: true },
            { name: 'campaign_id', type: 'integer', isPrimary: true },
            { name: 'operator_id', type: 'integer', isPrimary: true },
            { name: 'status_id', type: 'integer', isPrimary: true },
            { name: 'count', type: 'integer', default: 0 },
          ],
          indices: [{ name: 'IDX_outcome_hours_operator', columnNames: ['operator_id', 'day'] }],
        }),
      );
      await this.backfillOutcomeHours(queryRunner);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outcome_hours');
    await queryRunner.dropTable('operator_state_days');
    await queryRunner.dropTable('operator_states');
    await queryRunner.dropTable('pause_reasons');
    await queryRunner.dropColumn('users', 'team');
  }

  /** Counts the interactions so far by their campaign's local day and hour. */
  private async backfillOutcomeHours(queryRunner: QueryRunner): Promise<void> {
    const zones = new Map<number, string>(
      (
        (await queryRunner.query('SELECT id, timezone FROM campaigns')) as Array<{
          id: number;
          timezone: string;
        }>
      ).map((c) => [Number(c.id), c.timezone]),
    );
    const formats = new Map<string, Intl.DateTimeFormat>();
    const localHour = (at: Date, zone: string): [string, number] => {
      let format = formats.get(zone);
      if (!format) {
        format = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          hourCycle: 'h23',
        });
        formats.set(zone, format);
      }
      const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
      return [`${parts.year}-${parts.month}-${parts.day}`, Number(parts.hour)];
    };
    const counts = new Map<string, number>();
    let after = 0;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, campaign_id, operator_id, status_id, created_at FROM interactions
         WHERE id > ? AND operator_id IS NOT NULL ORDER BY id LIMIT ${BACKFILL_BATCH}`,
        [after],
      )) as Array<{
        id: number;
        campaign_id: number;
        operator_id: number;
        status_id: number;
        created_at: Date | string;
      }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        const created =
          row.created_at instanceof Date
            ? row.created_at
            : new Date(`${row.created_at.replace(' ', 'T')}Z`);
        const zone = zones.get(Number(row.campaign_id)) ?? 'Europe/Rome';
        const [day, hour] = localHour(created, zone);
        const key = [day, hour, row.campaign_id, row.operator_id, row.status_id].join('|');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      after = Number(rows[rows.length - 1]!.id);
    }
    const entries = [...counts.entries()];
    for (let i = 0; i < entries.length; i += 500) {
      const chunk = entries.slice(i, i + 500);
      await queryRunner.query(
        `INSERT INTO outcome_hours (day, hour, campaign_id, operator_id, status_id, count) VALUES ${chunk
          .map(() => '(?, ?, ?, ?, ?, ?)')
          .join(', ')}`,
        chunk.flatMap(([key, count]) => [...key.split('|'), count]),
      );
    }
  }
}
