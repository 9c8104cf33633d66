import { PipeTransform } from '@nestjs/common';
import { ValidationError } from '../errors/domain-errors';

/** Parses a numeric route id, naming the parameter when it is not one. */
export class IdParamPipe implements PipeTransform<string, number> {
  constructor(private readonly name = 'id') {}

  transform(value: string): number {
    if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
      throw new ValidationError(this.name, `${this.name} must be a positive integer`);
    }
    return Number(value);
  }
}
