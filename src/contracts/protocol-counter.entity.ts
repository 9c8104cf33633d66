import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last protocol number drawn per year. Drawing is an UPDATE of this row inside the
 * outcome's transaction: the row lock is held until commit, so numbers are consecutive in
 * commit order, and a rolled-back transaction gives its number back (invariant 4).
 */
@Entity('protocol_counters')
export class ProtocolCounter {
  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber!: number;
}
