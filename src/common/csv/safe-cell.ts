/**
 * A spreadsheet runs a cell starting with = + - @ as a formula: such text is prefixed with
 * a quote (a phone in E.164 is left as it is: digits after + are no formula).
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^\+[0-9]+$/.test(value) ? `'${value}` : value;
}
