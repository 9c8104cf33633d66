import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { formText } from '../common/http/form-values';
import {
  FormBody,
  FormPage,
  type FormPageOptions,
  ListPage,
  type RefusedInPlace,
  type PageRedirect,
  savedTo,
} from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser, FormState } from '../common/http/request-context';
import { Clock } from '../common/time/clock';
import { CallbacksService } from './callbacks.service';
import { boardPage, deskPage, listToReturnTo, refusedBoardPage } from './callbacks.page';
import {
  CallbackVisibilityDto,
  CancelCallbackDto,
  MAX_CANCEL_REASON,
  ReassignCallbackDto,
} from './dto/callback-query';
import { CallbackListQueryDto } from './dto/callback-list.query';
import type { CallbackItem } from './dto/callback.view';

/** A refused action goes back to its row of the list, beside its field, with what was typed. */
const ROW_ACTION: FormPageOptions = {
  back: (req) => listToReturnTo((req.body as Record<string, unknown> | undefined)?.back),
  fields: {
    ownerId: 'callbacks.errors.ownerId',
    visibility: 'callbacks.errors.visibility',
    reason: 'callbacks.errors.reasonRequired',
  },
  statusKeys: { 404: 'callbacks.errors.gone', 409: 'callbacks.errors.notWaiting' },
  values: (req: Request) => ({
    callbackId: Number(req.params.id),
    action: req.path.slice(req.path.lastIndexOf('/') + 1),
    reason:
      formText(req.body as Record<string, unknown>, 'reason')?.slice(0, MAX_CANCEL_REASON * 2) ??
      '',
  }),
};

/** A form sends text; the DTO wants the number the select stands for. */
const ownerIdFromForm = (body: Record<string, unknown>) => {
  const ownerId = formText(body, 'ownerId');
  return {
    ownerId: ownerId !== undefined && /^[0-9]{1,10}$/.test(ownerId) ? Number(ownerId) : ownerId,
  };
};

/**
 * The callbacks pages. Operators: their own callbacks (overdue, due now, upcoming) and the
 * public ones due in their campaigns, each opened onto the workstation (that "Apri" is the
 * workstation's: work/callback-open.controller.ts). Coordinators and admins: every callback
 * with filters and paging, reassigned, made public or private, or cancelled with a reason
 * (Post/Redirect/Get).
 */
@ApiExcludeController()
@Roles('operator', 'coordinator', 'admin')
@Controller('callbacks')
export class CallbacksController {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ListPage({ inPlace: 'refusedFilter' })
  async index(
    @Query() query: CallbackListQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (user.role === 'operator') return this.desk(user, res);
    const [options, page] = await Promise.all([
      this.callbacks.filterOptions(),
      this.callbacks.page(user, query),
    ]);
    const campaignIds = page.items.map((item) => item.campaign.id);
    const assignable = await this.callbacks.assignableOperators(campaignIds);
    const form = res.locals.form as FormState | undefined;
    const typed = req.query as Record<string, unknown>;
    res.render(
      'callbacks/index',
      boardPage(typed, { options, page, assignable }, user.uiLanguage, form),
    );
  }

  /** A wrong filter is said beside the form (400); an operator's page has none. */
  async refusedFilter(req: Request, res: Response, { refusal }: RefusedInPlace): Promise<void> {
    if (req.user!.role === 'operator') return this.desk(req.user!, res.status(200));
    const field = Object.keys(refusal.fields ?? {})[0] ?? 'form';
    const options = await this.callbacks.filterOptions();
    res.render('callbacks/index', refusedBoardPage(req.query, options, field));
  }

  private async desk(user: AuthenticatedUser, res: Response): Promise<void> {
    const desk = await this.callbacks.desk(user.id);
    res.render('callbacks/desk', deskPage(desk, user, this.clock.now()));
  }

  @Post(':id/reassign')
  @Roles('coordinator', 'admin')
  @FormPage(ROW_ACTION)
  async reassign(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody(ownerIdFromForm) form: ReassignCallbackDto,
    @CurrentUser() user: AuthenticatedUser,
    @FormBody() body: Record<string, unknown>,
  ): Promise<PageRedirect> {
    const item = await this.callbacks.reassign(user, id, form.ownerId);
    return done(body, 'callbacks.done.reassigned', item);
  }

  @Post(':id/visibility')
  @Roles('coordinator', 'admin')
  @FormPage(ROW_ACTION)
  async visibility(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody((body) => ({ visibility: formText(body, 'visibility') })) form: CallbackVisibilityDto,
    @CurrentUser() user: AuthenticatedUser,
    @FormBody() body: Record<string, unknown>,
  ): Promise<PageRedirect> {
    const item = await this.callbacks.setVisibility(user, id, form.visibility);
    return done(body, `callbacks.done.${item.visibility}`, item);
  }

  @Post(':id/cancel')
  @Roles('coordinator', 'admin')
  @FormPage(ROW_ACTION)
  async cancel(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody((body) => ({ reason: formText(body, 'reason') })) form: CancelCallbackDto,
    @CurrentUser() user: AuthenticatedUser,
    @FormBody() body: Record<string, unknown>,
  ): Promise<PageRedirect> {
    const item = await this.callbacks.cancel(user, id, form.reason);
    return done(body, 'callbacks.done.cancelled', item);
  }
}

/** Back to the list the action came from, saying what was done to whom. */
function done(body: Record<string, unknown>, text: string, item: CallbackItem): PageRedirect {
  return savedTo(listToReturnTo(body.back), text, {
    name: item.contact.name,
    owner: item.owner?.name ?? '—',
  });
}
