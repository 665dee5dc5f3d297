/**
 * Logged-data ingestion for off-policy evaluation: the logging policy's responses with judge
 * scores, an oracle-labelled slice, and teacher-forced log-probs under the logging policy and each
 * target policy (method-ope §2.1), validated loudly and stored as columns in internal units.
 *
 * Deviation from the reference (method-ope §13 B27): a row missing one target's log-prob is removed
 * for that target only, not for every target, and only when the caller chose `onInvalid: "drop"`;
 * by default it is an error naming file, line and field.
 */
import { DropLog } from "../data/drop-log.js";
import { CjeInputError } from "../errors/input-error.js";
import type { DropReport, InvalidRowPolicy } from "../data/evaluation-data.js";
import { asObject } from "../data/fields.js";
import { codePointLength, parseLoggedRow, type ParsedLoggedRow } from "./logged-record.js";
import { RowProblem } from "../data/row-problem.js";
import { resolveScale, ValueRange } from "../data/scale-resolution.js";
import { toInternal } from "../data/scales.js";
import type { CalibrationRow, RowSource, Scale, ScaleResolution } from "../data/types.js";
import { dict, own } from "../data/dictionary.js";

/** `dropped.byPolicy` key for rows removed for every target (invalid row or missing base log-prob). */
export const LOGGED_DROP_KEY = "(logged)";

/** Options of {@link loadLoggedData} and {@link loggedDataFromRecords}. */
export interface LoggedLoadOptions {
  /** Target policies (default: the sorted union of `target_policy_logprobs` keys). */
  readonly targets?: readonly string[];
  /** Name of the logging policy: a log-prob key with this name is not a target (it is ignored). */
  readonly loggingPolicy?: string;
  /** Judge-score scale (use the fresh draws' scale so both are read alike); inferred when absent. */
  readonly judgeScale?: Scale;
  /** Oracle-label scale; inferred when absent. */
  readonly oracleScale?: Scale;
  /**
   * `"error"` (default): the first invalid row or missing log-prob is a `CjeInputError`;
   * `"drop"`: invalid rows are dropped, and a row missing a target's log-prob is dropped for that
   * target; every drop is reported in {@link LoggedData.dropped}.
   */
  readonly onInvalid?: InvalidRowPolicy;
}

/** Validated logged data: one entry per kept row, scores in internal units [0, 1]. */
export interface LoggedData {
  /** File path (or `in-memory`). */
  readonly file: string;
  /** Target policies, in the order used for results. */
  readonly targets: readonly string[];
  /** Number of rows kept. */
  readonly n: number;
  readonly promptIds: readonly string[];
  readonly judgeScores: Float64Array;
  /** Oracle label in [0, 1], NaN when unlabelled. */
  readonly oracleLabels: Float64Array;
  readonly baseLogprobs: Float64Array;
  /** Log-prob of every row under each target; NaN where the row was dropped for that target. */
  readonly targetLogprobs: Readonly<Record<string, Float64Array>>;
  /** Response length in characters (Unicode code points, at least 1). */
  readonly responseChars: Float64Array;
  /** `response_token_count` of every row when all rows carry a positive one, else null. */
  readonly tokenCounts: Float64Array | null;
  /** Source row of each kept row. */
  readonly sources: readonly RowSource[];
  readonly responses: readonly (string | undefined)[];
  readonly numericFields: readonly Readonly<Record<string, number>>[];
  readonly judgeScale: ScaleResolution;
  readonly oracleScale: ScaleResolution | null;
  /** Rows (or row × target pairs) removed in drop mode. */
  readonly dropped: DropReport;
  readonly warnings: string[];
}

/** Rows of one target: indices of the kept rows that have a log-prob for it. */
export function targetRows(data: LoggedData, target: string): Int32Array {
  const lp = own(data.targetLogprobs, target);
  if (lp === undefined) throw new CjeInputError(`unknown target policy '${target}'; targets: ${data.targets.join(", ")}`);
  const rows: number[] = [];
  for (let i = 0; i < data.n; i++) if (!Number.isNaN(lp[i])) rows.push(i);
  return Int32Array.from(rows);
}

/** The labelled logged rows as calibration rows (internal units), for pooling with other labels. */
export function loggedLabelRows(data: LoggedData): CalibrationRow[] {
  const out: CalibrationRow[] = [];
  for (let i = 0; i < data.n; i++) {
    if (Number.isNaN(data.oracleLabels[i])) continue;
    const response = data.responses[i];
    out.push({
      promptId: data.promptIds[i],
      judgeScore: data.judgeScores[i],
      oracleLabel: data.oracleLabels[i],
      ...(response !== undefined ? { response } : {}),
      numericFields: data.numericFields[i],
      source: data.sources[i],
    });
  }
  return out;
}

/** In-memory counterpart of `loadLoggedData` (`@cjeval/core/node`); rows are located as `in-memory:<index + 1>`. */
export function loggedDataFromRecords(records: readonly unknown[], options: LoggedLoadOptions = {}): LoggedData {
  const collector = new LoggedCollector("in-memory", options);
  records.forEach((row, i) => collector.add(row, i + 1));
  return collector.finish();
}

/** Collects and validates logged rows, from a file (`loadLoggedData`) or records. */
export class LoggedCollector {
  private readonly rows: { parsed: ParsedLoggedRow; source: RowSource }[] = [];
  private readonly drops: DropLog;
  private readonly judge: ValueRange;
  private readonly oracle: ValueRange;

  constructor(
    private readonly file: string,
    private readonly options: LoggedLoadOptions,
  ) {
    this.drops = new DropLog(options.onInvalid ?? "error");
    this.judge = new ValueRange(file);
    this.oracle = new ValueRange(file);
  }

  add(value: unknown, line: number): void {
    const source = { file: this.file, line };
    const object = asObject(value);
    const parsed = object instanceof RowProblem ? object : parseLoggedRow(object);
    if (parsed instanceof RowProblem) {
      this.drops.reject(parsed, source, LOGGED_DROP_KEY);
      return;
    }
    if (parsed.baseLogprob === null) {
      this.drops.reject(new RowProblem("missing: the logging policy's log-prob is needed for every target", "base_policy_logprob"), source, LOGGED_DROP_KEY);
      return;
    }
    this.judge.add(parsed.judgeScore, source);
    if (parsed.oracleLabel !== null) this.oracle.add(parsed.oracleLabel, source);
    this.rows.push({ parsed, source });
  }

  finish(): LoggedData {
    const { rows, options } = this;
    if (rows.length === 0) throw new CjeInputError("logged data has no usable rows", { file: this.file });
    const targets = this.resolveTargets();
    const judgeScale = resolveScale("judge", [this.judge], options.judgeScale) as ScaleResolution;
    const oracleScale = resolveScale("oracle", [this.oracle], options.oracleScale);
    const n = rows.length;
    const lp: Record<string, Float64Array> = dict();
    for (const t of targets) lp[t] = new Float64Array(n);
    const judgeScores = new Float64Array(n);
    const oracleLabels = new Float64Array(n);
    const baseLogprobs = new Float64Array(n);
    const responseChars = new Float64Array(n);
    let tokenCounts: Float64Array | null = new Float64Array(n);
    rows.forEach(({ parsed, source }, i) => {
      judgeScores[i] = unit(judgeScale.scale, parsed.judgeScore);
      oracleLabels[i] = parsed.oracleLabel === null ? Number.NaN : unit((oracleScale as ScaleResolution).scale, parsed.oracleLabel);
      baseLogprobs[i] = parsed.baseLogprob as number;
      responseChars[i] = Math.max(1, parsed.response === undefined ? 0 : codePointLength(parsed.response));
      if (tokenCounts !== null) {
        if (parsed.tokenCount === null) tokenCounts = null;
        else tokenCounts[i] = parsed.tokenCount;
      }
      for (const t of targets) {
        const value = parsed.targetLogprobs.get(t);
        if (value === undefined || value === null) {
          const field = `target_policy_logprobs.${t}`;
          const reason = value === undefined ? "missing for this target" : "null (missing) for this target";
          this.drops.reject(new RowProblem(`${reason}; the row is dropped for target '${t}' only`, field, value ?? null), source, t);
          lp[t][i] = Number.NaN;
        } else {
          lp[t][i] = value;
        }
      }
    });
    const dropped = this.drops.report();
    const warnings: string[] = [];
    if (dropped.total > 0) warnings.push(`${this.file}: dropped ${dropped.total} logged row(s) or row × target pair(s) (onInvalid: "drop"); see dropped.rows`);
    for (const t of targets) {
      if (!lp[t].some((x) => !Number.isNaN(x))) throw new CjeInputError(`target '${t}' has no row with a log-prob`, { file: this.file });
    }
    return {
      file: this.file,
      targets,
      n,
      promptIds: rows.map((r) => r.parsed.promptId),
      judgeScores,
      oracleLabels,
      baseLogprobs,
      targetLogprobs: lp,
      responseChars,
      tokenCounts,
      sources: rows.map((r) => r.source),
      responses: rows.map((r) => r.parsed.response),
      numericFields: rows.map((r) => r.parsed.numericFields),
      judgeScale,
      oracleScale,
      dropped,
      warnings,
    };
  }

  private resolveTargets(): string[] {
    const seen = new Set<string>();
    for (const { parsed } of this.rows) for (const key of parsed.targetLogprobs.keys()) seen.add(key);
    const logger = this.options.loggingPolicy;
    if (this.options.targets !== undefined) {
      for (const t of this.options.targets) {
        if (t === logger) throw new CjeInputError(`'${t}' is the logging policy, not a target`, { file: this.file, field: "targets", value: t });
        if (!seen.has(t))
          throw new CjeInputError(`no row has a target_policy_logprobs entry for target '${t}'`, { file: this.file, field: "targets", value: t });
      }
      return [...this.options.targets];
    }
    const targets = [...seen].filter((t) => t !== logger).sort();
    if (targets.length === 0) throw new CjeInputError("no target policy: target_policy_logprobs is empty or missing on every row", { file: this.file });
    return targets;
  }
}

/** Internal units, clamped so values within the scale tolerance land exactly on [0, 1]. */
function unit(scale: Scale, x: number): number {
  const u = toInternal(scale, x);
  return u <= 0 ? 0 : u > 1 ? 1 : u;
}
