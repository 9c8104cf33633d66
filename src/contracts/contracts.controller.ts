import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { ErrorResponse } from '../common/errors/error-response';
import { exportChoice } from '../common/csv/export-query';
import { sendTable } from '../common/csv/export-table';
import {
  FormPage,
  type FormPageOptions,
  ListPage,
  type PageRedirect,
  type RefusedInPlace,
  type Say,
  savedTo,
} from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FlashMessage, FormState } from '../common/http/request-context';
import { CONTRACT_STATES } from './contract.entity';
import { contractListPage, contractPage, refusedContractListPage } from './contracts.page';
import { ContractReasonsService } from './contract-reasons.service';
import { ContractsService } from './contracts.service';
import {
  contractFiltersOf,
  ContractExportQueryDto,
  ContractListQueryDto,
  contractPageQueryOf,
  ContractStatusDto,
} from './dto/contract-query';

/** Someone else moved it first, or a stale page offered a move no longer allowed. */
function transitionRefused(refusal: ErrorResponse, say: Say): FlashMessage {
  const state = (s: unknown) =>
    typeof s === 'string' && (CONTRACT_STATES as readonly string[]).includes(s)
      ? (say(`contracts.states.${s}`) ?? s)
      : String(s);
  return {
    type: 'error',
    text: 'contracts.errors.transition',
    args: {
      from: state(refusal.details?.currentStatus),
      to: state(refusal.details?.requestedStatus),
    },
  };
}

/** A refused move comes back to the contract page, said beside the field. */
const STATUS_FORM: FormPageOptions = {
  back: '/contracts/:id',
  fields: {
    reason: 'contracts.errors.reasonRequired',
    reasonCode: 'contracts.errors.suspendReasonRequired',
    status: 'contracts.errors.status',
  },
  statusKeys: { 409: transitionRefused },
  values: (req: Request) => {
    const body = (req.body as Record<string, unknown> | undefined) ?? {};
    const text = (value: unknown, max: number) =>
      typeof value === 'string' ? value.slice(0, max) : '';
    return {
      reason: text(body.reason, 500),
      reasonCode: text(body.reasonCode, 32),
      status: text(body.status, 12),
    };
  },
};

/**
 * The backoffice's contract pages: the list with its filters, paging and CSV export, one
 * contract with its lines and history, and the status actions (Post/Redirect/Get).
 */
@ApiExcludeController()
@Roles('backoffice', 'coordinator', 'admin')
@Controller('contracts')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly reasons: ContractReasonsService,
  ) {}

  @Get()
  @ListPage({ inPlace: 'refusedFilter' })
  async index(
    @Query() query: ContractListQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const [options, page] = await Promise.all([
      this.contracts.filterOptions(),
      this.contracts.list(user, contractPageQueryOf(query)),
    ]);
    res.render('contracts/index', contractListPage(req.query, options, page, user.uiLanguage));
  }

  /** A wrong filter is shown beside it (400), with the form still there to correct it. */
  async refusedFilter(req: Request, res: Response, { refusal }: RefusedInPlace): Promise<void> {
    const options = await this.contracts.filterOptions();
    const [field, message] = Object.entries(refusal.fields ?? {})[0] ?? ['form', ''];
    res.render('contracts/index', refusedContractListPage(req.query, options, { field, message }));
  }

  // Declared before :id, which would otherwise take "export.csv" for an id.
  @Get(['export.csv', 'export'])
  async export(
    @Query() query: ContractExportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const table = await this.contracts.exportTable(user, contractFiltersOf(query));
    await sendTable(res, table, exportChoice(query));
  }

  @Get(':id')
  @Render('contracts/show')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const contract = await this.contracts.detail(user, id);
    const [zone, reasons] = await Promise.all([
      this.contracts.campaignZone(contract.campaign?.id ?? 0),
      this.reasons.active(),
    ]);
    return contractPage(contract, zone, user, res.locals.form as FormState | undefined, reasons);
  }

  /** One step of the workflow. */
  @Post(':id/status')
  @FormPage(STATUS_FORM)
  async changeStatus(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: ContractStatusDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    const contract = await this.contracts.changeStatus(user, id, form);
    return savedTo(`/contracts/${id}`, `contracts.changed.${contract.status}`, {
      protocol: contract.protocolNumber,
    });
  }
}
