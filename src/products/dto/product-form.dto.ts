import { Transform } from 'class-transformer';
import { CreateProductDto } from './create-product.dto';

/** Italian keyboards type "19,90": the form takes a comma as the decimal point. */
const decimalComma = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().replace(',', '.') : value;
const checkbox = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === 'on' ? true : value === 'false' ? false : value;

/** The product form as a browser posts it. */
export class ProductFormDto extends CreateProductDto {
  @Transform(decimalComma) override unitPrice!: string;
  @Transform(decimalComma) override vatRate!: string;
  @Transform(checkbox) override active?: boolean;
}
