/**
 * Evaluation data with a sample's oracle labels on their fresh draws, for analysing a sample in
 * memory (labelling rounds, simulations) exactly as `analyze` would read the imported files.
 */
import { evaluationDataFromRecords, type EvaluationData } from "@cjeval/core";
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { drawKey } from "./frame.js";

/** An oracle label (internal units) for one fresh draw, with the draw's inclusion probability. */
export interface DrawLabel {
  readonly policy: string;
  readonly promptId: string;
  readonly drawIdx: number;
  readonly label: number;
  readonly inclusion: number;
}

/**
 * `data` with `labels` on their draws, each carrying its inclusion probability (a known-propensity
 * design). Labels already in `data` that the sample did not produce were chosen outside the design:
 * they become calibration rows (they still inform the calibrator, with weight 1, but not the
 * design-weighted residual correction). Values stay in internal units (both scales 0–1).
 */
export function withSampleLabels(data: EvaluationData, labels: Iterable<DrawLabel>): EvaluationData {
  const byKey = new Map<string, DrawLabel>();
  for (const l of labels) byKey.set(drawKey(l), l);
  const calibration: Record<string, unknown>[] = data.calibration.map((c) => ({
    prompt_id: c.promptId,
    judge_score: c.judgeScore,
    oracle_label: c.oracleLabel,
  }));
  const records = data.draws.map((d) => {
    const { [ORACLE_INCLUSION_FIELD]: _stale, ...numeric } = d.numericFields;
    const label = byKey.get(drawKey(d));
    if (label === undefined && d.oracleLabel !== null) calibration.push({ prompt_id: d.promptId, judge_score: d.judgeScore, oracle_label: d.oracleLabel });
    return {
      ...numeric,
      policy: d.policy,
      prompt_id: d.promptId,
      draw_idx: d.drawIdx,
      judge_score: d.judgeScore,
      ...(d.response !== undefined ? { response: d.response } : {}),
      ...(label !== undefined ? { oracle_label: label.label, [ORACLE_INCLUSION_FIELD]: label.inclusion } : {}),
    };
  });
  const unit = { min: 0, max: 1 };
  return evaluationDataFromRecords(records, { judgeScale: unit, oracleScale: unit, ...(calibration.length > 0 ? { calibration } : {}) });
}
