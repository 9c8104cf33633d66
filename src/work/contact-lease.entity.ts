import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { Contact, type ContactState } from '../contacts/contact.entity';
import { User } from '../users/user.entity';

/**
 * A contact handed to one operator (invariant 1): the primary key keeps it to one operator,
 * the unique user_id to one contact per operator. The page renews it; the lease job
 * releases it when it expires. `draft` is what the operator has entered so far, so a
 * reload or a crashed browser loses nothing while the lease lives.
 */
@Entity('contact_leases')
export class ContactLease {
  @PrimaryColumn({ name: 'contact_id', type: 'integer' })
  contactId!: number;

  @OneToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_contact_leases_contact' })
  contact?: Contact;

  @Index('UQ_contact_leases_user', { unique: true })
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_contact_leases_user' })
  user?: User;

  @Column({ name: 'campaign_id', type: 'integer' })
  campaignId!: number;

  /** The callback being worked, when the contact came as one. */
  @Column({ name: 'callback_id', type: 'integer', nullable: true })
  callbackId!: number | null;

  /** The contact's state before the lease, given back when it ends without an outcome. */
  @Column({ name: 'previous_state', type: 'varchar', length: 16 })
  previousState!: ContactState;

  @Column({ name: 'started_at', type: 'datetime' })
  startedAt!: Date;

  @Index('IDX_contact_leases_expires')
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;

  /**
   * When the campaign's wrap-up status is confirmed for the operator, if they have not
   * confirmed one by then: set when the call ends, gone with the lease.
   */
  @Index('IDX_contact_leases_wrap_up')
  @Column({ name: 'wrap_up_at', type: 'datetime', nullable: true })
  wrapUpAt!: Date | null;

  /** JSON as the page sent it (it is checked on confirm, not here). */
  @Column({ type: 'text', nullable: true })
  draft!: string | null;
}
