import { Global, Module } from '@nestjs/common';
import { JobRunner } from './job-runner';

/** The runner every scheduled job goes through, one per instance (its counts are shared). */
@Global()
@Module({ providers: [JobRunner], exports: [JobRunner] })
export class JobsModule {}
