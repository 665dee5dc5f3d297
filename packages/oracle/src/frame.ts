/**
 * The sampling frame: the fresh draws oracle labels may be requested for, in a canonical order
 * (policy, prompt id, draw index) that does not depend on file order, so that a seed always draws
 * the same rows. The frame also keeps what the designs plan with: every policy's judge scores (the
 * evaluation population) and the labels already available (pilot labels).
 */
import { createHash } from "node:crypto";
import { CjeInputError, type EvaluationData, type RowSource, type Scale } from "@cjeval/core";

/** One row the design may select (judge score and any existing label in internal units [0, 1]). */
export interface FrameRow {
  readonly policy: string;
  readonly promptId: string;
  readonly drawIdx: number;
  readonly score: number;
  readonly label: number | null;
  readonly prompt?: string | undefined;
  readonly response?: string | undefined;
  readonly numericFields: Readonly<Record<string, number>>;
  readonly source: RowSource;
}

/** Labels already available before sampling (labelled draws and calibration-file rows), internal units. */
export interface PilotLabels {
  readonly scores: Float64Array;
  readonly labels: Float64Array;
  readonly promptIds: readonly string[];
}

/** The frame of a sampling run. */
export interface SamplingFrame {
  /** Eligible rows in canonical order. */
  readonly rows: readonly FrameRow[];
  /** Policies of the eligible rows, sorted. */
  readonly policies: readonly string[];
  /** Judge scores of every policy of the data (eligible or not): the population the estimates are about. */
  readonly evaluation: ReadonlyMap<string, Float64Array>;
  readonly pilot: PilotLabels;
  /** Scale the judge scores were read on (for showing internal-unit scores to users). */
  readonly judgeScale: Scale;
  /** SHA-256 (16 hex digits) of the rows' keys and scores: a design record only applies to the same frame. */
  readonly fingerprint: string;
}

/** Options of {@link buildFrame}. */
export interface FrameOptions {
  /** Policies whose rows may be labelled (default: all), e.g. only the logging policy. */
  readonly policies?: readonly string[];
}

/** Builds the frame from validated evaluation data. Unknown policies are a `CjeInputError`. */
export function buildFrame(data: EvaluationData, options: FrameOptions = {}): SamplingFrame {
  const wanted = options.policies ?? data.policies;
  for (const policy of wanted) {
    if (!data.policies.includes(policy)) {
      throw new CjeInputError(`unknown policy; the data hold ${data.policies.map((p) => `'${p}'`).join(", ")}`, { field: "policies", value: policy });
    }
  }
  const eligible = new Set(wanted);
  const rows: FrameRow[] = data.draws
    .filter((d) => eligible.has(d.policy))
    .map((d) => ({
      policy: d.policy,
      promptId: d.promptId,
      drawIdx: d.drawIdx,
      score: d.judgeScore,
      label: d.oracleLabel,
      prompt: d.prompt,
      response: d.response,
      numericFields: d.numericFields,
      source: d.source,
    }))
    .sort(compareRows);
  if (rows.length === 0) throw new CjeInputError("the sampling frame is empty: no fresh draws in the selected policies");
  const evaluation = new Map<string, number[]>();
  const pilotScores: number[] = [];
  const pilotLabels: number[] = [];
  const pilotIds: string[] = [];
  for (const d of data.draws) {
    let scores = evaluation.get(d.policy);
    if (scores === undefined) evaluation.set(d.policy, (scores = []));
    scores.push(d.judgeScore);
    if (d.oracleLabel !== null) {
      pilotScores.push(d.judgeScore);
      pilotLabels.push(d.oracleLabel);
      pilotIds.push(d.promptId);
    }
  }
  for (const c of data.calibration) {
    pilotScores.push(c.judgeScore);
    pilotLabels.push(c.oracleLabel);
    pilotIds.push(c.promptId);
  }
  const hash = createHash("sha256");
  for (const r of rows) hash.update(`${r.policy}\u0000${r.promptId}\u0000${r.drawIdx}\u0000${r.score}\n`);
  return {
    rows,
    policies: [...eligible].sort(compareText),
    evaluation: new Map([...evaluation].map(([policy, scores]) => [policy, Float64Array.from(scores)])),
    pilot: { scores: Float64Array.from(pilotScores), labels: Float64Array.from(pilotLabels), promptIds: pilotIds },
    judgeScale: data.judgeScale.scale,
    fingerprint: hash.digest("hex").slice(0, 16),
  };
}

/** The identity of a fresh draw: policy, prompt id and draw index (joined by NUL characters). */
export function drawKey(row: { readonly policy: string; readonly promptId: string; readonly drawIdx: number }): string {
  return `${row.policy}\u0000${row.promptId}\u0000${row.drawIdx}`;
}

/**
 * Opaque, stable id of a row for labellers: 12 hex digits of SHA-256 of its key. It does not show
 * the policy, so labelling stays blind, and it is the same in every round.
 */
export function itemIdOf(row: { readonly policy: string; readonly promptId: string; readonly drawIdx: number }): string {
  return createHash("sha256").update(drawKey(row)).digest("hex").slice(0, 12);
}

function compareRows(a: FrameRow, b: FrameRow): number {
  return compareText(a.policy, b.policy) || compareText(a.promptId, b.promptId) || a.drawIdx - b.drawIdx;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
