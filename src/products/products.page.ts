import { formatDecimal } from '../common/decimal-string';
import type { FormState } from '../common/http/request-context';
import type { ProductView } from './dto/product.view';

/** The product pages' view models: the catalogue with its search, and the form. */

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

export function productListPage(
  products: ProductView[],
  filter: { q?: string; active?: boolean },
  lang: string,
) {
  return {
    title: 'products.title',
    products: products.map((p) => ({
      ...p,
      unitPriceText: formatDecimal(p.unitPrice, lang),
      vatRateText: formatDecimal(p.vatRate, lang),
      grossPriceText: formatDecimal(p.grossPrice, lang),
    })),
    q: filter.q ?? '',
    active: filter.active === undefined ? '' : String(filter.active),
    filtered: filter.q !== undefined || filter.active !== undefined,
  };
}

export function productFormPage(form: FormState | undefined, product?: ProductView) {
  return product
    ? {
        title: 'products.edit.title',
        action: `/products/${product.id}`,
        product,
        values: formValues(form, product),
      }
    : { title: 'products.new.title', action: '/products', values: formValues(form) };
}

/** Back to the list with the search the admin was looking at (same-origin Referer only). */
export function backToProductList(referer: string | undefined, host: string | undefined): string {
  try {
    const url = new URL(referer ?? '');
    if (url.host === host && url.pathname === '/products') return `/products${url.search}`;
  } catch {
    // no usable Referer
  }
  return '/products';
}
