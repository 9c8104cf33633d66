import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { foreignKey } from './lib/foreign-key';
import { booleanColumn, createdAtColumn, idColumn, updatedAtColumn } from './lib/portable';

export class CreateAppointments1763900205000 implements MigrationInterface {
  name = 'CreateAppointments1763900205000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'appointments',
        columns: [
          idColumn(),
          { name: 'agent_id', type: 'integer' },
          { name: 'campaign_id', type: 'integer' },
          { name: 'contact_id', type: 'integer' },
          { name: 'operator_id', type: 'integer', isNullable: true },
          { name: 'starts_at', type: 'datetime' },
          { name: 'ends_at', type: 'datetime' },
          { name: 'state', type: 'varchar', length: '12', default: "'booked'" },
          booleanColumn(queryRunner, 'overlaps', false),
          { name: 'notes', type: 'text', isNullable: true },
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          { name: 'IDX_appointments_agent_starts', columnNames: ['agent_id', 'starts_at'] },
        ],
        foreignKeys: [
          foreignKey('FK_appointments_agent', 'agent_id', 'agents', 'RESTRICT'),
          foreignKey('FK_appointments_campaign', 'campaign_id', 'campaigns', 'CASCADE'),
          foreignKey('FK_appointments_contact', 'contact_id', 'contacts', 'CASCADE'),
          foreignKey('FK_appointments_operator', 'operator_id', 'users', 'SET NULL'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('appointments');
  }
}
