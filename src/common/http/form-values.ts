/** A form's text field, as typed (a repeated field arrives as an array: not a text). */
export function formText(body: Record<string, unknown>, field: string): string | undefined {
  return typeof body[field] === 'string' ? body[field] : undefined;
}
