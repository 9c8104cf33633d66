import { PartialType } from '@nestjs/swagger';
import { CreateProductDto } from './create-product.dto';

/** Any subset of the fields. */
export class UpdateProductDto extends PartialType(CreateProductDto) {}
