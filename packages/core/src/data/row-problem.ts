/**
 * Why one input row is invalid: a reason plus, when known, the field and the value read. Parsers
 * return it instead of throwing so that the loader can either raise a `CjeInputError` at the
 * row's file:line or, in drop mode, count and report the row.
 */
export class RowProblem {
  /**
   * @param reason What is wrong, e.g. `not a finite number`.
   * @param field Offending field, e.g. `judge_score`.
   * @param value Offending value as read (omitted when the field is missing).
   */
  constructor(
    readonly reason: string,
    readonly field?: string,
    readonly value?: unknown,
  ) {}
}
