/** A form's text field, as typed (a repeated field arrives as an array: not a text). */
export function formText(body: Record<string, unknown>, field: string): string | undefined {
  return typeof body[field] === 'string' ? body[field] : undefined;
}

/**
 * Ticked checkboxes of ids as a list of numbers: one box sends a string, several an array;
 * anything but digits stays as it came, for the validator to name.
 */
export function checkedIds({ value }: { value: unknown }): unknown {
  return (Array.isArray(value) ? (value as unknown[]) : [value]).map((v): unknown =>
    typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v,
  );
}
