import { DrawIndex } from "./draw-index.js";
import { PromptRegistry } from "./prompt-registry.js";
import { parseDrawRow, type DraftDraw } from "./draw-record.js";
import { type DropLog, UNATTRIBUTED_DROP_KEY } from "./drop-log.js";
import { CjeInputError } from "../errors/input-error.js";
import { asObject, readPolicy, type JsonObject } from "./fields.js";
import type { DrawSourceLayout } from "./policy-files.js";
import { RowProblem } from "./row-problem.js";
import { ValueRange } from "./scale-resolution.js";

/** Receives rows of one source: the parsed value and its 1-based line (in-memory: index + 1). */
export interface DrawSourceReader {
  /** Validates and stores one row (or rejects it through the drop log). */
  add(value: unknown, line: number): void;
  /** Checks the source once its last row was added (empty source, nothing valid left). */
  finish(): void;
}

const LOGPROB_FIELDS = ["base_policy_logprob", "target_policy_logprobs", "logprob", "logprobs", "total_logprob", "token_logprobs"];

/** Draws of one policy: its source file, value ranges, draw index and row count. */
export interface PolicyDraws {
  readonly policy: string;
  readonly file: string;
  readonly judge: ValueRange;
  readonly oracle: ValueRange;
  readonly index: DrawIndex;
  rows: number;
}

/**
 * Accumulates fresh draws from any number of sources (files or in-memory arrays): enforces one
 * source per policy, per-policy draw indices, and tracks the judge/oracle value ranges per source
 * for scale inference. Invalid rows go through the {@link DropLog}.
 */
export class DrawCollector {
  /** Draft draws of every source, in reading order. */
  readonly draws: DraftDraw[] = [];
  private readonly states = new Map<string, PolicyDraws>();
  private readonly prompts = new PromptRegistry();

  constructor(private readonly drops: DropLog) {}

  /**
   * Reserves `policy` for `file`, creating its state; a policy already reserved by another file
   * is a `CjeInputError` naming both files (and `line`, the row that claimed it, when known).
   *
   * @param perFileLabel Label the policy's value ranges `<file> (policy '<policy>')`, for sources
   *   holding several policies (scale inference runs per policy there).
   */
  claim(policy: string, file: string, line?: number, perFileLabel = false): PolicyDraws {
    const known = this.states.get(policy);
    if (known !== undefined) {
      if (known.file === file) return known;
      throw new CjeInputError(`policy '${policy}' comes from two sources: ${known.file} and ${file}; keep exactly one source per policy`, {
        file,
        line,
      });
    }
    const label = perFileLabel ? `${file} (policy '${policy}')` : file;
    const state: PolicyDraws = {
      policy,
      file,
      judge: new ValueRange(label),
      oracle: new ValueRange(label),
      index: new DrawIndex(this.draws),
      rows: 0,
    };
    this.states.set(policy, state);
    return state;
  }

  /**
   * Reserves the policy of every `per-policy` source before any row is read, so that a `by-content` source whose
   * rows name one of those policies fails at its row, whatever the order of the sources.
   */
  claimSources(sources: readonly ({ readonly file: string } & DrawSourceLayout)[]): void {
    for (const source of sources) if (source.layout === "per-policy") this.claim(source.policy, source.file);
  }

  /** Opens a reader for one source labelled `file` (a path, or an in-memory label). */
  open(file: string, layout: DrawSourceLayout): DrawSourceReader {
    return new SourceReader(this, this.drops, file, layout);
  }

  /** Stores a validated draft for `state`, replacing its prompt id by the shared instance. */
  store(state: PolicyDraws, draft: DraftDraw): void {
    const key = this.prompts.keyOf(draft.promptId);
    draft.promptId = this.prompts.idOf(key);
    state.judge.add(draft.judgeScore, draft.source);
    if (draft.oracleLabel !== null) state.oracle.add(draft.oracleLabel, draft.source);
    state.index.add(draft, key, this.draws.length);
    state.rows++;
    this.draws.push(draft);
  }

  /**
   * Final checks and draw-index assignment. Every policy must keep at least one row: a policy
   * whose rows were all dropped is an error, never silently removed.
   *
   * @returns the value ranges of every source and the `(policy, file)` pairs, sorted by policy.
   */
  finish(): { judgeRanges: ValueRange[]; oracleRanges: ValueRange[]; sources: { policy: string; file: string }[]; warnings: string[] } {
    const states = [...this.states.values()].sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
    const warnings: string[] = [];
    for (const state of states) {
      if (state.rows === 0) throw emptiedPolicy(state.policy, this.drops.droppedFor(state.policy));
      const repeated = state.index.assignMissing();
      if (repeated.length > 0) warnings.push(repeatedPromptWarning(state.policy, repeated));
    }
    return {
      warnings,
      judgeRanges: states.map((state) => state.judge),
      oracleRanges: states.map((state) => state.oracle),
      sources: states.map((state) => ({ policy: state.policy, file: state.file })),
    };
  }
}

class SourceReader implements DrawSourceReader {
  private single: PolicyDraws | null = null;
  private decided: boolean;
  private rows = 0;
  private valid = 0;

  constructor(
    private readonly collector: DrawCollector,
    private readonly drops: DropLog,
    private readonly file: string,
    private readonly layout: DrawSourceLayout,
  ) {
    this.decided = layout.layout === "per-policy";
    if (layout.layout === "per-policy") this.single = collector.claim(layout.policy, file);
  }

  add(value: unknown, line: number): void {
    this.rows++;
    const source = { file: this.file, line };
    const row = asObject(value);
    if (row instanceof RowProblem) {
      this.drops.reject(row, source, this.single?.policy ?? UNATTRIBUTED_DROP_KEY);
      return;
    }
    if (!this.decided) this.decide(row, line);
    const named = readPolicy(row);
    const state = this.single !== null ? this.checkNamed(named, row) : this.stateOf(named, line);
    if (state instanceof RowProblem) {
      const key = this.single?.policy ?? (typeof named === "string" ? named : UNATTRIBUTED_DROP_KEY);
      this.drops.reject(state, source, key);
      return;
    }
    const draft = parseDrawRow(row, state.policy, source);
    if (draft instanceof RowProblem) {
      this.drops.reject(draft, source, state.policy);
      return;
    }
    this.valid++;
    this.collector.store(state, draft);
  }

  finish(): void {
    if (this.rows === 0) throw new CjeInputError("no records (the source is empty)", { file: this.file });
    if (this.valid === 0) {
      throw new CjeInputError(`no valid rows: all ${this.rows} rows were dropped; refusing to remove a policy silently`, {
        file: this.file,
      });
    }
  }

  /**
   * First object row of a `by-content` source: the source holds several policies when that row
   * names a policy other than the one in the file name; otherwise every row belongs to the file
   * name's policy.
   */
  private decide(row: JsonObject, line: number): void {
    this.decided = true;
    if (this.layout.layout !== "by-content") return;
    const { namedPolicy } = this.layout;
    const named = readPolicy(row);
    if (namedPolicy !== null && (named === null || named instanceof RowProblem || named === namedPolicy)) {
      this.single = this.collector.claim(namedPolicy, this.file);
      return;
    }
    if (named !== null) return;
    const hint = LOGPROB_FIELDS.some((field) => field in row)
      ? "; it carries logprob fields, so it looks like logged data: pass it as the calibration file (--calibration)"
      : "";
    throw new CjeInputError(`missing: rows must name their policy ('policy' or 'target_policy') because the source name does not${hint}`, {
      file: this.file,
      line,
      field: "policy",
    });
  }

  private checkNamed(named: string | null | RowProblem, row: JsonObject): PolicyDraws | RowProblem {
    const state = this.single!;
    if (named instanceof RowProblem) return named;
    if (named === null || named === state.policy) return state;
    const field = row.policy !== undefined && row.policy !== null ? "policy" : "target_policy";
    return new RowProblem(`row belongs to another policy, but this file holds policy '${state.policy}' (named by the file)`, field, named);
  }

  private stateOf(named: string | null | RowProblem, line: number): PolicyDraws | RowProblem {
    if (named instanceof RowProblem) return named;
    if (named === null) {
      return new RowProblem("missing: this source holds several policies (other rows name theirs); refusing to guess", "policy");
    }
    return this.collector.claim(named, this.file, line, true);
  }
}

function emptiedPolicy(policy: string, dropped: number): CjeInputError {
  return new CjeInputError(
    `policy '${policy}' has no valid rows after dropping ${dropped} invalid row${dropped === 1 ? "" : "s"}; refusing to remove a policy silently`,
  );
}

/** Prompts listed per policy in a {@link repeatedPromptWarning}. */
const LISTED_REPEATS = 3;

/**
 * The warning for prompts with several rows of one policy told apart only by an assigned `draw_idx`: the
 * analysis treats them as repeated draws of the prompt (right for repeated sampling, wrong for one answer
 * recorded twice), so `cje analyze` and `cje validate` both say so, with the files and lines.
 */
function repeatedPromptWarning(policy: string, groups: readonly DraftDraw[][]): string {
  const rows = groups.reduce((n, g) => n + g.length, 0);
  const examples = groups
    .slice(0, LISTED_REPEATS)
    .map((g) => `prompt_id ${JSON.stringify(g[0].promptId)} at ${g.map((d) => `${d.source.file}:${d.source.line}`).join(", ")}`)
    .join("; ");
  const more = groups.length > LISTED_REPEATS ? `; and ${groups.length - LISTED_REPEATS} more` : "";
  return (
    `policy '${policy}': ${groups.length} prompt${groups.length === 1 ? " has" : "s have"} several rows (${rows} in all) without distinct ` +
    `draw_idx (${examples}${more}); they are analysed as repeated draws of the prompt (draw_idx assigned 0, 1, …). ` +
    "If a row was recorded twice, remove it; if they are repeated samples, give each a draw_idx."
  );
}
