/**
 * Which rows the Rows view shows, in which order: filter (policy, labelled only, text search) and sort the
 * columnar rows into a list of row indices. Linear in the rows plus one sort, so 100k rows stay interactive.
 */
import type { ViewRows } from "../../src/view-model.js";

/** Columns the rows can be sorted by (`row`: the bundle's order). */
export type SortKey = "row" | "prompt" | "policy" | "response" | "judge" | "calibrated" | "oracle" | "residual";

/** A filter and an order. */
export interface RowQuery {
  /** Index into `rows.policies`, or null for every policy. */
  readonly policy: number | null;
  readonly labelledOnly: boolean;
  /** Case-insensitive text searched in the prompt id, prompt text, policy and response. */
  readonly search: string;
  readonly sort: SortKey;
  readonly descending: boolean;
}

/** The indices of the rows `query` keeps, in its order (ties and nulls: bundle order, nulls last). */
export function queryRows(rows: ViewRows, query: RowQuery): number[] {
  const needle = query.search.trim();
  const pattern = needle === "" ? null : new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  const promptHit = pattern === null ? null : rows.prompts.id.map((id, p) => pattern.test(id) || pattern.test(rows.prompts.text[p] ?? ""));
  const policyHit = pattern === null ? null : rows.policies.map((name) => pattern.test(name));
  const out: number[] = [];
  for (let i = 0; i < rows.judge.length; i++) {
    if (query.policy !== null && rows.policy[i] !== query.policy) continue;
    if (query.labelledOnly && rows.oracle[i] === null) continue;
    if (pattern !== null && !promptHit![rows.prompt[i]] && !policyHit![rows.policy[i]] && !pattern.test(rows.response[i] ?? "")) continue;
    out.push(i);
  }
  if (query.sort === "row") return query.descending ? out.reverse() : out;
  const sign = query.descending ? -1 : 1;
  const key = numericKey(rows, query.sort);
  if (key !== null) {
    // Keys gathered once (NaN for null), so the comparator only reads an array.
    const keys = new Float64Array(rows.judge.length);
    for (const i of out) keys[i] = key(i) ?? Number.NaN;
    return out.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      const xMissing = Number.isNaN(x);
      const yMissing = Number.isNaN(y);
      if (xMissing || yMissing) return xMissing && yMissing ? a - b : xMissing ? 1 : -1;
      return x !== y ? sign * (x - y) : a - b;
    });
  }
  const text = (i: number): string => rows.response[i] ?? "";
  return out.sort((a, b) => {
    const x = text(a);
    const y = text(b);
    return x !== y ? sign * (x < y ? -1 : 1) : a - b;
  });
}

/** A numeric key per row for numeric columns and for prompt and policy (their names' ranks); null for response. */
function numericKey(rows: ViewRows, key: SortKey): ((i: number) => number | null) | null {
  switch (key) {
    case "prompt": {
      const rank = ranks(rows.prompts.id);
      return (i) => rank[rows.prompt[i]];
    }
    case "policy": {
      const rank = ranks(rows.policies);
      return (i) => rank[rows.policy[i]];
    }
    case "judge":
      return (i) => rows.judge[i];
    case "calibrated":
      return (i) => rows.calibrated[i];
    case "oracle":
      return (i) => rows.oracle[i];
    case "residual":
      return (i) => rows.residual[i];
    default:
      return null;
  }
}

/** The rank of each name in sorted order. */
function ranks(names: readonly string[]): number[] {
  const order = names.map((_, i) => i).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b));
  const rank = new Array<number>(names.length);
  order.forEach((at, r) => (rank[at] = r));
  return rank;
}

/** Row indices of each prompt (by prompt index), in bundle order. */
export function rowsByPrompt(rows: ViewRows): number[][] {
  const out = rows.prompts.id.map((): number[] => []);
  for (let i = 0; i < rows.prompt.length; i++) out[rows.prompt[i]]?.push(i);
  return out;
}
