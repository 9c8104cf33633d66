import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { type ErrorResponse, toErrorResponse } from '../common/errors/error-response';
import { formText } from '../common/http/form-values';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { filledIn, markSelected, queryString } from '../common/http/list-filters';
import type { AuthenticatedUser, FlashMessage, FormState } from '../common/http/request-context';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { Clock } from '../common/time/clock';
import { formatZonedDateTime } from '../common/time/local-time';
import { DispatchService } from '../work/dispatch.service';
import { LeasesService } from '../work/leases.service';
import type { OperatorCampaignView } from '../work/work-campaigns';
import { CALLBACK_STATES } from './callback.entity';
import { CallbacksService } from './callbacks.service';
import {
  CallbackVisibilityDto,
  CancelCallbackDto,
  MAX_CANCEL_REASON,
  readCallbackQuery,
  ReassignCallbackDto,
} from './dto/callback-query';
import type { CallbackCard, CallbackItem } from './dto/callback.view';

/** The filters the coordinators' list keeps in its links and forms. */
const FILTER_FIELDS = ['campaignId', 'ownerId', 'state', 'overdue', 'limit'] as const;
/** Where an action may send the coordinator back to: the list, with its filters. */
const BACK_TO_LIST = /^\/callbacks(\?[^\s#]*)?$/;

/** The pages' own wording of a refused field (the service speaks English, for the API). */
const FIELD_KEYS: Record<string, string> = {
  ownerId: 'callbacks.errors.ownerId',
  visibility: 'callbacks.errors.visibility',
  reason: 'callbacks.errors.reasonRequired',
};

const ACTIONS = ['reassign', 'visibility', 'cancel'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * The callbacks pages. Operators: their own callbacks (overdue, due now, upcoming) and the
 * public ones due in their campaigns, each opened onto the workstation. Coordinators and
 * admins: every callback with filters and paging, reassigned, made public or private, or
 * cancelled with a reason (Post/Redirect/Get).
 */
@ApiExcludeController()
@Roles('operator', 'coordinator', 'admin')
@Controller('callbacks')
export class CallbacksController {
  private readonly validation = new AppValidationPipe();

  constructor(
    private readonly callbacks: CallbacksService,
    private readonly dispatch: DispatchService,
    private readonly leases: LeasesService,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  async index(
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    if (user.role === 'operator') {
      res.render('callbacks/desk', await this.desk(user));
      return;
    }
    const { status, view } = await this.board(raw, user, res.locals.form as FormState | undefined);
    res.status(status).render('callbacks/index', view);
  }

  /** "Apri": the contact on the workstation, or why not said on this page. */
  @Post(':id/open')
  @Roles('operator')
  async open(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.dispatch.open(user, id);
    } catch (error) {
      const refusal = toErrorResponse(error);
      if (refusal.statusCode >= 500) throw error;
      req.session.flash = [this.refusalFlash(refusal)];
      res.redirect(303, '/callbacks');
      return;
    }
    res.redirect(303, '/work');
  }

  /** A coordinator's action on one row: reassign, visibility or cancel (declared after open). */
  @Post(':id/:action')
  @Roles('coordinator', 'admin')
  async act(
    @Param('id', new IdParamPipe()) id: number,
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new NotFoundError(`page /callbacks/${id}/${action}`);
    }
    const back = formText(body, 'back');
    const target = back !== undefined && BACK_TO_LIST.test(back) ? back : '/callbacks';
    try {
      const { text, item } = await this.perform(action as Action, id, body, user);
      req.session.flash = [
        {
          type: 'success',
          text,
          args: { name: item.contact.name, owner: item.owner?.name ?? '—' },
        },
      ];
    } catch (error) {
      const refusal = toErrorResponse(error);
      if (refusal.statusCode >= 500) throw error;
      this.refuse(req, refusal, { callbackId: id, action, reason: formText(body, 'reason') });
    }
    res.redirect(303, target);
  }

  /** The form's fields through the API's DTO, then the service. */
  private async perform(
    action: Action,
    id: number,
    body: Record<string, unknown>,
    user: AuthenticatedUser,
  ): Promise<{ text: string; item: CallbackItem }> {
    switch (action) {
      case 'reassign': {
        // A form sends text; the DTO wants the number the select stands for.
        const ownerId = formText(body, 'ownerId');
        const dto = await this.validated(ReassignCallbackDto, {
          ownerId:
            ownerId !== undefined && /^[0-9]{1,10}$/.test(ownerId) ? Number(ownerId) : ownerId,
        });
        const item = await this.callbacks.reassign(user, id, dto.ownerId);
        return { text: 'callbacks.done.reassigned', item };
      }
      case 'visibility': {
        const dto = await this.validated(CallbackVisibilityDto, {
          visibility: formText(body, 'visibility'),
        });
        const item = await this.callbacks.setVisibility(user, id, dto.visibility);
        return { text: `callbacks.done.${item.visibility}`, item };
      }
      case 'cancel': {
        const dto = await this.validated(CancelCallbackDto, { reason: formText(body, 'reason') });
        const item = await this.callbacks.cancel(user, id, dto.reason);
        return { text: 'callbacks.done.cancelled', item };
      }
    }
  }

  // ---------------------------------------------------------------- operators

  private async desk(user: AuthenticatedUser) {
    const lang = user.uiLanguage;
    const now = this.clock.now();
    const [{ mine, pool, campaigns }, held] = await Promise.all([
      this.callbacks.desk(user.id),
      this.leases.current(user.id),
    ]);
    const assigned = new Map(campaigns.map((campaign) => [campaign.id, campaign]));
    const card = (item: CallbackCard) => this.operatorCard(item, user.id, now, assigned, lang);
    const isDue = (item: CallbackCard) => Date.parse(item.dueAt) <= now.getTime();
    return {
      title: 'callbacks.desk.title',
      holding: held !== null,
      sections: [
        { key: 'overdue', items: mine.filter((item) => item.atRisk).map(card) },
        { key: 'due', items: mine.filter((item) => isDue(item) && !item.atRisk).map(card) },
        { key: 'upcoming', items: mine.filter((item) => !isDue(item)).map(card) },
        { key: 'pool', items: pool.map(card) },
      ],
    };
  }

  /** A callback with its context and whether "Apri" can work now (the server decides anyway). */
  private operatorCard(
    item: CallbackCard,
    userId: number,
    now: Date,
    campaigns: Map<number, OperatorCampaignView>,
    lang: string,
  ) {
    const campaign = campaigns.get(item.campaign.id);
    const own = item.visibility === 'private' && item.owner?.id === userId;
    let blocked: { key: string; args?: Record<string, string> } | null = null;
    if (!campaign) blocked = { key: 'callbacks.card.notAssigned' };
    else if (campaign.paused) blocked = { key: 'callbacks.card.paused' };
    else if (!campaign.open) {
      blocked = { key: 'callbacks.card.closed', args: { window: campaign.callingHours } };
    } else if (!own && Date.parse(item.dueAt) > now.getTime()) {
      blocked = { key: 'callbacks.card.notDueYet' };
    }
    return { ...this.cardView(item, lang), blocked };
  }

  // ---------------------------------------------------------------- coordinators

  private async board(
    raw: Record<string, unknown>,
    user: AuthenticatedUser,
    form: FormState | undefined,
  ): Promise<{ status: number; view: Record<string, unknown> }> {
    const query = filledIn(raw);
    const text = (field: string) => (typeof query[field] === 'string' ? query[field] : '');
    const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(f)]));
    const options = await this.callbacks.filterOptions();
    const view = {
      title: 'callbacks.list.title',
      filters,
      overdueChecked: filters.overdue === 'true',
      filtered: FILTER_FIELDS.some((f) => f !== 'limit' && filters[f] !== ''),
      states: CALLBACK_STATES.map((s) => ({ value: s, selected: filters.state === s })),
      campaigns: markSelected(options.campaigns, filters.campaignId ?? ''),
      operators: markSelected(options.operators, filters.ownerId ?? ''),
      maxReason: MAX_CANCEL_REASON,
    };
    let page;
    try {
      page = await this.callbacks.page(user, readCallbackQuery(query));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A wrong filter is said beside the form, with the form still there to correct it.
      return {
        status: 400,
        view: { ...view, filterError: { field: error.field }, items: [], paged: false },
      };
    }
    const link = (after?: string) => {
      const search = queryString({ ...filters, after });
      return search ? `/callbacks?${search}` : '/callbacks';
    };
    const here = link(text('after') || undefined);
    const assignable = await this.callbacks.assignableOperators(
      page.items.map((item) => item.campaign.id),
    );
    const refusedId = Number(form?.values.callbackId);
    return {
      status: 200,
      view: {
        ...view,
        back: here,
        items: page.items.map((item) => {
          const refused = item.id === refusedId ? form : undefined;
          const waiting = item.state === 'scheduled' || item.state === 'due';
          return {
            ...this.cardView(item, user.uiLanguage),
            actions: waiting
              ? {
                  operators: (assignable.get(item.campaign.id) ?? []).filter(
                    (o) => o.id !== item.owner?.id,
                  ),
                  makePublic: item.visibility === 'private',
                  makePrivate: item.visibility === 'public' && item.owner !== null,
                }
              : null,
            refused: refused
              ? {
                  action: refused.values.action,
                  errors: refused.errors,
                  reason: typeof refused.values.reason === 'string' ? refused.values.reason : '',
                }
              : null,
          };
        }),
        paged: page.next !== null || text('after') !== '',
        next: page.next === null ? null : link(String(page.next)),
        first: text('after') !== '' ? link() : null,
      },
    };
  }

  /**
   * A refused action said on the list: a refused field beside it in the row it came from
   * (what was typed kept), anything else in the flash.
   */
  private refuse(
    req: Request,
    refusal: ErrorResponse,
    values: { callbackId: number; action: string; reason?: string },
  ): void {
    const lang = req.user?.uiLanguage ?? 'it';
    const fields = Object.entries(refusal.fields ?? {}).filter(([field]) => field in FIELD_KEYS);
    if (refusal.statusCode !== 400 || fields.length === 0) {
      req.session.flash = [this.refusalFlash(refusal)];
      return;
    }
    req.session.flash = [{ type: 'error', text: 'errors.form' }];
    req.session.formState = {
      errors: Object.fromEntries(
        fields.map(([field, message]) => [
          field,
          this.fieldMessage(field, message, refusal.fieldRules?.[field], lang),
        ]),
      ),
      values: { ...values, reason: values.reason?.slice(0, MAX_CANCEL_REASON * 2) ?? '' },
    };
  }

  private async validated<T extends object>(metatype: new () => T, values: object): Promise<T> {
    return (await this.validation.transform(values, { type: 'body', metatype })) as T;
  }

  /** A refused field in the user's language: the broken rule, else our words, else the server's. */
  private fieldMessage(field: string, message: string, rule: string | undefined, lang: string) {
    const key = rule && rule !== 'required' ? `validation.${rule}` : FIELD_KEYS[field];
    if (!key) return message;
    const said = String(this.i18n.t(key, { lang }));
    return said === key ? message : said;
  }

  /** How a page says a refusal: its own words when the service gave a key, else the message. */
  private refusalFlash(refusal: ErrorResponse): FlashMessage {
    if (refusal.userMessage) {
      return { type: 'error', text: refusal.userMessage.key, args: refusal.userMessage.args };
    }
    if (refusal.statusCode === 404) return { type: 'error', text: 'callbacks.errors.gone' };
    if (refusal.statusCode === 409) return { type: 'error', text: 'callbacks.errors.notWaiting' };
    const message = Array.isArray(refusal.message) ? refusal.message.join('; ') : refusal.message;
    return { type: 'error', text: message, literal: true };
  }

  /** What both pages show of a callback: plain values, the time on the campaign's clock. */
  private cardView(item: CallbackCard, lang: string) {
    return {
      id: item.id,
      contact: item.contact,
      campaign: item.campaign,
      dueText: formatZonedDateTime(new Date(item.dueAt), item.campaign.timezone, lang),
      visibility: item.visibility,
      state: item.state,
      owner: item.owner,
      reason: item.reason,
      notes: item.notes,
      answers: item.answers,
      attempts: item.attempts,
      overdueMinutes: item.overdueMinutes,
      atRisk: item.atRisk,
      escalationReason: item.escalationReason,
    };
  }
}
