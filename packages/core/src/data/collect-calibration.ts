import { parseCalibrationRow, type DraftCalibrationRow } from "./calibration-record.js";
import { CALIBRATION_DROP_KEY, type DropLog } from "./drop-log.js";
import { CjeInputError } from "../errors/input-error.js";
import { asObject } from "./fields.js";
import { RowProblem } from "./row-problem.js";
import { ValueRange } from "./scale-resolution.js";

const LISTED_LINES = 10;

/**
 * Accumulates the rows of a calibration source. Rows without an oracle label are skipped and
 * counted (logged data legitimately holds unlabelled rows); invalid rows go through the
 * {@link DropLog} under the key `(calibration)`.
 */
export class CalibrationCollector {
  /** Labelled draft rows, in reading order. */
  readonly rows: DraftCalibrationRow[] = [];
  /** Range of the judge scores of the labelled rows. */
  readonly judge: ValueRange;
  /** Range of the oracle labels. */
  readonly oracle: ValueRange;
  /** Number of rows skipped for lack of an oracle label. */
  unlabelled = 0;
  private records = 0;
  private readonly fabricatedLines: number[] = [];

  /** @param file Path of the calibration file (or an in-memory label). */
  constructor(
    readonly file: string,
    private readonly drops: DropLog,
  ) {
    this.judge = new ValueRange(file);
    this.oracle = new ValueRange(file);
  }

  /** Validates and stores one row; `line` is 1-based (in-memory: index + 1). */
  add(value: unknown, line: number): void {
    this.records++;
    const source = { file: this.file, line };
    const row = asObject(value);
    const parsed = row instanceof RowProblem ? row : parseCalibrationRow(row, source, () => this.fabricateId(line));
    if (parsed === null) {
      this.unlabelled++;
    } else if (parsed instanceof RowProblem) {
      this.drops.reject(parsed, source, CALIBRATION_DROP_KEY);
    } else {
      this.judge.add(parsed.judgeScore, source);
      this.oracle.add(parsed.oracleLabel, source);
      this.rows.push(parsed);
    }
  }

  /**
   * Checks that at least one labelled row remains.
   *
   * @returns warnings (ids fabricated for rows without `prompt_id` and `prompt`).
   */
  finish(): string[] {
    if (this.records === 0) throw new CjeInputError("calibration source has no records", { file: this.file });
    if (this.rows.length === 0) {
      const dropped = this.drops.droppedFor(CALIBRATION_DROP_KEY);
      throw new CjeInputError(
        `calibration source has no usable labelled rows (${this.records} rows: ${this.unlabelled} without oracle_label, ${dropped} invalid and dropped)`,
        { file: this.file },
      );
    }
    const count = this.fabricatedLines.length;
    if (count === 0) return [];
    const shown = this.fabricatedLines.slice(0, LISTED_LINES).join(", ") + (count > LISTED_LINES ? ", …" : "");
    return [
      `${this.file}: ${count} calibration row${count === 1 ? " has" : "s have"} neither prompt_id nor prompt; ` +
        `gave them ids calibration_row_<line> (lines ${shown})`,
    ];
  }

  private fabricateId(line: number): string {
    this.fabricatedLines.push(line);
    return `calibration_row_${line}`;
  }
}
