import { grossPrice } from '../../common/decimal-string';
import type { Product } from '../product.entity';

/** A catalogue item as the API and pages show it; money as 2-decimal strings. */
export interface ProductView {
  id: number;
  code: string;
  name: string;
  unitPrice: string;
  vatRate: string;
  /** unitPrice with VAT, rounded half up to the cent. */
  grossPrice: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toProductView(product: Product): ProductView {
  return {
    id: product.id,
    code: product.code,
    name: product.name,
    unitPrice: product.unitPrice,
    vatRate: product.vatRate,
    grossPrice: grossPrice(product.unitPrice, product.vatRate),
    active: product.active,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
