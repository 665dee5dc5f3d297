import { RowProblem } from "./row-problem.js";
import { dict, own } from "./dictionary.js";
import { sha256Hex } from "./sha256.js";

/** A parsed JSON object (one input row). */
export type JsonObject = Record<string, unknown>;

/** Marker for an absent `draw_idx` (auto-assigned after all rows are read). */
export const MISSING_DRAW_IDX = -1;

/** Shared empty numeric-field map for rows without extra numeric fields. */
export const NO_NUMERIC_FIELDS: Readonly<Record<string, number>> = Object.freeze({});

/** Fields with a fixed meaning; they never become candidate covariates. */
const CORE_NUMERIC_KEYS: ReadonlySet<string> = new Set(["prompt_id", "judge_score", "oracle_label", "draw_idx"]);

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Returns `raw` as an object, or a problem when the row is not a JSON object. */
export function asObject(raw: unknown): JsonObject | RowProblem {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) return raw as JsonObject;
  const kind = raw === null ? "null" : Array.isArray(raw) ? "an array" : `a ${typeof raw}`;
  const text = JSON.stringify(raw) ?? String(raw);
  return new RowProblem(`expected a JSON object, got ${kind}: ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`);
}

/**
 * Reads a finite number: a JSON number or a decimal numeric string such as `"0.5"`. Booleans,
 * other strings and non-finite values are problems naming `field`.
 */
export function readFiniteNumber(value: unknown, field: string): number | RowProblem {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
  } else if (typeof value === "string") {
    if (NUMERIC_TEXT.test(value)) {
      const parsed = Number(value);
      if (Number.isFinite(parsed)) return parsed;
    }
  } else if (typeof value === "boolean") {
    return new RowProblem("a boolean is not a number", field, value);
  }
  return new RowProblem("not a finite number", field, value);
}

/** Reads the required `judge_score`. */
export function readJudgeScore(row: JsonObject): number | RowProblem {
  const value = row.judge_score;
  if (value === undefined || value === null) return new RowProblem("missing (required)", "judge_score");
  return readFiniteNumber(value, "judge_score");
}

/** Reads the optional `oracle_label`; `null` or missing means unlabelled. */
export function readOracleLabel(row: JsonObject): number | null | RowProblem {
  const value = row.oracle_label;
  if (value === undefined || value === null) return null;
  return readFiniteNumber(value, "oracle_label");
}

/** Reads the optional `draw_idx` (a non-negative integer), or {@link MISSING_DRAW_IDX} when absent. */
export function readDrawIdx(row: JsonObject): number | RowProblem {
  const value = row.draw_idx;
  if (value === undefined || value === null) return MISSING_DRAW_IDX;
  const parsed = readFiniteNumber(value, "draw_idx");
  if (typeof parsed !== "number") return parsed;
  if (!Number.isSafeInteger(parsed) || parsed < 0) return new RowProblem("not a non-negative integer", "draw_idx", value);
  return parsed;
}

/** Reads an optional text field (`prompt`, `response`); `null` or missing gives `undefined`. */
export function readText(row: JsonObject, field: string): string | undefined | RowProblem {
  const value = row[field];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : new RowProblem("not a string", field, value);
}

/**
 * Reads the policy named by the row (`policy`, or the reference's alias `target_policy`); `null`
 * when neither is present. Both present with different values is a problem.
 */
export function readPolicy(row: JsonObject): string | null | RowProblem {
  const policy = readPolicyField(row, "policy");
  if (policy instanceof RowProblem) return policy;
  const alias = readPolicyField(row, "target_policy");
  if (alias instanceof RowProblem) return alias;
  if (policy !== null && alias !== null && policy !== alias) {
    return new RowProblem(`conflicts with field 'policy' = ${JSON.stringify(policy)}`, "target_policy", alias);
  }
  return policy ?? alias;
}

function readPolicyField(row: JsonObject, field: string): string | null | RowProblem {
  const value = row[field];
  if (value === undefined || value === null) return null;
  return typeof value === "string" && value.length > 0 ? value : new RowProblem("not a non-empty string", field, value);
}

/**
 * Resolves the prompt identity: `prompt_id` (any JSON scalar, coerced to a string) at top level,
 * else `metadata.prompt_id`, else `"prompt_" + first 12 hex digits of SHA-256(prompt)` when
 * `prompt` is non-empty. Returns `null` when there is no identity at all.
 */
export function readPromptId(row: JsonObject, prompt: string | undefined): string | null | RowProblem {
  let id = scalarId(row.prompt_id, "prompt_id");
  if (id === null) {
    const metadata = row.metadata;
    if (typeof metadata === "object" && metadata !== null) {
      id = scalarId((metadata as JsonObject).prompt_id, "metadata.prompt_id");
    }
  }
  if (id !== null) return id;
  return prompt !== undefined && prompt.length > 0 ? promptHashId(prompt) : null;
}

function scalarId(value: unknown, field: string): string | null | RowProblem {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return new RowProblem("not a JSON scalar", field, value);
}

/** The prompt id derived from prompt text: `"prompt_" + first 12 hex digits of SHA-256(UTF-8 prompt)`. */
export function promptHashId(prompt: string): string {
  return `prompt_${sha256Hex(prompt).slice(0, 12)}`;
}

/**
 * Collects every numeric top-level field and numeric `metadata.*` field that is not a core field,
 * keyed by its bare name (candidate covariates). A name present at top level and in metadata
 * with different values is a problem.
 */
export function readNumericFields(row: JsonObject): Readonly<Record<string, number>> | RowProblem {
  let fields: Record<string, number> | undefined;
  for (const key in row) {
    const value = row[key];
    if (typeof value === "number" && !CORE_NUMERIC_KEYS.has(key)) (fields ??= dict())[key] = value;
  }
  const metadata = row.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) return new RowProblem("not an object", "metadata", metadata);
    for (const key in metadata as JsonObject) {
      const value = (metadata as JsonObject)[key];
      if (typeof value !== "number" || CORE_NUMERIC_KEYS.has(key)) continue;
      const top = own(fields, key);
      if (top !== undefined && top !== value && !(Number.isNaN(top) && Number.isNaN(value))) {
        return new RowProblem(`conflicts with top-level '${key}' = ${top}`, `metadata.${key}`, value);
      }
      (fields ??= dict())[key] = value;
    }
  }
  return fields ?? NO_NUMERIC_FIELDS;
}

/** The identity and free-text fields every row kind shares. */
export interface RowIdentity {
  readonly prompt: string | undefined;
  readonly response: string | undefined;
  /** `null` when the row has neither a prompt id nor a non-empty prompt to hash. */
  readonly promptId: string | null;
  readonly numericFields: Readonly<Record<string, number>>;
}

/** Reads `prompt`, `response`, the prompt id (or the prompt's hash) and the numeric fields of a row. */
export function readRowIdentity(row: JsonObject): RowIdentity | RowProblem {
  const prompt = readText(row, "prompt");
  if (prompt instanceof RowProblem) return prompt;
  const response = readText(row, "response");
  if (response instanceof RowProblem) return response;
  const promptId = readPromptId(row, prompt);
  if (promptId instanceof RowProblem) return promptId;
  const numericFields = readNumericFields(row);
  if (numericFields instanceof RowProblem) return numericFields;
  return { prompt, response, promptId, numericFields };
}

/** The error of a row without any prompt identity. */
export function missingPromptIdentity(): RowProblem {
  return new RowProblem("missing prompt identity: no 'prompt_id' (top level or metadata) and no non-empty 'prompt' to derive it from", "prompt_id");
}
