import { ValueTransformer } from 'typeorm';

/**
 * DECIMAL columns as fixed-scale strings, never floats. MySQL sends DECIMAL as a string
 * already; SQLite (demo database only) hands back a number, formatted here to the scale.
 */
export function decimalTransformer(scale: number): ValueTransformer {
  return {
    to: (value: string | null | undefined) => value,
    from: (value: string | number | null): string | null => {
      if (value === null || value === undefined) return null;
      return typeof value === 'number' ? value.toFixed(scale) : value;
    },
  };
}

/** A DECIMAL(precision, 2) column read and written as a string: money, rates. */
export function decimal2Column(precision = 12) {
  return { type: 'decimal', precision, scale: 2, transformer: decimalTransformer(2) } as const;
}
