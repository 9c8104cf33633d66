import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** How many chats an operator has open, as the chat integration last reported it. */
@Entity('operator_chat_loads')
export class OperatorChatLoad {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_operator_chat_loads_user' })
  user?: User;

  @Column({ name: 'active_chats', type: 'integer', default: 0 })
  activeChats!: number;

  @Column({ name: 'reported_at', type: 'datetime' })
  reportedAt!: Date;
}
