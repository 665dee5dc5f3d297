/**
 * Stage 5: oracle labels for the selected rows — from an LLM oracle (`llmOracle` of @cjeval/oracle, one
 * call per row), or from people: the rows are exported blind (`item_id, prompt, response, oracle_label`,
 * no policy, no judge score) and the filled-in file is read back on every run, each label stored as its
 * row's result. The transport probes drawn beside the label sample are labelled the same way, by the same
 * oracle; they are told apart only later, when the estimate keeps them out of the calibration.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { CjeInputError, type JudgeResult } from "@cjeval/core";
import { exportForLabelling, itemIdOf, llmOracle, readLabelFile, type ToLabelRow } from "@cjeval/oracle";
import { z } from "zod";
import type { OracleConfig } from "../config/schema.js";
import { configuredJudge, type ConfiguredJudge } from "../providers/judges.js";
import { resultsFor, rowId, type StageContext, unitKey, unitUsage } from "./context.js";
import type { StageOutcome, UnitJob } from "./execute.js";
import type { GeneratedRow } from "./generate.js";
import type { JudgeValue } from "./judge.js";
import type { LabelSelection } from "./sample.js";
import type { SampledRow } from "./sample-design.js";

/** A stored oracle label. */
export interface LabelValue {
  /** Label in [0, 1]. */
  readonly label: number;
  /** Label on the oracle's scale. */
  readonly native: number;
  /** The LLM oracle's raw output, or `file:line` of a human label. */
  readonly source: string;
}

/** Schema of a stored oracle label (checked when read back). */
export const LabelValueSchema: z.ZodType<LabelValue> = z.object({ label: z.number(), native: z.number(), source: z.string() });

/** What the stage leaves for the next ones. */
export interface LabelStageResult {
  readonly outcome: StageOutcome | null;
  /** Labels by row id. */
  readonly labels: Map<string, LabelValue>;
  /** Inclusion probability of each row the label design selected, by row id. */
  readonly inclusion: Map<string, number>;
  /** Inclusion probability of each transport probe, by row id (their labels are in `labels` too). */
  readonly probes: Map<string, number>;
  /** Selected rows still without a label (human oracle). */
  readonly pending: number;
  /** Where the rows to label were written, when some are pending. */
  readonly todoFile: string | null;
}

/** A selected row with what labelling it needs. */
interface SelectedRow extends GeneratedRow {
  readonly inclusion: number;
  readonly itemId: string;
  /** A transport probe rather than a calibration label. */
  readonly probe: boolean;
}

/** The idempotency key of the label of `row` by the oracle with `fingerprint`. */
export function labelKey(fingerprint: unknown, row: GeneratedRow): string {
  return unitKey("label", { oracle: fingerprint, policy: row.policy, promptId: row.prompt.id, prompt: row.prompt.text, response: row.response });
}

/** What determines an LLM oracle's labels. */
export function llmOracleFingerprint(judge: ConfiguredJudge): Record<string, unknown> {
  return { type: "llm", ...judge.fingerprint };
}

/** Runs (or resumes) labelling of the selected rows and the transport probes. */
export async function labelStage(
  ctx: StageContext,
  selection: LabelSelection | null,
  rows: ReadonlyMap<string, GeneratedRow>,
  verdicts: ReadonlyMap<string, JudgeValue>,
): Promise<LabelStageResult> {
  const oracle = ctx.campaign.config.oracle;
  if (selection === null || oracle === undefined)
    return { outcome: null, labels: new Map(), inclusion: new Map(), probes: new Map(), pending: 0, todoFile: null };
  const toRow = (s: SampledRow, probe: boolean): SelectedRow => ({
    ...(rows.get(rowId(s.policy, s.promptId)) as GeneratedRow),
    inclusion: s.inclusion,
    itemId: itemIdOf({ policy: s.policy, promptId: s.promptId, drawIdx: 0 }),
    probe,
  });
  const selected: SelectedRow[] = [
    ...selection.selected.map((s) => toRow(s, false)),
    ...selection.probes.flatMap((p) => p.selected.map((s) => toRow(s, true))),
  ];
  const inclusionOf = (probe: boolean) =>
    new Map(selected.filter((row) => row.probe === probe).map((row) => [rowId(row.policy, row.prompt.id), row.inclusion]));
  const result = oracle.type === "llm" ? await llmLabels(ctx, oracle, selected) : await humanLabels(ctx, oracle, selected, verdicts);
  return { ...result, inclusion: inclusionOf(false), probes: inclusionOf(true) };
}

type Labelled = Omit<LabelStageResult, "inclusion" | "probes">;

async function llmLabels(ctx: StageContext, config: Extract<OracleConfig, { type: "llm" }>, selected: readonly SelectedRow[]): Promise<Labelled> {
  const judge = await configuredJudge(config, ctx.providers, ctx.campaign.baseDir, "oracle");
  const fingerprint = llmOracleFingerprint(judge);
  const keys = new Map<string, string>();
  const jobs: UnitJob[] = selected.map((row) => {
    const key = labelKey(fingerprint, row);
    keys.set(rowId(row.policy, row.prompt.id), key);
    return {
      spec: {
        key,
        stage: "label",
        policy: row.policy,
        promptId: row.prompt.id,
        descriptor: { oracle: "llm", provider: config.provider, model: config.model, ...(row.probe ? { probe: true } : {}) },
      },
      provider: judge.provider,
      run: async () => {
        // The oracle sees the prompt and the response only; its judge's verdict is kept for the usage record.
        let verdict: JudgeResult | undefined;
        const shared = await judge.judge();
        const oracle = llmOracle({ modelId: shared.modelId, judge: async (request) => (verdict = await shared.judge(request)) });
        const result = await oracle.label({ itemId: row.itemId, prompt: row.prompt.text, response: row.response });
        const value: LabelValue = { label: result.label, native: result.label, source: result.raw ?? "" };
        return { value, usage: unitUsage(judge.provider, judge.model, verdict?.usage, verdict?.cached) };
      },
    };
  });
  const outcome = await ctx.execute(jobs, { store: ctx.store, stage: "label", progress: ctx.progress, retryFailed: ctx.retryFailed, signal: ctx.signal });
  return { outcome, labels: await resultsFor(ctx.store, "label", keys, LabelValueSchema), pending: 0, todoFile: null };
}

async function humanLabels(
  ctx: StageContext,
  config: Extract<OracleConfig, { type: "human" }>,
  selected: readonly SelectedRow[],
  verdicts: ReadonlyMap<string, JudgeValue>,
): Promise<Labelled> {
  const file = path.resolve(ctx.campaign.baseDir, config.file);
  const scale = config.scale ?? { min: 0, max: 1 };
  const byItem = new Map(selected.map((row) => [row.itemId, row]));
  const given = existsSync(file) ? await readLabelFile(file, scale) : [];
  const keys = new Map<string, string>();
  for (const row of selected) keys.set(rowId(row.policy, row.prompt.id), labelKey({ type: "human", scale }, row));
  const jobs: UnitJob[] = [];
  const fromFile = new Map<string, number>();
  for (const label of given) {
    const row = byItem.get(label.itemId);
    if (row === undefined)
      throw new CjeInputError("unknown item: this row was not sampled for labelling", { file, line: label.line, field: "item_id", value: label.itemId });
    if (label.label === null) continue;
    const native = label.label;
    fromFile.set(rowId(row.policy, row.prompt.id), native);
    const value: LabelValue = { label: (native - scale.min) / (scale.max - scale.min), native, source: `${file}:${label.line}` };
    jobs.push({
      spec: {
        key: keys.get(rowId(row.policy, row.prompt.id)) as string,
        stage: "label",
        policy: row.policy,
        promptId: row.prompt.id,
        descriptor: { oracle: "human", ...(row.probe ? { probe: true } : {}) },
      },
      provider: null,
      run: async () => ({ value }),
    });
  }
  const outcome = await ctx.execute(jobs, { store: ctx.store, stage: "label", progress: ctx.progress, retryFailed: ctx.retryFailed, signal: ctx.signal });
  const labels = await resultsFor(ctx.store, "label", keys, LabelValueSchema);
  for (const [id, stored] of labels) {
    const native = fromFile.get(id);
    if (native !== undefined && native !== stored.native) {
      throw new CjeInputError(`label changed: ${stored.native} was stored from ${stored.source}; a stored label is never silently replaced`, {
        file,
        field: "oracle_label",
        value: native,
      });
    }
  }
  const missing = selected.filter((row) => !labels.has(rowId(row.policy, row.prompt.id)));
  if (missing.length === 0) return { outcome, labels, pending: 0, todoFile: null };
  const todoFile = existsSync(file) ? path.join(ctx.campaign.paths.dir, `labels-todo${path.extname(file)}`) : file;
  await exportForLabelling(
    missing.map((row) => toLabelRow(row, verdicts)),
    todoFile,
  );
  return { outcome, labels, pending: missing.length, todoFile };
}

function toLabelRow(row: SelectedRow, verdicts: ReadonlyMap<string, JudgeValue>): ToLabelRow {
  return {
    item_id: row.itemId,
    policy: row.policy,
    prompt_id: row.prompt.id,
    draw_idx: 0,
    judge_score: verdicts.get(rowId(row.policy, row.prompt.id))?.score ?? 0,
    oracle_inclusion_probability: row.inclusion,
    design_weight: 1 / row.inclusion,
    prompt: row.prompt.text,
    response: row.response,
    oracle_label: null,
  };
}
