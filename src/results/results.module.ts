import { Module } from '@nestjs/common';
import { ResultsApiController } from './results.api.controller';
import { ResultsController } from './results.controller';
import { ResultsFileService } from './results-file.service';

/** The results file ("esitazione"): one row per call of a campaign, as CSV or XLSX. */
@Module({
  controllers: [ResultsApiController, ResultsController],
  providers: [ResultsFileService],
  exports: [ResultsFileService],
})
export class ResultsModule {}
