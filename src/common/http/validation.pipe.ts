import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { RequestValidationException } from '../errors/error-response';

/** Type rules say the most about a wrong value, so they are reported before the others. */
const TYPE_RULES = [
  'isArray',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isIn',
  'isEnum',
];

/** The rule to report for a field: "required" when it is missing, else type rules first. */
function firstRule(error: ValidationError): string | undefined {
  const names = Object.keys(error.constraints ?? {});
  if (names.length === 0) return undefined;
  // A missing field fails every rule; "is required" says it better.
  if (error.value === undefined || error.value === null) return 'required';
  return names.find((name) => TYPE_RULES.includes(name)) ?? names[0];
}

function firstMessage(error: ValidationError): string | undefined {
  const rule = firstRule(error);
  if (rule === undefined) return undefined;
  if (rule === 'required') return `${error.property} is required`;
  return namingTheField(error.property, error.constraints?.[rule] ?? `${error.property} is wrong`);
}

/**
 * class-validator's own messages for nested objects and lists start with words, not the
 * field: said here so that every message starts with the field it is about (an unknown
 * field's "property x should not exist" names it already, and clients match on it).
 */
function namingTheField(property: string, message: string): string {
  if (message === `property ${property} should not exist`) return message;
  const nested = /^(?:each value in )?nested property \S+ must be either object or array$/;
  if (nested.test(message)) {
    return message.startsWith('each value')
      ? `${property} must be a list of objects`
      : `${property} must be an object`;
  }
  const each = /^each value in (\S+) (.*)$/.exec(message);
  if (each?.[1] === property) return `${property}: each value ${each[2]}`;
  return message;
}

/** `path → rule name` (e.g. `minLength`), so that pages can say it in the user's language. */
export function fieldRules(errors: ValidationError[], parent = ''): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const rule = firstRule(error);
    if (rule !== undefined) rules[path] = rule;
    Object.assign(rules, fieldRules(error.children ?? [], path));
  }
  return rules;
}

/** Flattens nested class-validator errors into `path → first message`, e.g. `workingHours.0.start`. */
export function fieldMessages(errors: ValidationError[], parent = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const first = firstMessage(error);
    if (first !== undefined) {
      // class-validator names the property, not its path; say the whole path for nested fields.
      fields[path] = parent && first.startsWith(error.property) ? `${parent}.${first}` : first;
    }
    Object.assign(fields, fieldMessages(error.children ?? [], path));
  }
  return fields;
}

/**
 * A query string keeps only the parameters its DTO declares: links carry others (a page's
 * own state, a cache buster) that were always ignored, so they are not refused.
 */
function declaredOnly(
  value: unknown,
  metatype: abstract new (...args: never[]) => unknown,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(metatype as new () => unknown, '', true, false)
      .map((rule) => rule.propertyName),
  );
  return Object.fromEntries(Object.entries(value).filter(([key]) => declared.has(key)));
}

/** The global pipe: strips nothing silently (unknown fields are refused), names every bad field. */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Forms mapped by @FormBody into a DTO's shape are validated like bodies.
      validateCustomDecorators: true,
      validationError: { target: false, value: true },
      exceptionFactory: (errors) =>
        new RequestValidationException(fieldMessages(errors), fieldRules(errors)),
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
    if (metadata.type === 'query' && metadata.metatype && this.toValidate(metadata)) {
      try {
        return await super.transform(declaredOnly(value, metadata.metatype), metadata);
      } catch (error) {
        if (!(error instanceof RequestValidationException)) throw error;
        throw new RequestValidationException(error.fields, error.fieldRules, true);
      }
    }
    return super.transform(value, metadata);
  }
}
