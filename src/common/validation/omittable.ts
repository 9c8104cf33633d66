import { ValidateIf } from 'class-validator';

/**
 * The field may be left out; `null` is refused by the field's own validators like any other
 * wrong value (400 naming the field). class-validator's `@IsOptional()` lets `null` through
 * to the database as well, which is right only where null means something (clear a value,
 * "any"): those fields keep `@IsOptional()` and say so in their type (`T | null`).
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
