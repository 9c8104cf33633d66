/**
 * How a protocol number is written (PROTOCOL_FORMAT): `YYYY` is the campaign's year, one
 * run of 4 to 10 `N` the year's counter zero-padded to that width, anything else literal,
 * e.g. `YYYY/NNNNNN` → 2026/000123, `ES-YYYY-NNNNNNN` → ES-2026-0000123.
 */
export const DEFAULT_PROTOCOL_FORMAT = 'YYYY/NNNNNN';

/** The protocol_number column's width: a format longer than this could not be stored. */
export const PROTOCOL_FORMAT_MAX_LENGTH = 32;

// Literals: letters (but the token letters N and Y), digits and / - _ . — safe in a URL,
// a CSV cell and a search box, and never mistaken for a token.
const LITERAL = '[A-MO-XZa-z0-9/_.-]';

/** YYYY once and one run of 4-10 N, in either order, between literals. */
export const PROTOCOL_FORMAT_PATTERN = new RegExp(
  `^${LITERAL}*(?:YYYY${LITERAL}*N{4,10}|N{4,10}${LITERAL}*YYYY)${LITERAL}*$`,
);

export const PROTOCOL_FORMAT_RULE =
  'must contain YYYY once and one run of 4 to 10 N (e.g. YYYY/NNNNNN or ES-YYYY-NNNNNNN); ' +
  `other characters may be letters, digits, / - _ or . and the whole at most ${PROTOCOL_FORMAT_MAX_LENGTH} characters`;

export class ProtocolFormat {
  private constructor(
    readonly format: string,
    private readonly width: number,
  ) {}

  /** Throws naming PROTOCOL_FORMAT when the text is not a format (the config checks it at boot). */
  static parse(format: string): ProtocolFormat {
    if (format.length > PROTOCOL_FORMAT_MAX_LENGTH || !PROTOCOL_FORMAT_PATTERN.test(format)) {
      throw new Error(`PROTOCOL_FORMAT ${PROTOCOL_FORMAT_RULE}`);
    }
    return new ProtocolFormat(format, /N+/.exec(format)![0].length);
  }

  /**
   * The number `counter` of `year`. A counter outgrowing its width keeps all its digits
   * (longer, still unique) rather than refusing a sale.
   */
  render(year: number, counter: number): string {
    return this.format
      .replace('YYYY', String(year).padStart(4, '0'))
      .replace(/N+/, String(counter).padStart(this.width, '0'));
  }
}
