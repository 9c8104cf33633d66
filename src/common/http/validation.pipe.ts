import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { RequestValidationException } from '../errors/error-response';

/** Flattens nested class-validator errors into `path → first message`, e.g. `workingHours.0.start`. */
export function fieldMessages(errors: ValidationError[], parent = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.values(error.constraints ?? {});
    // A missing field fails every rule; "is required" says it better than the first rule.
    const first =
      error.value === undefined || error.value === null
        ? constraints.length
          ? `${error.property} is required`
          : undefined
        : constraints[0];
    if (first !== undefined) {
      // class-validator names the property, not its path; say the whole path for nested fields.
      fields[path] = parent && first.startsWith(error.property) ? `${parent}.${first}` : first;
    }
    Object.assign(fields, fieldMessages(error.children ?? [], path));
  }
  return fields;
}

/** The global pipe: strips nothing silently (unknown fields are refused), names every bad field. */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new RequestValidationException(fieldMessages(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (
        value === undefined ||
        value === null ||
        typeof value !== 'object' ||
        Array.isArray(value)
      ) {
        throw new RequestValidationException({ body: 'body must be a JSON object' });
      }
    }
    return super.transform(value, metadata);
  }
}
