import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ContractReasonsService, type ContractReasonView } from './contract-reasons.service';
import { ContractReasonChanges, ContractReasonInput } from './dto/contract-reason-input';

/** The reasons a contract is suspended for: read by the backoffice, kept by the admins. */
@ApiTags('contracts')
@ApiBearerAuth()
@Controller('api/v1/contract-reasons')
export class ContractReasonsApiController {
  constructor(private readonly reasons: ContractReasonsService) {}

  @Get()
  @Roles('backoffice', 'coordinator', 'admin')
  @ApiOkResponse({ description: '[{id, code, label, active}]: active first' })
  list(): Promise<ContractReasonView[]> {
    return this.reasons.all();
  }

  @Post()
  @Roles('admin')
  create(@Body() input: ContractReasonInput): Promise<ContractReasonView> {
    return this.reasons.create(input);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() changes: ContractReasonChanges,
  ): Promise<ContractReasonView> {
    return this.reasons.update(id, changes);
  }
}
