/**
 * promptfoo results as fresh draws. Policy ← the provider's label (else its id; `--policy-from id` for
 * the id), joined with the prompt's label when the file compares several prompts, and with the red-team
 * strategy when asked; prompt id ← a hash of the test's vars (the prompt template belongs to the policy);
 * judge score ← the model-graded assertion's own score (see {@link judgeSource}); oracle label ← a named
 * metric, an assertion type (`human` for ratings given in promptfoo's viewer) or a `vars.`/`metadata.`
 * field; repeats (`--repeat`) and red-team strategies of one attack become draws. Results whose provider
 * call errored, and results without the judge's assertion, are skipped and counted.
 */
import { promptHashId } from "@cjeval/core/advanced";
import { canonicalJson } from "@cjeval/provider-utils";
import { quotedList } from "../choices.js";
import { assignDrawIndices } from "../draws.js";
import type { ImportedRow, ImportResult, SkippedRecord } from "../imported-rows.js";
import { recordError, type LocatedRecord } from "../input/records.js";
import { readPromptfooResults } from "./results-file.js";
import { describeSource, judgeSource, namedSource, ROW_SCORE, scoreChoices, scoreFrom, type ScoreSource } from "./score.js";

/** Options of {@link importPromptfoo}. */
export interface PromptfooImportOptions {
  /** Name policies by the provider's `label` (default; falls back to the id) or its `id`. */
  readonly policyFrom?: "id" | "label";
  /** Judge score: an assertion type (`llm-rubric`, …), a named metric, or `row-score`; default: the one model-graded assertion. */
  readonly scoreFrom?: string;
  /** Oracle label: a named metric, an assertion type (`human`), or a `vars.<name>` / `metadata.<name>` field. */
  readonly labelFrom?: string;
  /** Red-team strategies of one attack: draws of the same prompt (default) or separate policies. */
  readonly strategyAs?: "draw" | "policy";
}

/** promptfoo's `failureReason` for a result whose provider call errored. */
const FAILURE_ERROR = 2;

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function providerOf(record: LocatedRecord, from: "id" | "label"): { name: string; id: string } {
  const provider = record.value.provider;
  const id = typeof provider === "string" ? provider : object(provider)?.id;
  const label = object(provider)?.label;
  if (typeof id !== "string" || id === "") throw recordError(record, "result has no provider id", "provider.id", provider ?? null);
  return { name: from === "label" && typeof label === "string" && label !== "" ? label : id, id };
}

function promptNameOf(r: Record<string, unknown>): string | undefined {
  const label = object(r.prompt)?.label;
  if (typeof label === "string" && label !== "") return label;
  return typeof r.promptIdx === "number" ? `prompt ${r.promptIdx}` : undefined;
}

function strategyOf(r: Record<string, unknown>): string | undefined {
  const id = object(object(r.testCase)?.metadata)?.strategyId ?? object(r.metadata)?.strategyId;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function isProviderError(r: Record<string, unknown>): boolean {
  if (r.failureReason === FAILURE_ERROR) return true;
  return r.failureReason === undefined && typeof r.error === "string" && r.error !== "" && r.gradingResult == null && r.score == null;
}

/**
 * Policy names for the results' columns (promptfoo's prompt × provider pairs): two columns that would
 * get one name (providers sharing an id without labels) are numbered, with a note.
 */
function columnNames(records: readonly LocatedRecord[], from: "id" | "label", notes: string[]): Map<LocatedRecord, string> {
  const prompts = new Set(records.map((r) => promptNameOf(r.value)).filter((p) => p !== undefined));
  const several = prompts.size > 1;
  const columnOf = (r: LocatedRecord) => {
    const p = providerOf(r, from);
    const base = several ? `${p.name} × ${promptNameOf(r.value) ?? "prompt"}` : p.name;
    const column = typeof r.value.promptIdx === "number" ? `#${r.value.promptIdx}` : `${p.id}\u0000${base}`;
    return { base, column };
  };
  const columnsByName = new Map<string, string[]>();
  for (const r of records) {
    const { base, column } = columnOf(r);
    const list = columnsByName.get(base) ?? [];
    if (!list.includes(column)) list.push(column);
    columnsByName.set(base, list);
  }
  const names = new Map<LocatedRecord, string>();
  for (const r of records) {
    const { base, column } = columnOf(r);
    const columns = columnsByName.get(base) as string[];
    names.set(r, columns.length === 1 ? base : `${base} #${columns.indexOf(column) + 1}`);
  }
  for (const [base, columns] of columnsByName) {
    if (columns.length > 1) {
      notes.push(
        `${columns.length} providers are all named '${base}' (same id, no label): imported as '${base} #1' … '#${columns.length}'; give them labels in the promptfoo config to name them`,
      );
    }
  }
  if (several) notes.push(`several prompts (${quotedList(prompts as Set<string>)}): each provider × prompt is a policy`);
  return names;
}

/** Imports a promptfoo results file (`eval -o` JSON/YAML/JSONL, or `export eval`). */
export async function importPromptfoo(file: string, options: PromptfooImportOptions = {}): Promise<ImportResult> {
  const records = await readPromptfooResults(file);
  const notes: string[] = [];
  const skipped: SkippedRecord[] = [];
  const at = (record: LocatedRecord) => ({ file, ...(record.line === undefined ? {} : { line: record.line }) });
  const answered = records.filter((record) => {
    if (!isProviderError(record.value)) return true;
    skipped.push({ ...at(record), reason: `provider error: ${text(record.value.error)?.split("\n")[0] ?? "unknown"}` });
    return false;
  });
  const judge = judgeSource(answered.length > 0 ? answered : records, options.scoreFrom, file);
  const { types, metrics } = scoreChoices(records);
  const label: ScoreSource | undefined = options.labelFrom === undefined ? undefined : namedSource(options.labelFrom, types, metrics, "labelFrom", file);
  notes.push(
    `judge score: ${describeSource(judge)}` +
      (judge.kind === "row-score"
        ? " (the average of every assertion, judge or not)"
        : ` (not promptfoo's row score, which averages every assertion; --score-from ${ROW_SCORE} takes it)`),
  );
  const names = columnNames(records, options.policyFrom ?? "label", notes);
  const strategies = new Set(answered.map((r) => strategyOf(r.value)).filter((s) => s !== undefined));
  if (strategies.size > 1) {
    notes.push(
      options.strategyAs === "policy"
        ? `red-team strategies (${quotedList(strategies as Set<string>)}) are policies: '<provider> × <strategy>'`
        : `red-team strategies (${quotedList(strategies as Set<string>)}) of one attack are draws of the same prompt (--strategy-as policy compares them)`,
    );
  }
  const rows: ImportedRow[] = [];
  for (const record of answered) {
    const r = record.value;
    const score = scoreFrom(record, judge);
    if (score === undefined) {
      skipped.push({
        ...at(record),
        reason: judge.kind === "field" ? `no ${describeSource(judge)} value` : `no ${describeSource(judge)} result (the test has no such assertion)`,
      });
      continue;
    }
    const oracle = label === undefined ? undefined : scoreFrom(record, label);
    const strategy = strategyOf(r);
    const policy = options.strategyAs === "policy" && strategy !== undefined ? `${names.get(record)} × ${strategy}` : (names.get(record) as string);
    const vars = object(object(r.testCase)?.vars) ?? object(r.vars) ?? {};
    const response = text(object(r.response)?.output);
    const promptText = text(object(r.prompt)?.raw);
    rows.push({
      policy,
      prompt_id: promptHashId(canonicalJson({ vars })),
      judge_score: score,
      ...(oracle === undefined ? {} : { oracle_label: oracle }),
      ...(promptText === undefined ? {} : { prompt: promptText }),
      ...(response === undefined ? {} : { response }),
      source: at(record),
    });
  }
  return { rows: assignDrawIndices(rows), skipped, notes };
}
