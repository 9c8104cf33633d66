import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { formatDecimal } from '../common/decimal-string';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductView } from './dto/product.view';
import { productFilter } from './product-filter';
import { ProductsService } from './products.service';

/** Italian keyboards type "19,90": the form takes a comma as the decimal point. */
const decimalComma = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().replace(',', '.') : value;
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;

class ProductFormDto extends CreateProductDto {
  @Transform(decimalComma) override unitPrice!: string;
  @Transform(decimalComma) override vatRate!: string;
  @Transform(checkbox) override active?: boolean;
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** What the form shows: what was typed before a refusal, else the stored product or defaults. */
function formValues(form: FormState | undefined, stored?: ProductView) {
  const typed = form?.values ?? {};
  if (Object.keys(typed).length > 0) {
    return {
      code: text(typed.code),
      name: text(typed.name),
      unitPrice: text(typed.unitPrice),
      vatRate: text(typed.vatRate),
      active: typed.active === 'true' || typed.active === 'on',
    };
  }
  return {
    code: stored?.code ?? '',
    name: stored?.name ?? '',
    unitPrice: stored?.unitPrice ?? '',
    vatRate: stored?.vatRate ?? '22.00',
    active: stored?.active ?? true,
  };
}

@ApiExcludeController()
@Roles('admin')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Render('products/index')
  async index(
    @Res({ passthrough: true }) res: Response,
    @Query('q') q?: unknown,
    @Query('active') active?: unknown,
  ) {
    const filter = productFilter(q, active);
    const lang = String(res.locals.lang);
    const products = (await this.products.list(filter)).map((p) => ({
      ...p,
      unitPriceText: formatDecimal(p.unitPrice, lang),
      vatRateText: formatDecimal(p.vatRate, lang),
      grossPriceText: formatDecimal(p.grossPrice, lang),
    }));
    return {
      title: 'products.title',
      products,
      q: filter.q ?? '',
      active: filter.active === undefined ? '' : String(filter.active),
      filtered: filter.q !== undefined || filter.active !== undefined,
    };
  }

  @Get('new')
  @Render('products/form')
  newProduct(@Res({ passthrough: true }) res: Response) {
    return {
      title: 'products.new.title',
      action: '/products',
      values: formValues(res.locals.form as FormState | undefined),
    };
  }

  @Post()
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: ProductFormDto,
  ): Promise<void> {
    const product = await this.products.create({ ...form, active: form.active ?? false });
    req.session.flash = [
      { type: 'success', text: 'products.created', args: { code: product.code } },
    ];
    res.redirect(303, '/products');
  }

  @Get(':id/edit')
  @Render('products/form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const product = await this.products.get(id);
    return {
      title: 'products.edit.title',
      action: `/products/${id}`,
      product,
      values: formValues(res.locals.form as FormState | undefined, product),
    };
  }

  /** The whole product; an unticked "active" box deactivates it. */
  @Post(':id')
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: ProductFormDto,
  ): Promise<void> {
    const product = await this.products.update(id, { ...form, active: form.active ?? false });
    req.session.flash = [{ type: 'success', text: 'products.saved', args: { code: product.code } }];
    res.redirect(303, '/products');
  }

  @Post(':id/activate')
  async activate(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const product = await this.products.setActive(id, true);
    req.session.flash = [
      { type: 'success', text: 'products.activated', args: { code: product.code } },
    ];
    res.redirect(303, this.backToList(req));
  }

  @Post(':id/deactivate')
  async deactivate(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const product = await this.products.setActive(id, false);
    req.session.flash = [
      { type: 'success', text: 'products.deactivated', args: { code: product.code } },
    ];
    res.redirect(303, this.backToList(req));
  }

  /** Back to the list with the search the admin was looking at (same-origin Referer only). */
  private backToList(req: Request): string {
    try {
      const referer = new URL(req.headers.referer ?? '');
      if (referer.host === req.headers.host && referer.pathname === '/products') {
        return `/products${referer.search}`;
      }
    } catch {
      // no usable Referer
    }
    return '/products';
  }
}
