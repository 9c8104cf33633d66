import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DoNotCallNumber } from './do-not-call-number.entity';

@Module({
  imports: [TypeOrmModule.forFeature([DoNotCallNumber])],
})
export class DoNotCallModule {}
