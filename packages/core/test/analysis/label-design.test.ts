import { describe, expect, it } from "vitest";
import { AnalysisResultSchema, analyze, CjeInputError, evaluationDataFromRecords } from "../../src/index.js";
import {
  buildEvalTable,
  createRng,
  estimateDirect,
  labelDesignFromDraws,
  ORACLE_INCLUSION_FIELD,
  simulateWorld,
  withDesignWeights,
  type CalibrationSource,
} from "../../src/advanced.js";

/** A world whose base policy is fully labelled, then thinned by Poisson sampling with unequal π. */
function designedRecords(seed: number): Record<string, unknown>[] {
  const world = simulateWorld({
    policies: [
      { name: "base", shift: 0 },
      { name: "other", shift: 0.3 },
    ],
    prompts: 300,
    oracleShare: 1,
    seed,
  });
  const rng = createRng(seed + 1);
  return world.records.map((row) => {
    if (row.oracle_label === undefined) return row;
    const pi = 0.1 + 0.4 * (row.judge_score as number);
    const { oracle_label, ...rest } = row;
    return rng.nextFloat() < pi ? { ...rest, oracle_label, [ORACLE_INCLUSION_FIELD]: pi } : rest;
  });
}

describe("label design read from the fresh draws", () => {
  it("uses the known-propensity design, weights the calibrator by 1/π and records the design in the JSON", () => {
    const records = designedRecords(3);
    const result = AnalysisResultSchema.parse(analyze(evaluationDataFromRecords(records), { inference: "analytic" }));
    const labelled = records.filter((r) => r.oracle_label !== undefined);
    const pis = labelled.map((r) => r[ORACLE_INCLUSION_FIELD] as number);
    expect(result.diagnostics.label_design).toEqual({
      kind: "known_propensity",
      origin: "rows",
      n_labelled: labelled.length,
      inclusion_range: [Math.min(...pis), Math.max(...pis)],
      field: ORACLE_INCLUSION_FIELD,
    });
    const stripped = records.map(({ [ORACLE_INCLUSION_FIELD]: _pi, ...rest }) => rest);
    const plain = analyze(evaluationDataFromRecords(stripped), { inference: "analytic" });
    expect(plain.diagnostics.label_design).toMatchObject({ kind: "representative", origin: "default", inclusion_range: null });
    // Same labels, different design: the Horvitz–Thompson correction and the 1/π-weighted fit move the estimate.
    expect(result.policies[0].estimate).not.toBeCloseTo(plain.policies[0].estimate as number, 6);
  });

  it("refuses a labelled row without π when other labelled rows carry one, naming file, line and field", () => {
    const records = designedRecords(4);
    const index = records.findIndex((r) => r.oracle_label !== undefined);
    const { [ORACLE_INCLUSION_FIELD]: _pi, ...bare } = records[index];
    records[index] = bare;
    const data = evaluationDataFromRecords(records);
    expect(() => analyze(data, { inference: "analytic" })).toThrow(CjeInputError);
    expect(() => analyze(data, { inference: "analytic" })).toThrow(
      new RegExp(`in-memory:${index + 1}: field '${ORACLE_INCLUSION_FIELD}': missing on this labelled row`),
    );
  });

  it.each([0, 1.5, -0.2])("refuses an inclusion probability of %s outside (0, 1]", (value) => {
    const records = designedRecords(5);
    const index = records.findIndex((r) => r.oracle_label !== undefined);
    records[index] = { ...records[index], [ORACLE_INCLUSION_FIELD]: value };
    expect(() => analyze(evaluationDataFromRecords(records), { inference: "analytic" })).toThrow(
      `in-memory:${index + 1}: field '${ORACLE_INCLUSION_FIELD}' = ${value}: an inclusion probability must lie in (0, 1]`,
    );
  });

  it("gives linked calibration rows weights 1/π normalized to mean 1, and calibration-file rows weight 1", () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: "1", judge_score: 0.2, oracle_label: 0.1, [ORACLE_INCLUSION_FIELD]: 0.5 },
        { prompt_id: "2", judge_score: 0.4 },
        { prompt_id: "3", judge_score: 0.6, oracle_label: 0.7, [ORACLE_INCLUSION_FIELD]: 0.25 },
      ],
    });
    const table = buildEvalTable(data.draws, data.policies);
    const design = labelDesignFromDraws(data.draws, table);
    const source: CalibrationSource = {
      scores: Float64Array.of(0.2, 0.6, 0.9),
      labels: Float64Array.of(0.1, 0.7, 0.8),
      promptIds: ["1", "3", "x"],
      // The table's rows of prompts 1 and 3 (the labelled ones), then a calibration-file row.
      evalRow: Int32Array.of(...table.labelledRows, -1),
    };
    expect(Array.from(withDesignWeights(source, design)?.weights ?? [])).toEqual([2 / 3, 4 / 3, 1]);
  });
});

describe("design weights in the bootstrap", () => {
  it("enter every calibrator refit: integer weights give the same replicates as duplicated rows", () => {
    const rng = createRng(11);
    const table = buildEvalTable(
      Array.from({ length: 60 }, (_, i) => ({ policy: "a", promptId: `e${i}`, judgeScore: Math.round(rng.nextFloat() * 20) / 20, oracleLabel: null })),
      ["a"],
    );
    const n = 40;
    const scores = Float64Array.from({ length: n }, () => Math.round(rng.nextFloat() * 20) / 20);
    const labels = scores.map((s) => Math.min(1, Math.max(0, s * s + 0.2 * (rng.nextFloat() - 0.5))));
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    const weights = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 1));
    const twice = ids.map((_, i) => i).filter((i) => weights[i] === 2);
    const weighted: CalibrationSource = { scores, labels, promptIds: ids, weights, evalRow: new Int32Array(n).fill(-1) };
    const duplicated: CalibrationSource = {
      scores: Float64Array.from([...scores, ...twice.map((i) => scores[i])]),
      labels: Float64Array.from([...labels, ...twice.map((i) => labels[i])]),
      promptIds: [...ids, ...twice.map((i) => ids[i])],
      evalRow: new Int32Array(n + twice.length).fill(-1),
    };
    const options = { inference: "bootstrap" as const, replicates: 200, seed: 5, calibrationMode: "monotone" as const };
    const a = estimateDirect(table, weighted, options).bootstrapMatrix as Float64Array;
    const b = estimateDirect(table, duplicated, options).bootstrapMatrix as Float64Array;
    const unweighted = estimateDirect(table, { ...weighted, weights: undefined }, options).bootstrapMatrix as Float64Array;
    expect(a.length).toBe(200);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
    expect(a.some((v, i) => Math.abs(v - unweighted[i]) > 1e-6)).toBe(true);
  });
});
