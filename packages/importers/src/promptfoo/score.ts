/**
 * Which number of a promptfoo result is the judge score (and which, if any, the oracle label).
 * promptfoo's row `score` averages every assertion — cost, latency, `icontains` and the LLM judge alike —
 * so by default the judge score is the model-graded assertion's own score, when a file has exactly one
 * kind of model-graded assertion; `--score-from` names an assertion type, a named metric or `row-score`.
 */
import { CjeInputError } from "@cjeval/core";
import { quotedList, unknownChoice } from "../choices.js";
import { recordError, type LocatedRecord } from "../input/records.js";

/** promptfoo assertion types graded by a model (the LLM judges). */
export const MODEL_GRADED_ASSERTIONS: readonly string[] = [
  "llm-rubric",
  "g-eval",
  "model-graded-closedqa",
  "model-graded-factuality",
  "factuality",
  "answer-relevance",
  "context-faithfulness",
  "context-recall",
  "context-relevance",
  "conversation-relevance",
  "select-best",
  "search-rubric",
  "pi",
];

/** `--score-from` value for promptfoo's own row score (the average of every assertion). */
export const ROW_SCORE = "row-score";

/** Where a number comes from: an assertion type, a named metric, the row score, or a field of the test. */
export type ScoreSource =
  | { readonly kind: "assertion"; readonly type: string }
  | { readonly kind: "metric"; readonly metric: string }
  | { readonly kind: "row-score" }
  | { readonly kind: "field"; readonly path: readonly string[] };

interface Component {
  readonly type?: string;
  readonly metric?: string;
  readonly score: unknown;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The graded assertions of a result (`gradingResult.componentResults`, or the grading result itself). */
function components(result: Record<string, unknown>): Component[] {
  const grading = object(result.gradingResult);
  if (grading === undefined) return [];
  const list = Array.isArray(grading.componentResults) ? grading.componentResults : object(grading.assertion) === undefined ? [] : [grading];
  return list
    .map((c) => object(c))
    .filter((c): c is Record<string, unknown> => c !== undefined)
    .map((c) => {
      const assertion = object(c.assertion);
      return {
        ...(typeof assertion?.type === "string" ? { type: assertion.type } : {}),
        ...(typeof assertion?.metric === "string" ? { metric: assertion.metric } : {}),
        score: c.score,
      };
    });
}

function namedScores(result: Record<string, unknown>): Record<string, unknown> {
  return object(result.namedScores) ?? object(object(result.gradingResult)?.namedScores) ?? {};
}

/** Assertion types and named metrics present in `records`. */
export function scoreChoices(records: readonly LocatedRecord[]): { types: Set<string>; metrics: Set<string> } {
  const types = new Set<string>();
  const metrics = new Set<string>();
  for (const record of records) {
    for (const c of components(record.value)) {
      if (c.type !== undefined) types.add(c.type);
      if (c.metric !== undefined) metrics.add(c.metric);
    }
    for (const key of Object.keys(namedScores(record.value))) metrics.add(key);
  }
  return { types, metrics };
}

function choiceList(types: Set<string>, metrics: Set<string>): string {
  return `assertion types ${quotedList(types)}; named metrics ${quotedList(metrics)}; or '${ROW_SCORE}' (promptfoo's average of every assertion)`;
}

/**
 * Resolves `--score-from` (or, without it, the one model-graded assertion type of the files). A name
 * that is neither a type nor a metric, several model-graded types, or none, is an error listing the choices.
 */
export function judgeSource(records: readonly LocatedRecord[], wanted: string | undefined, file: string | undefined): ScoreSource {
  const { types, metrics } = scoreChoices(records);
  const where = file === undefined ? {} : { file };
  if (wanted !== undefined) return namedSource(wanted, types, metrics, "scoreFrom", file);
  const graded = [...types].filter((t) => MODEL_GRADED_ASSERTIONS.includes(t));
  if (graded.length === 1) return { kind: "assertion", type: graded[0] };
  if (graded.length === 0) {
    throw new CjeInputError(
      `no model-graded assertion (${MODEL_GRADED_ASSERTIONS.slice(0, 6).join(", ")}, …) in the results: choose the judge score with --score-from: ${choiceList(types, metrics)}`,
      {
        ...where,
        field: "scoreFrom",
      },
    );
  }
  throw new CjeInputError(`several model-graded assertions (${quotedList(graded)}): choose the judge score with --score-from: ${choiceList(types, metrics)}`, {
    ...where,
    field: "scoreFrom",
  });
}

/** Resolves a name to an assertion type, a named metric, `row-score`, or a `vars.`/`metadata.` field. */
export function namedSource(name: string, types: Set<string>, metrics: Set<string>, field: string, file: string | undefined): ScoreSource {
  if (name === ROW_SCORE) return { kind: "row-score" };
  if (types.has(name)) return { kind: "assertion", type: name };
  if (metrics.has(name)) return { kind: "metric", metric: name };
  const path = name.split(".");
  if (path.length >= 2 && (path[0] === "vars" || path[0] === "metadata")) return { kind: "field", path };
  throw unknownChoice("assertion type or named metric", name, [...types, ...metrics, ROW_SCORE], field, file);
}

/** A short description of a source, for notes and skip reasons. */
export function describeSource(source: ScoreSource): string {
  switch (source.kind) {
    case "assertion":
      return `'${source.type}' assertion`;
    case "metric":
      return `'${source.metric}' metric`;
    case "row-score":
      return "promptfoo's row score";
    case "field":
      return `'${source.path.join(".")}'`;
  }
}

function finite(record: LocatedRecord, value: unknown, field: string): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) throw recordError(record, "must be a finite number", field, value ?? null);
  return number;
}

/** The number `source` gives for `record`, or `undefined` when the record has none. */
export function scoreFrom(record: LocatedRecord, source: ScoreSource): number | undefined {
  const r = record.value;
  switch (source.kind) {
    case "row-score": {
      const value = typeof r.score === "number" ? r.score : object(r.gradingResult)?.score;
      return value === undefined || value === null ? undefined : finite(record, value, "score");
    }
    case "assertion": {
      const found = components(r).filter((c) => c.type === source.type);
      if (found.length === 0) return undefined;
      if (found.length > 1) {
        const named = found.map((c) => c.metric).filter((m): m is string => m !== undefined);
        throw recordError(
          record,
          `${found.length} '${source.type}' assertions on this result: choose one by its metric (--score-from ${named.length > 0 ? named.map((m) => `'${m}'`).join(" or ") : "<metric>; give each assertion a metric: name"})`,
          "gradingResult.componentResults",
          source.type,
        );
      }
      return finite(record, found[0].score, `gradingResult.componentResults[${source.type}].score`);
    }
    case "metric": {
      const found = components(r).filter((c) => c.metric === source.metric);
      if (found.length === 1) return finite(record, found[0].score, `gradingResult.componentResults[${source.metric}].score`);
      const named = namedScores(r)[source.metric];
      return named === undefined || named === null ? undefined : finite(record, named, `namedScores.${source.metric}`);
    }
    case "field": {
      const [head, ...rest] = source.path;
      let value: unknown =
        head === "vars" ? (object(object(r.testCase)?.vars) ?? object(r.vars)) : { ...object(r.metadata), ...object(object(r.testCase)?.metadata) };
      for (const key of rest) value = object(value)?.[key];
      return value === undefined || value === null || value === "" ? undefined : finite(record, value, source.path.join("."));
    }
  }
}
