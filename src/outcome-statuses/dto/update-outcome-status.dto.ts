import { PartialType } from '@nestjs/swagger';
import { CreateOutcomeStatusDto } from './create-outcome-status.dto';

/** Any subset of the fields; null clears an optional one (labelEn, quickOrder, the retry rule). */
export class UpdateOutcomeStatusDto extends PartialType(CreateOutcomeStatusDto) {}
