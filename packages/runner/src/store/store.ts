/**
 * The campaign store contract: what the runner needs from a database, independent of the backend
 * (SQLite here; `@cjeval/postgres` implements the same interface). Work is split into units, each
 * with an idempotency key derived from everything that determines its answer; a unit's result is written
 * in one transaction with its status, so a unit that has a stored result is never called again.
 *
 * A backend that several processes share offers a {@link StoreCoordination}: the runner asks it for the
 * shared rate limits and the queue's status, and never looks at the backend's type or runs SQL through it.
 */
import type { ResponseCache } from "@cjeval/provider-utils";
import type { RateLimits } from "../providers/rate-limit.js";
import type { StageName } from "../stages/table.js";

export type { StageName } from "../stages/table.js";

/** A unit of work to register. */
export interface UnitSpec {
  /** Idempotency key: a hash of everything that determines the unit's answer. */
  readonly key: string;
  readonly stage: StageName;
  /** Policy the unit belongs to, when it belongs to one. */
  readonly policy: string | null;
  /** Prompt the unit belongs to, when it belongs to one. */
  readonly promptId: string | null;
  /** Small JSON description for humans (provider, model, …); never secrets or large texts. */
  readonly descriptor?: unknown;
}

/** Tokens billed for a unit's call, for cost accounting. */
export interface UnitUsage {
  /** Provider name as configured in the campaign. */
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** True when the answer came from the response cache (nothing billed). */
  readonly cached: boolean;
}

/** What a successful call leaves in the store. */
export interface UnitOutcome {
  /** JSON-serialisable result. */
  readonly value: unknown;
  /** Absent for units that call no API (sampling, estimation, simulated providers). */
  readonly usage?: UnitUsage;
}

/** Why a call failed. */
export interface UnitFailure {
  readonly message: string;
  /** `ProviderError` code, or `error` for anything else. */
  readonly code: string;
  /** Whether a later run should try the unit again. */
  readonly retryable: boolean;
}

/** Status of a registered unit. */
export type UnitStatus = "pending" | "done" | "failed";

/** A registered unit with its status. */
export interface UnitState {
  readonly key: string;
  readonly status: UnitStatus;
  /** Set when `status` is `failed`. */
  readonly failure?: UnitFailure;
}

/** A stored result. */
export interface StoredResult {
  readonly key: string;
  readonly policy: string | null;
  readonly promptId: string | null;
  readonly value: unknown;
}

/** A unit whose last attempt failed. */
export interface FailedUnit {
  readonly key: string;
  readonly stage: StageName;
  readonly policy: string | null;
  readonly promptId: string | null;
  readonly failure: UnitFailure;
}

/** Summed usage of one provider model in one stage. */
export interface UsageSummary {
  readonly stage: StageName;
  readonly provider: string;
  readonly model: string;
  /** Calls answered by the API. */
  readonly calls: number;
  /** Calls answered from the response cache. */
  readonly cachedCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Counts of attempts, for the run summary. */
export interface AttemptSummary {
  readonly attempts: number;
  readonly failedAttempts: number;
  /**
   * Attempts that were in flight when a previous process died: their unit had no stored result, so it
   * was called again (the only calls a resumed campaign may repeat).
   */
  readonly interrupted: number;
}

/** Per-stage unit counts. */
export interface StageCounts {
  readonly stage: StageName;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
}

/** A stage's calls over time: completions, attempts and calls in flight. */
export interface StageActivity {
  readonly stage: StageName;
  /** ISO time of the stage's first and last stored result (`null` before the first). */
  readonly firstCompletedAt: string | null;
  readonly lastCompletedAt: string | null;
  /** Results stored at or after the `since` time asked for. */
  readonly completedSince: number;
  readonly attempts: number;
  readonly failedAttempts: number;
  /** Attempts cut short by a dead process (their units were called again). */
  readonly interrupted: number;
  /** Calls begun and not yet finished (or whose process died and no one has resumed the unit yet). */
  readonly inFlight: number;
}

/** Units of a stage that failed with the same error code. */
export interface ErrorGroup {
  readonly stage: StageName;
  /** The provider error's code (`rate_limit`, `timeout`, …), or `null` when it had none. */
  readonly code: string | null;
  readonly units: number;
  /** One of the messages, for a first look. */
  readonly example: string;
}

/** A distributed campaign's queue: waiting and taken units, and the workers present. */
export interface QueueStatus {
  /** Units waiting for a worker. */
  readonly queued: number;
  /** Units a worker is calling. */
  readonly active: number;
  /** Application names of the processes working on the queue (`cje worker host:pid`, `cje run host:pid`). */
  readonly workers: readonly string[];
}

/**
 * What the processes sharing a store coordinate through it (a PostgreSQL store: the run and its workers).
 * A store that one process uses at a time has none.
 */
export interface StoreCoordination {
  /** Request-rate caps that hold for every process of the store together (instead of per process). */
  rateLimits(): RateLimits;
  /** The queue of units to call and the workers present. */
  queueStatus(): Promise<QueueStatus>;
}

/**
 * A campaign's durable state. Methods are asynchronous so that networked backends fit the same contract.
 * Implementations must make {@link CampaignStore.completeAttempt} atomic: the result, the unit's status
 * and the attempt's outcome are written together or not at all.
 */
export interface CampaignStore {
  /** Schema version of the open store. */
  readonly schemaVersion: number;
  /** The store for messages: its file, or its URL without the password. */
  readonly location: string;
  /** Provider response cache backed by the store (keys are request hashes). */
  readonly responseCache: ResponseCache;
  /** Cross-process coordination, for a store several processes share; absent otherwise. */
  readonly coordination?: StoreCoordination;
  /** A metadata value (campaign snapshot, current estimate, …), or `undefined`. */
  getMeta(key: string): Promise<string | undefined>;
  /** Sets a metadata value. */
  setMeta(key: string, value: string): Promise<void>;
  /** Registers units that are not registered yet (existing units keep their status and results). */
  registerUnits(units: readonly UnitSpec[]): Promise<void>;
  /** States of every registered unit of `stage`, in no particular order. */
  unitStates(stage: StageName): Promise<UnitState[]>;
  /**
   * Durably records that a call for `key` is starting, before anything is sent. An attempt still open when
   * the store is next opened for writing was cut short by a dead process and counts as interrupted.
   */
  beginAttempt(key: string): Promise<void>;
  /** Stores a unit's result and closes its attempt, in one transaction (a unit is never completed twice). */
  completeAttempt(key: string, outcome: UnitOutcome): Promise<void>;
  /** Marks the unit failed and closes its attempt, in one transaction. */
  failAttempt(key: string, failure: UnitFailure): Promise<void>;
  /** Results of a stage. */
  results(stage: StageName): Promise<StoredResult[]>;
  /** Units whose last attempt failed (all stages when `stage` is omitted). */
  failures(stage?: StageName): Promise<FailedUnit[]>;
  /** Unit counts by stage and status. */
  stageCounts(): Promise<StageCounts[]>;
  /** Token usage of the stored results, by stage and provider model. */
  usage(): Promise<UsageSummary[]>;
  /** Per-stage completions (and how many since `since`), attempts and calls in flight. */
  stageActivity(since: Date): Promise<StageActivity[]>;
  /** Failed units grouped by stage and error code. */
  errorSummary(): Promise<ErrorGroup[]>;
  /** Attempt counts over all units. */
  attempts(): Promise<AttemptSummary>;
  /** The process running the campaign on this store, when one is (for status). */
  runner(): Promise<string | null>;
  /** Commits what is pending, releases the campaign lock and closes the connection. */
  close(): Promise<void>;
}
