import { Module } from '@nestjs/common';
import { ContactQueue } from './contact-queue';

/** The contacts' queue state, for every capability that moves a contact through it. */
@Module({ providers: [ContactQueue], exports: [ContactQueue] })
export class ContactQueueModule {}
