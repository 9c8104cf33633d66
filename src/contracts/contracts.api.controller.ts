import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContractsService } from './contracts.service';
import {
  contractFiltersOf,
  ContractExportQueryDto,
  ContractListQueryDto,
  contractPageQueryOf,
  ContractStatusDto,
} from './dto/contract-query';
import { ContractDetailView, ContractPage } from './dto/contract.view';
import { exportChoice } from '../common/csv/export-query';
import { sendTable } from '../common/csv/export-table';

/** The backoffice's contracts (../shared/DESIGN.md): list, export, detail, status workflow. */
@ApiTags('contracts')
@ApiBearerAuth()
@Controller('api/v1/contracts')
export class ContractsApiController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @Roles('backoffice', 'coordinator', 'admin', 'operator')
  @ApiOkResponse({ description: '{items, next}: newest first; an operator sees their own' })
  list(
    @Query() query: ContractListQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ContractPage> {
    return this.contracts.list(user, contractPageQueryOf(query));
  }

  // Declared before :id, which would otherwise take "export.csv" for an id.
  @Get(['export.csv', 'export'])
  @Roles('backoffice', 'coordinator', 'admin')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'the matching contracts, newest first: CSV (UTF-8 with BOM; dialect=plain|excel-it) or XLSX (format=xlsx)',
  })
  async export(
    @Query() query: ContractExportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const table = await this.contracts.exportTable(user, contractFiltersOf(query));
    await sendTable(res, table, exportChoice(query));
  }

  @Get(':id')
  @Roles('backoffice', 'coordinator', 'admin', 'operator')
  @ApiOkResponse({ description: 'the contract with lines, source call and status history' })
  @ApiNotFoundResponse({ description: 'no such contract (or, for an operator, not theirs)' })
  detail(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ContractDetailView> {
    return this.contracts.detail(user, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('backoffice', 'coordinator', 'admin')
  @ApiOkResponse({ description: 'the contract after the change' })
  @ApiConflictResponse({
    description: 'a move the workflow does not allow from the current status',
  })
  changeStatus(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: ContractStatusDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ContractDetailView> {
    return this.contracts.changeStatus(user, id, dto);
  }
}
