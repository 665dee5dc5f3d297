/**
 * What both stores share around their statements: the parameters each write binds and the mapping of
 * result rows to the {@link CampaignStore} types. PostgreSQL returns sums and counts as strings (64-bit
 * integers), so every number read goes through `Number`.
 */
import type {
  AttemptSummary,
  ErrorGroup,
  FailedUnit,
  StageActivity,
  StageCounts,
  StageName,
  StoredResult,
  UnitFailure,
  UnitOutcome,
  UnitSpec,
  UnitState,
  UnitStatus,
  UsageSummary,
} from "./store.js";

/** A value a statement binds. */
export type SqlValue = string | number | null;

/** A row of the `units` table, as far as the statements read it. */
export interface UnitRow {
  readonly key: string;
  readonly stage: StageName;
  readonly policy: string | null;
  readonly prompt_id: string | null;
  readonly status: UnitStatus;
  readonly value?: string | null;
  readonly error?: string | null;
  readonly error_code?: string | null;
  readonly retryable?: number | null;
}

type Count = number | string | null;

/** Parameters of `insertUnit`. */
export function insertUnitParams(unit: UnitSpec, now: string): SqlValue[] {
  return [unit.key, unit.stage, unit.policy, unit.promptId, unit.descriptor === undefined ? null : JSON.stringify(unit.descriptor), now, now];
}

/** Parameters of `markDone`. */
export function markDoneParams(key: string, outcome: UnitOutcome, now: string): SqlValue[] {
  const u = outcome.usage;
  return [
    JSON.stringify(outcome.value ?? null),
    u?.provider ?? null,
    u?.model ?? null,
    u?.inputTokens ?? 0,
    u?.outputTokens ?? 0,
    u?.cached === true ? 1 : 0,
    now,
    now,
    key,
  ];
}

/** Parameters of `markFailed`. */
export function markFailedParams(key: string, failure: UnitFailure, now: string): SqlValue[] {
  return [failure.message, failure.code, failure.retryable ? 1 : 0, now, key];
}

/** The failure recorded on a failed unit's row. */
export function failureOf(row: UnitRow): UnitFailure {
  return { message: row.error ?? "", code: row.error_code ?? "error", retryable: Number(row.retryable) === 1 };
}

/** A unit's state from its row. */
export function unitStateOf(row: UnitRow): UnitState {
  return row.status === "failed" ? { key: row.key, status: row.status, failure: failureOf(row) } : { key: row.key, status: row.status };
}

/** A stored result from its row. */
export function storedResultOf(row: UnitRow): StoredResult {
  return { key: row.key, policy: row.policy, promptId: row.prompt_id, value: JSON.parse(row.value as string) };
}

/** A failed unit from its row. */
export function failedUnitOf(row: UnitRow): FailedUnit {
  return { key: row.key, stage: row.stage, policy: row.policy, promptId: row.prompt_id, failure: failureOf(row) };
}

/** Stage counts from the `stageCounts` rows. */
export function stageCountsOf(rows: ReadonlyArray<{ stage: StageName; done: Count; failed: Count; pending: Count }>): StageCounts[] {
  return rows.map((r) => ({ stage: r.stage, done: Number(r.done), failed: Number(r.failed), pending: Number(r.pending) }));
}

/** Usage summaries from the `usage` rows. */
export function usageOf(
  rows: ReadonlyArray<{ stage: StageName; provider: string; model: string; calls: Count; cached_calls: Count; input_tokens: Count; output_tokens: Count }>,
): UsageSummary[] {
  return rows.map((r) => ({
    stage: r.stage,
    provider: r.provider,
    model: r.model,
    calls: Number(r.calls),
    cachedCalls: Number(r.cached_calls),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
  }));
}

/** Stage activity from the `stageActivity` rows. */
export function stageActivityOf(
  rows: ReadonlyArray<{
    stage: StageName;
    first_completed: string | null;
    last_completed: string | null;
    recent: Count;
    attempts: Count;
    failed_attempts: Count;
    interrupted: Count;
    in_flight: Count;
  }>,
): StageActivity[] {
  return rows.map((r) => ({
    stage: r.stage,
    firstCompletedAt: r.first_completed,
    lastCompletedAt: r.last_completed,
    completedSince: Number(r.recent ?? 0),
    attempts: Number(r.attempts ?? 0),
    failedAttempts: Number(r.failed_attempts ?? 0),
    interrupted: Number(r.interrupted ?? 0),
    inFlight: Number(r.in_flight ?? 0),
  }));
}

/** Error groups from the `errorSummary` rows. */
export function errorGroupsOf(rows: ReadonlyArray<{ stage: StageName; error_code: string | null; units: Count; example: string | null }>): ErrorGroup[] {
  return rows.map((r) => ({ stage: r.stage, code: r.error_code, units: Number(r.units), example: r.example ?? "" }));
}

/** The attempt summary from the `attemptSummary` row (sums are `NULL` on an empty store). */
export function attemptsOf(row: { attempts: Count; failed: Count; interrupted: Count }): AttemptSummary {
  return { attempts: Number(row.attempts ?? 0), failedAttempts: Number(row.failed ?? 0), interrupted: Number(row.interrupted ?? 0) };
}
