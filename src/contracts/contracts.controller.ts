import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { formatDecimal } from '../common/decimal-string';
import { ValidationError } from '../common/errors/domain-errors';
import { pageRefusal } from '../common/errors/error-response';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import type { AuthenticatedUser, FormState } from '../common/http/request-context';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { toZonedLocal } from '../common/time/local-time';
import { CONTRACT_STATES, CONTRACT_TRANSITIONS, type ContractState } from './contract.entity';
import { ContractsService } from './contracts.service';
import {
  ContractStatusDto,
  LIST_TIME_ZONE,
  readContractFilters,
  readContractPageQuery,
} from './dto/contract-query';
import type { ContractDetailView } from './dto/contract.view';
import { datedFileName, sendCsv } from '../common/http/csv-download';

/** The filters the list page keeps in its links (paging, export). */
const FILTER_FIELDS = ['status', 'from', 'to', 'campaignId', 'operatorId', 'q', 'limit'] as const;
/** Pages a "previous" link can walk back through (each one is a cursor in the URL). */
const MAX_TRAIL = 50;
/** The first page in the trail of visited pages (it has no cursor). */
const FIRST_PAGE = '~';
const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,200}$/;

/** "2026-11-30T11:05" → "30/11/2026 11:05" (both languages write days first). */
function wallClock(iso: string, zone: string): string {
  const local = toZonedLocal(new Date(iso), zone);
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The pages' own wording of a refused field (the service speaks English, for the API). */
const FIELD_KEYS: Record<string, string> = {
  reason: 'contracts.errors.reasonRequired',
  status: 'contracts.errors.status',
};

/**
 * The backoffice's contract pages: the list with its filters, paging and CSV export, one
 * contract with its lines and history, and the status actions (Post/Redirect/Get).
 */
@ApiExcludeController()
@Roles('backoffice', 'coordinator', 'admin')
@Controller('contracts')
export class ContractsController {
  private readonly validation = new AppValidationPipe();

  constructor(
    private readonly contracts: ContractsService,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  @Render('contracts/index')
  async index(
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const lang = user.uiLanguage;
    const query = filledIn(raw);
    const text = (field: string) => (typeof query[field] === 'string' ? query[field] : '');
    const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)]));
    const options = await this.contracts.filterOptions();
    const zones = new Map(options.campaigns.map((c) => [c.id, c.timezone]));
    const view = {
      title: 'contracts.list.title',
      filters,
      filtered: FILTER_FIELDS.some((f) => f !== 'limit' && filters[f] !== ''),
      states: CONTRACT_STATES.map((s) => ({ value: s, selected: filters.status === s })),
      campaigns: markSelected(options.campaigns, filters.campaignId),
      operators: markSelected(options.operators, filters.operatorId),
      exportQuery: queryString({ ...filters, limit: undefined }),
    };

    let page;
    try {
      page = await this.contracts.list(user, readContractPageQuery(query));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A wrong filter is shown beside it, with the form still there to correct it.
      res.status(400);
      const key = / must be after /.test(error.message)
        ? 'contracts.filters.toBeforeFrom'
        : 'contracts.filters.invalid';
      return { ...view, filterError: { field: error.field, key }, items: [], paged: false };
    }

    const after = text('after');
    const trail = text('trail')
      .split('.')
      .filter((entry) => entry === FIRST_PAGE || CURSOR_TEXT.test(entry))
      .slice(-MAX_TRAIL);
    const link = (cursor: string | undefined, pages: string[]) => {
      const search = queryString({
        ...filters,
        after: cursor,
        trail: pages.length > 0 ? pages.join('.') : undefined,
      });
      return search ? `/contracts?${search}` : '/contracts';
    };
    let previous: string | null = null;
    if (after !== '') {
      // Back to the page this one was reached from (the first page when nothing says which).
      const back = trail[trail.length - 1];
      previous = link(back === FIRST_PAGE ? undefined : back, trail.slice(0, -1));
    }
    const next = page.next
      ? link(page.next, [...trail, after === '' ? FIRST_PAGE : after].slice(-MAX_TRAIL))
      : null;

    return {
      ...view,
      items: page.items.map((item) => {
        const zone = (item.campaign && zones.get(item.campaign.id)) ?? LIST_TIME_ZONE;
        return {
          ...item,
          dateText: wallClock(item.createdAt, zone),
          zone: zone === LIST_TIME_ZONE ? null : zone,
          totalText: formatDecimal(item.total, lang),
        };
      }),
      paged: next !== null || previous !== null,
      next,
      previous,
    };
  }

  // Declared before :id, which would otherwise take "export.csv" for an id.
  @Get('export.csv')
  async export(
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const rows = await this.contracts.exportRows(user, readContractFilters(filledIn(raw)));
    await sendCsv(res, datedFileName('contracts'), rows);
  }

  @Get(':id')
  @Render('contracts/show')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const contract = await this.contracts.detail(user, id);
    const zone = await this.contracts.campaignZone(contract.campaign?.id ?? 0);
    const form = res.locals.form as FormState | undefined;
    return {
      title: 'contracts.show.title',
      ...this.contractPage(contract, zone, user),
      reasonTyped: typeof form?.values.reason === 'string' ? form.values.reason : '',
      cancelOpen: Boolean(form?.errors.reason),
    };
  }

  /** One step of the workflow; a refusal comes back to the contract page, said beside the field. */
  @Post(':id/status')
  async changeStatus(
    @Param('id', new IdParamPipe()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const lang = user.uiLanguage;
    const state = (s: unknown) =>
      typeof s === 'string' && (CONTRACT_STATES as readonly string[]).includes(s)
        ? String(this.i18n.t(`contracts.states.${s}`, { lang }))
        : String(s);
    try {
      const dto = (await this.validation.transform(body, {
        type: 'body',
        metatype: ContractStatusDto,
      })) as ContractStatusDto;
      const contract = await this.contracts.changeStatus(user, id, dto);
      req.session.flash = [
        {
          type: 'success',
          text: `contracts.changed.${contract.status}`,
          args: { protocol: contract.protocolNumber },
        },
      ];
    } catch (error) {
      const refusal = pageRefusal(error);
      if (refusal.statusCode === 409) {
        // Someone else moved it first, or a stale page offered a move no longer allowed.
        req.session.flash = [
          {
            type: 'error',
            text: 'contracts.errors.transition',
            args: {
              from: state(refusal.details?.currentStatus),
              to: state(refusal.details?.requestedStatus),
            },
          },
        ];
      } else {
        const errors = Object.fromEntries(
          Object.entries(refusal.fields ?? { status: String(refusal.message) }).map(
            ([field, message]) => {
              const rule = refusal.fieldRules?.[field];
              const key = rule ? `validation.${rule}` : FIELD_KEYS[field];
              const said = key ? String(this.i18n.t(key, { lang })) : key;
              return [field, said && said !== key ? said : message];
            },
          ),
        );
        req.session.flash = [{ type: 'error', text: 'errors.form' }];
        req.session.formState = {
          errors,
          values: { reason: typeof body.reason === 'string' ? body.reason.slice(0, 500) : '' },
        };
      }
    }
    res.redirect(303, `/contracts/${id}`);
  }

  private contractPage(contract: ContractDetailView, zone: string, user: AuthenticatedUser) {
    const lang = user.uiLanguage;
    const money = (value: string) => formatDecimal(value, lang);
    const allowed: readonly ContractState[] = CONTRACT_TRANSITIONS[contract.status];
    return {
      contract: {
        ...contract,
        dateText: wallClock(contract.createdAt, zone),
        statusChangedText: contract.statusChangedAt
          ? wallClock(contract.statusChangedAt, zone)
          : null,
        totalNetText: money(contract.totalNet),
        totalVatText: money(contract.totalVat),
        totalText: money(contract.total),
        lines: contract.lines.map((line) => ({
          ...line,
          unitPriceText: money(line.unitPrice),
          vatRateText: money(line.vatRate),
          netText: money(line.net),
          vatText: money(line.vat),
          totalText: money(line.total),
        })),
        interaction: contract.interaction && {
          ...contract.interaction,
          startedText: wallClock(contract.interaction.startedAt, zone),
          durationText: duration(contract.interaction.durationSeconds),
        },
        history: contract.history.map((entry) => ({
          ...entry,
          atText: wallClock(entry.at, zone),
        })),
      },
      zone,
      anyOverridden: contract.lines.some((line) => line.priceOverridden),
      // The contact page is the coordinators' and admins'; the backoffice sees the snapshot.
      contactLink: user.role === 'admin' || user.role === 'coordinator',
      actions: {
        verify: allowed.includes('verified'),
        activate: allowed.includes('activated'),
        cancel: allowed.includes('cancelled'),
        any: allowed.length > 0,
      },
    };
  }
}
