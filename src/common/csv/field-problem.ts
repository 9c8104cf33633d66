/**
 * Why a value of a file's line was refused: the rule's name (pages translate it) and what
 * it needs to say so. The rules every import knows are here; an import adds its own
 * (contacts: e-mail, language, tags...).
 */
export interface FieldProblem<Rule extends string = BasicRule> {
  field: string;
  rule: Rule;
  max?: number;
  count?: number;
  /** The refused value as shown back: one line, at most 40 characters. */
  value?: string;
}

export type BasicRule = 'required' | 'tooLong' | 'invalidPhone' | 'extraValues';

/** Line breaks (and the spaces around them) inside a one-line value become one space. */
export function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A value as an error shows it back: on one line, cut at 40 characters. */
export function shown(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

/** A value shown back in an error message, in double quotes. */
export function quoted(value: string): string {
  return `"${shown(value)}"`;
}

export function tooLong(field: string, max: number): FieldProblem<'tooLong'> {
  return { field, rule: 'tooLong', max };
}

export function required(field: string): FieldProblem<'required'> {
  return { field, rule: 'required' };
}

/** `field`: the column of the number (`phone`, or another one such as `phone:casa`). */
export function invalidPhone(value: string, field = 'phone'): FieldProblem<'invalidPhone'> {
  return { field, rule: 'invalidPhone', value: shown(value) };
}

export function extraValues(count: number, columns: number): FieldProblem<'extraValues'> {
  return { field: 'row', rule: 'extraValues', count, max: columns };
}

/** The English message of a broken basic rule (the API's words; pages translate the rule). */
export function basicProblemMessage(problem: FieldProblem): string {
  switch (problem.rule) {
    case 'required':
      return `${problem.field} is required`;
    case 'tooLong':
      return `${problem.field} must be at most ${problem.max ?? 0} characters`;
    case 'invalidPhone':
      return `${problem.field} "${problem.value ?? ''}" is not a valid phone number`;
    case 'extraValues':
      return `the row has ${problem.count ?? 0} values but the header names ${problem.max ?? 0} columns`;
  }
}
