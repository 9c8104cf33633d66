import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../common/access/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductView } from './dto/product.view';
import { UpdateProductDto } from './dto/update-product.dto';
import { productFilter } from './product-filter';
import { ProductsService } from './products.service';

/** The catalogue: every signed-in role reads it (operators fill carts), admins change it. */
@ApiTags('products')
@ApiBearerAuth()
@Controller('api/v1/products')
export class ProductsApiController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new product' })
  @ApiConflictResponse({ description: 'code already used' })
  create(@Body() dto: CreateProductDto): Promise<ProductView> {
    return this.products.create(dto);
  }

  @Get()
  @ApiQuery({ name: 'q', required: false, description: 'part of the code or name' })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  list(@Query('q') q?: unknown, @Query('active') active?: unknown): Promise<ProductView[]> {
    return this.products.list(productFilter(q, active));
  }

  @Get(':id')
  get(@Param('id', new IdParamPipe()) id: number): Promise<ProductView> {
    return this.products.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: UpdateProductDto,
  ): Promise<ProductView> {
    return this.products.update(id, dto);
  }
}
