import { ValidationError } from '../errors/domain-errors';

/**
 * A file refused or stopped part-way (400): the message names the field (`header`,
 * `encoding`, `file`) and the line, and the API answer carries the summary, which says
 * exactly what was imported before the import stopped.
 */
export class ImportRefusedError<Summary extends object = object> extends ValidationError {
  override readonly details: Record<string, unknown>;

  constructor(
    field: string,
    message: string,
    readonly summary: Summary,
    /** What the API answer carries, when it differs from what pages need. */
    publicSummary: object = summary,
  ) {
    super(field, message);
    this.details = { ...(publicSummary as Record<string, unknown>) };
  }
}
