import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A named point that transactions which must not interleave write before they read (see
 * serialiseOn in row-lock.ts): the rule they check spans rows none of them writes, such as
 * "one active admin remains", so a read lock would serialise them on one server only.
 */
@Entity('serialisation_points')
export class SerialisationPoint {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  /** Goes up with every transaction that passes the point: the write that conflicts. */
  @Column({ type: 'integer', default: 0 })
  version!: number;
}
