import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { ProductFormDto } from './dto/product-form.dto';
import { productFilter } from './product-filter';
import { backToProductList, productFormPage, productListPage } from './products.page';
import { ProductsService } from './products.service';

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
    return productListPage(await this.products.list(filter), filter, String(res.locals.lang));
  }

  @Get('new')
  @Render('products/form')
  newProduct(@Res({ passthrough: true }) res: Response) {
    return productFormPage(res.locals.form as FormState | undefined);
  }

  @Post()
  @FormPage()
  async create(@Body() form: ProductFormDto): Promise<PageRedirect> {
    const product = await this.products.create({ ...form, active: form.active ?? false });
    return savedTo('/products', 'products.created', { code: product.code });
  }

  @Get(':id/edit')
  @Render('products/form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const product = await this.products.get(id);
    return productFormPage(res.locals.form as FormState | undefined, product);
  }

  /** The whole product; an unticked "active" box deactivates it. */
  @Post(':id')
  @FormPage()
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: ProductFormDto,
  ): Promise<PageRedirect> {
    const product = await this.products.update(id, { ...form, active: form.active ?? false });
    return savedTo('/products', 'products.saved', { code: product.code });
  }

  @Post(':id/activate')
  @FormPage()
  async activate(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
  ): Promise<PageRedirect> {
    const product = await this.products.setActive(id, true);
    const list = backToProductList(req.headers.referer, req.headers.host);
    return savedTo(list, 'products.activated', { code: product.code });
  }

  @Post(':id/deactivate')
  @FormPage()
  async deactivate(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
  ): Promise<PageRedirect> {
    const product = await this.products.setActive(id, false);
    const list = backToProductList(req.headers.referer, req.headers.host);
    return savedTo(list, 'products.deactivated', { code: product.code });
  }
}
