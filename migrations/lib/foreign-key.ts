import { TableForeignKeyOptions } from 'typeorm';

/** A named foreign key as the entities declare it (updates never cascade). */
export function foreignKey(
  name: string,
  column: string,
  table: string,
  onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL',
): TableForeignKeyOptions {
  return {
    name,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'NO ACTION',
  };
}
