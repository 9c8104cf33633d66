import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const ACTIVE = "('scheduled', 'due', 'in_progress')";

/**
 * One active callback per phone number across campaigns: `callbacks.active_phone` holds the
 * contact's number while the callback is active and is null once it is closed, under a
 * unique index, so two callbacks written for one number at once conflict (on a Galera
 * cluster too, where a locking read would not). Numbers that already have several active
 * callbacks keep the newest; the older ones are cancelled as the product now does, with a
 * line in their notes and in the audit trail, and a contact left waiting for one leaves the
 * queue (final), as after a coordinator's cancellation.
 */
export class OneActiveCallbackPerPhone1766200000000 implements MigrationInterface {
  name = 'OneActiveCallbackPerPhone1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('callbacks');
    if (table?.findColumnByName('active_phone')) return;
    await queryRunner.addColumn(
      'callbacks',
      new TableColumn({ name: 'active_phone', type: 'varchar', length: '20', isNullable: true }),
    );
    type Double = { id: number | string; phone: string; contact_id: number | string };
    const doubles = (await queryRunner.query(
      `SELECT cb.id, c.phone, cb.contact_id FROM callbacks cb
         JOIN contacts c ON c.id = cb.contact_id
         WHERE cb.state IN ${ACTIVE} AND c.phone IN (
           SELECT c2.phone FROM callbacks cb2 JOIN contacts c2 ON c2.id = cb2.contact_id
           WHERE cb2.state IN ${ACTIVE} GROUP BY c2.phone HAVING COUNT(*) > 1)
         ORDER BY c.phone, cb.id DESC`,
    )) as Double[];
    const kept = new Map<string, number>();
    const note =
      'Annullata: una richiamata più recente dello stesso numero la sostituisce (cancelled: a newer callback of the same number replaces it).';
    const concat =
      queryRunner.connection.options.type === 'better-sqlite3'
        ? "notes || '\n' || ?"
        : "CONCAT(notes, '\n', ?)";
    for (const row of doubles) {
      const id = Number(row.id);
      const newest = kept.get(row.phone);
      if (newest === undefined) {
        kept.set(row.phone, id);
        continue;
      }
      await queryRunner.query(
        `UPDATE callbacks SET state = 'cancelled', closed_at = CURRENT_TIMESTAMP,
           notes = CASE WHEN notes IS NULL THEN ? ELSE ${concat} END WHERE id = ?`,
        [note, note, id],
      );
      await queryRunner.query(
        "UPDATE contacts SET state = 'final', next_call_at = NULL WHERE id = ? AND state = 'callback'",
        [Number(row.contact_id)],
      );
      await queryRunner.query(
        `INSERT INTO audit_log (user_id, action, entity, entity_id, detail) VALUES (NULL, 'callback.replaced', 'callback', ?, ?)`,
        [id, `cancelled when one active callback per number began: callback ${newest} is newer`],
      );
    }
    await queryRunner.query(
      `UPDATE callbacks SET active_phone =
         (SELECT c.phone FROM contacts c WHERE c.id = callbacks.contact_id)
       WHERE state IN ${ACTIVE}`,
    );
    await queryRunner.createIndex(
      'callbacks',
      new TableIndex({
        name: 'UQ_callbacks_active_phone',
        columnNames: ['active_phone'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('callbacks', 'UQ_callbacks_active_phone');
    await queryRunner.dropColumn('callbacks', 'active_phone');
  }
}
