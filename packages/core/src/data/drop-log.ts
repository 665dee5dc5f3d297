import { CjeInputError } from "../errors/input-error.js";
import type { DropReport, DroppedRow, InvalidRowPolicy } from "./evaluation-data.js";
import type { RowProblem } from "./row-problem.js";
import type { RowSource } from "./types.js";
import { dict } from "./dictionary.js";

/** `byPolicy` key for invalid rows of the calibration file. */
export const CALIBRATION_DROP_KEY = "(calibration)";

/** `byPolicy` key for invalid rows of a multi-policy file whose policy cannot be read. */
export const UNATTRIBUTED_DROP_KEY = "(unattributed)";

/**
 * Applies the invalid-row policy: in `"error"` mode {@link DropLog.reject} throws a
 * `CjeInputError` at the row's file:line; in `"drop"` mode it records the row.
 */
export class DropLog {
  private readonly rows: DroppedRow[] = [];
  private readonly byPolicy = new Map<string, number>();
  private readonly byReason = new Map<string, number>();

  constructor(private readonly mode: InvalidRowPolicy) {}

  /** The invalid-row policy this log applies. */
  get policy(): InvalidRowPolicy {
    return this.mode;
  }

  /** Raises (error mode) or records (drop mode) an invalid row counted under `policyKey`. */
  reject(problem: RowProblem, at: RowSource, policyKey: string): void {
    const { reason, field, value } = problem;
    if (this.mode === "error") throw new CjeInputError(reason, { file: at.file, line: at.line, field, value });
    this.rows.push({ file: at.file, line: at.line, field, value, reason });
    this.byPolicy.set(policyKey, (this.byPolicy.get(policyKey) ?? 0) + 1);
    const reasonKey = field !== undefined ? `${field}: ${reason}` : reason;
    this.byReason.set(reasonKey, (this.byReason.get(reasonKey) ?? 0) + 1);
  }

  /** Number of rows dropped under `policyKey`. */
  droppedFor(policyKey: string): number {
    return this.byPolicy.get(policyKey) ?? 0;
  }

  /** Snapshot of everything dropped so far. */
  report(): DropReport {
    return { total: this.rows.length, byPolicy: dict(this.byPolicy), byReason: dict(this.byReason), rows: [...this.rows] };
  }
}
