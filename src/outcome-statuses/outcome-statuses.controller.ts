import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { FollowUpTemplatesService } from '../follow-ups/follow-up-templates.service';
import type { FormState } from '../common/http/request-context';
import { CreateOutcomeStatusDto } from './dto/create-outcome-status.dto';
import { OutcomeStatusView } from './dto/outcome-status.view';
import { CALLBACK_VISIBILITIES, OUTCOME_TYPES, type OutcomeType } from './outcome-status.entity';
import { OutcomeStatusesService } from './outcome-statuses.service';
import { COLOR_PATTERN, readableTextColor } from './tile-color';

/** A ticked checkbox sends "true" (or "on"); an unticked one sends nothing. */
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;
/** Number inputs arrive as text; anything but digits stays text so the validator names it. */
const integer = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim()) ? Number(value) : value;

/** The status form as a browser posts it. */
class OutcomeStatusFormDto extends CreateOutcomeStatusDto {
  @Transform(checkbox) override quick?: boolean;
  @Transform(checkbox) override doNotCall?: boolean;
  @Transform(checkbox) override allowPriceOverride?: boolean;
  @Transform(integer) override quickOrder?: number;
  @Transform(integer) override retryAfterMinutes?: number;
  @Transform(integer) override maxAttempts?: number;
}

/** The fields the browser sent (class-transformer may leave the others as undefined keys). */
const given = <T extends object>(form: T): Partial<T> =>
  Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined)) as Partial<T>;

const NEW_STATUS_COLOR = '#1E88E5';
const TYPE_ORDER: readonly OutcomeType[] = OUTCOME_TYPES;

/** What the form shows: what was typed before a refusal, else the stored status or defaults. */
interface StatusFormValues {
  code: string;
  label: string;
  labelEn: string;
  type: string;
  color: string;
  quick: boolean;
  quickOrder: string;
  callbackVisibility: string;
  retryAfterMinutes: string;
  maxAttempts: string;
  doNotCall: boolean;
  allowPriceOverride: boolean;
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';
const ticked = (value: unknown): boolean => value === true || value === 'true' || value === 'on';

function formValues(form: FormState | undefined, stored?: OutcomeStatusView): StatusFormValues {
  const typed = form?.values ?? {};
  if (Object.keys(typed).length > 0) {
    return {
      code: text(typed.code),
      label: text(typed.label),
      labelEn: text(typed.labelEn),
      type: text(typed.type),
      color: text(typed.color),
      quick: ticked(typed.quick),
      quickOrder: text(typed.quickOrder),
      callbackVisibility: text(typed.callbackVisibility),
      retryAfterMinutes: text(typed.retryAfterMinutes),
      maxAttempts: text(typed.maxAttempts),
      doNotCall: ticked(typed.doNotCall),
      allowPriceOverride: ticked(typed.allowPriceOverride),
    };
  }
  return {
    code: stored?.code ?? '',
    label: stored?.label ?? '',
    labelEn: stored?.labelEn ?? '',
    type: stored?.type ?? 'N',
    color: stored?.color ?? NEW_STATUS_COLOR,
    quick: stored?.quick ?? false,
    quickOrder: text(stored?.quickOrder),
    callbackVisibility: stored?.callbackVisibility ?? '',
    retryAfterMinutes: text(stored?.retryAfterMinutes),
    maxAttempts: text(stored?.maxAttempts),
    doNotCall: stored?.doNotCall ?? false,
    allowPriceOverride: stored?.allowPriceOverride ?? false,
  };
}

/** The form's view model: its values, the choices, and the tile preview as the server sees it. */
function formModel(values: StatusFormValues) {
  const color = COLOR_PATTERN.test(values.color.trim().toUpperCase())
    ? values.color.trim().toUpperCase()
    : '#CCCCCC';
  return {
    values,
    types: TYPE_ORDER,
    visibilities: CALLBACK_VISIBILITIES,
    quickOrders: [1, 2, 3, 4, 5, 6, 7, 8, 9].map(String),
    preview: { color, textColor: readableTextColor(color) },
  };
}

@ApiExcludeController()
@Roles('admin')
@Controller('outcome-statuses')
export class OutcomeStatusesController {
  constructor(
    private readonly statuses: OutcomeStatusesService,
    private readonly followUps: FollowUpTemplatesService,
  ) {}

  @Get()
  @Render('outcome-statuses/index')
  async index() {
    const all = await this.statuses.list({ includeArchived: true });
    const byWallOrder = (a: OutcomeStatusView, b: OutcomeStatusView) =>
      Number(b.quick) - Number(a.quick) ||
      (a.quickOrder ?? 0) - (b.quickOrder ?? 0) ||
      a.code.localeCompare(b.code);
    const active = all.filter((s) => !s.archived).sort(byWallOrder);
    return {
      title: 'statuses.title',
      groups: TYPE_ORDER.map((type) => ({
        type,
        statuses: active.filter((s) => s.type === type),
      })),
      archived: all.filter((s) => s.archived),
      empty: all.length === 0,
    };
  }

  @Get('new')
  @Render('outcome-statuses/form')
  newStatus(@Res({ passthrough: true }) res: Response) {
    return {
      title: 'statuses.new.title',
      action: '/outcome-statuses',
      ...formModel(formValues(res.locals.form as FormState | undefined)),
    };
  }

  @Post()
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: OutcomeStatusFormDto,
  ): Promise<void> {
    const status = await this.statuses.create(form);
    req.session.flash = [
      { type: 'success', text: 'statuses.created', args: { code: status.code } },
    ];
    res.redirect(303, '/outcome-statuses');
  }

  @Get(':id/edit')
  @Render('outcome-statuses/form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [status, templates] = await Promise.all([this.statuses.get(id), this.followUps.list(id)]);
    return {
      title: 'statuses.edit.title',
      action: `/outcome-statuses/${id}`,
      status,
      // The follow-up e-mails this status sends, each linked to its edit page.
      followUps: templates.map((t) => ({
        id: t.id,
        reason: t.reason,
        language: t.language,
        subject: t.subject,
      })),
      ...formModel(formValues(res.locals.form as FormState | undefined, status)),
    };
  }

  /** The form sends the whole status: a field left empty (or unticked) is cleared. */
  @Post(':id')
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: OutcomeStatusFormDto,
  ): Promise<void> {
    const status = await this.statuses.update(id, {
      labelEn: null,
      quick: false,
      quickOrder: null,
      callbackVisibility: null,
      retryAfterMinutes: null,
      maxAttempts: null,
      doNotCall: false,
      allowPriceOverride: false,
      ...given(form),
    });
    req.session.flash = [{ type: 'success', text: 'statuses.saved', args: { code: status.code } }];
    res.redirect(303, '/outcome-statuses');
  }

  @Post(':id/archive')
  async archive(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const status = await this.statuses.archive(id);
    req.session.flash = [
      { type: 'success', text: 'statuses.archivedDone', args: { code: status.code } },
    ];
    res.redirect(303, '/outcome-statuses');
  }

  @Post(':id/restore')
  async restore(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const status = await this.statuses.restore(id);
    req.session.flash = [
      { type: 'success', text: 'statuses.restoredDone', args: { code: status.code } },
    ];
    res.redirect(303, '/outcome-statuses');
  }

  @Post(':id/delete')
  async remove(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const status = await this.statuses.remove(id);
    req.session.flash = [
      { type: 'success', text: 'statuses.deletedDone', args: { code: status.code } },
    ];
    res.redirect(303, '/outcome-statuses');
  }
}
