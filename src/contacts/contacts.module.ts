import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contact } from './contact.entity';
import { ContactImport } from './contact-import.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactImport])],
})
export class ContactsModule {}
