import { ValidationError } from '../common/errors/domain-errors';
import type { ProductFilter } from './products.service';

/** `?q=&active=` of the API and the list page, checked and named when wrong. */
export function productFilter(q: unknown, active: unknown): ProductFilter {
  const filter: ProductFilter = {};
  if (q !== undefined) {
    if (typeof q !== 'string') throw new ValidationError('q', 'q must be a single text');
    if (q.length > 100) throw new ValidationError('q', 'q must be at most 100 characters');
    if (q.trim()) filter.q = q.trim();
  }
  if (active !== undefined && active !== '') {
    if (active !== 'true' && active !== 'false') {
      throw new ValidationError('active', 'active must be true or false');
    }
    filter.active = active === 'true';
  }
  return filter;
}
