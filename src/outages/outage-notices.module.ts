import { Module } from '@nestjs/common';
import { OutageNotices } from './outage-notices';

/** The outage e-mail sent instead of a call; used at dispatch and after an import. */
@Module({ providers: [OutageNotices], exports: [OutageNotices] })
export class OutageNoticesModule {}
