/**
 * LangSmith feedback as numbers per run and key: feedback records (`{run_id, key, score, value, …}`,
 * exported as JSON or JSONL) and the `feedback_stats` runs carry (`{<key>: {n, avg, …}}`).
 */
import { recordError, type LocatedRecord } from "../input/records.js";

/** One feedback number for one run and where it came from. */
export interface FeedbackScore {
  readonly score: number;
  readonly record: LocatedRecord;
  /** `feedback` (a feedback record) or `feedback_stats` (a run's aggregate). */
  readonly origin: "feedback" | "feedback_stats";
}

/**
 * A feedback value as a number: `score` when set, else a numeric or boolean `value` (as the SDK's
 * `to_pandas` reads it); `undefined` when there is none.
 */
export function feedbackNumber(score: unknown, value: unknown): number | undefined {
  for (const v of [score, value]) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** Feedback records by key, then run id; two records of one key for one run are an error naming both lines. */
export function indexFeedback(records: readonly LocatedRecord[]): Map<string, Map<string, FeedbackScore>> {
  const byKey = new Map<string, Map<string, FeedbackScore>>();
  for (const record of records) {
    const key = record.value.key;
    if (typeof key !== "string" || key === "") throw recordError(record, "feedback has no key", "key", key ?? null);
    const runId = record.value.run_id;
    if (typeof runId !== "string" || runId === "") throw recordError(record, "feedback has no run_id", "run_id", runId ?? null);
    const byRun = byKey.get(key) ?? new Map<string, FeedbackScore>();
    byKey.set(key, byRun);
    const first = byRun.get(runId);
    if (first !== undefined)
      throw recordError(record, `a second '${key}' feedback for run ${runId} (first on line ${first.record.line ?? "?"})`, "run_id", runId);
    const score = feedbackNumber(record.value.score, record.value.value);
    if (score === undefined) throw recordError(record, "feedback score must be a number or a boolean (score, else value)", "score", record.value.score ?? null);
    byRun.set(runId, { score, record, origin: "feedback" });
  }
  return byKey;
}

/** A run's `feedback_stats` entry for `key` as its average, or `undefined` when it has none. */
export function statsScore(run: LocatedRecord, key: string): FeedbackScore | undefined {
  const stats = run.value.feedback_stats;
  if (stats === null || typeof stats !== "object") return undefined;
  const entry = (stats as Record<string, unknown>)[key];
  if (entry === null || typeof entry !== "object") return undefined;
  const avg = (entry as Record<string, unknown>).avg;
  if (typeof avg !== "number" || !Number.isFinite(avg)) return undefined;
  return { score: avg, record: run, origin: "feedback_stats" };
}

/** The keys of a run's `feedback_stats`. */
export function statsKeys(run: LocatedRecord): string[] {
  const stats = run.value.feedback_stats;
  return stats !== null && typeof stats === "object" && !Array.isArray(stats) ? Object.keys(stats) : [];
}
