import { PartialType } from '@nestjs/swagger';
import { CreateAgentDto } from './create-agent.dto';

/** Any subset; zones and workingHours replace the stored lists; null clears email or phone. */
export class UpdateAgentDto extends PartialType(CreateAgentDto) {}
