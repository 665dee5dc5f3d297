import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeOffPolicy } from "../../src/analysis/analyze-off-policy.js";
import { ORACLE_INCLUSION_FIELD, pooledLabelDesign } from "../../src/analysis/label-design.js";
import { poolOracleLabels, type LabelSource } from "../../src/analysis/label-pool.js";
import { AnalysisResultSchema, type AnalysisResult } from "../../src/analysis/result-schema.js";
import { AutoCalFitter } from "../../src/calibration/autocal.js";
import { CalibrationPoints } from "../../src/calibration/points.js";
import { CjeInputError } from "../../src/errors/input-error.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { loggedDataFromRecords, loggedLabelRows } from "../../src/off-policy/logged.js";
import { loadLoggedData } from "../../src/off-policy/logged-file.js";
import type { CalibrationRow } from "../../src/data/types.js";
import { buildEvalTable } from "../../src/direct/eval-table.js";
import { logRatios, rawWeights } from "../../src/off-policy/importance-weights.js";
import { foldJackknifeVariance } from "../../src/numeric/jackknife.js";
import { simulateOpeWorld, trueValue, type TraitDesign, type WorldPolicySpec } from "../off-policy/ope-world.js";

const logger: WorldPolicySpec = { theta: 0 };
const target: WorldPolicySpec = { theta: 1.5, tilt: 0.2 };
const UNIT = { judgeScale: { min: 0, max: 1 }, oracleScale: { min: 0, max: 1 } };

type Row = Record<string, unknown>;
const withoutPi = (rows: readonly Row[]): Row[] => rows.map(({ [ORACLE_INCLUSION_FIELD]: _pi, ...rest }) => rest);

function summary(values: readonly number[], truth: number): { bias: number; sd: number; mcse: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { bias: mean - truth, sd, mcse: sd / Math.sqrt(n) };
}

/** Every number of `a` within `tol` of the same number of `b`, everything else equal (label designs left out). */
function expectSameResult(a: AnalysisResult, b: AnalysisResult, tol: number): void {
  const strip = (r: AnalysisResult) => ({ ...r, diagnostics: { ...r.diagnostics, label_design: undefined } });
  const walk = (x: unknown, y: unknown, at: string): void => {
    if (typeof x === "number" && typeof y === "number") {
      if (Math.abs(x - y) > tol || Number.isNaN(x) !== Number.isNaN(y)) throw new Error(`${at}: ${x} vs ${y}`);
    } else if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
      expect(Object.keys(x).sort(), at).toEqual(Object.keys(y).sort());
      for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${at}.${k}`);
    } else expect(x, at).toEqual(y);
  };
  walk(strip(a), strip(b), "result");
}

describe("design-weighted off-policy calibration (Monte Carlo)", () => {
  // Prompts with a hidden trait (30%) get oracle labels 0.18·0.7 higher than the others at the same judge
  // score (E[Y | S] unchanged); the design labels every trait row and half the others, so the labelled slice
  // over-represents the trait and an unweighted calibrator over-estimates E[Y | S] by ≈ 0.18·(0.46 − 0.30).
  // Graded labels and the monotone calibrator keep isotonic regression's own small-sample bias (present
  // under simple random labels too) below the Monte Carlo noise; see the report of the change for harsher
  // designs, where the design-weighted fit keeps an O(1/(n·min π)) small-sample bias.
  const design: TraitDesign = { share: 0.3, shift: 0.18, inclusion: [0.5, 1], noise: 0.04 };
  const reps = 200;
  const truth = trueValue(target);

  it("stacked-dr and snips are unbiased within 3 MC-SE with design weights and biased by > 15 MC-SE without (200 replications)", () => {
    const estimates: Record<string, { weighted: number[]; unweighted: number[]; covered: number }> = {
      "stacked-dr": { weighted: [], unweighted: [], covered: 0 },
      snips: { weighted: [], unweighted: [], covered: 0 },
    };
    for (let rep = 0; rep < reps; rep++) {
      const world = simulateOpeWorld({ logger, target, n: 400, labelShare: 0, design, seed: 50_000 + rep });
      const fresh = evaluationDataFromRecords(world.fresh, UNIT);
      const weighted = loggedDataFromRecords(world.logged, UNIT);
      const unweighted = loggedDataFromRecords(withoutPi(world.logged), UNIT);
      for (const [estimator, out] of Object.entries(estimates)) {
        const draws = estimator === "stacked-dr" ? fresh : null;
        const w = analyzeOffPolicy(weighted, draws, { estimator, calibrationMode: "monotone" }).policies[0];
        out.weighted.push(w.estimate as number);
        if ((w.ci[0] as number) <= truth && truth <= (w.ci[1] as number)) out.covered++;
        out.unweighted.push(analyzeOffPolicy(unweighted, draws, { estimator, calibrationMode: "monotone" }).policies[0].estimate as number);
      }
    }
    for (const out of Object.values(estimates)) {
      const w = summary(out.weighted, truth);
      const u = summary(out.unweighted, truth);
      expect(Math.abs(w.bias)).toBeLessThan(3 * w.mcse);
      expect(u.bias).toBeGreaterThan(15 * u.mcse);
      // The weighted intervals stay honest.
      expect(out.covered / reps).toBeGreaterThanOrEqual(0.9);
    }
  }, 240_000);
});

describe("label design of the off-policy analysis", () => {
  const design: TraitDesign = { share: 0.3, shift: 0.15, inclusion: [0.2, 0.9] };
  const world = simulateOpeWorld({ logger, target, n: 300, labelShare: 0, design, seed: 7 });
  const fresh = evaluationDataFromRecords(world.fresh, UNIT);
  const labelledLines = world.logged.flatMap((row, i) => (row.oracle_label === undefined ? [] : [i + 1]));

  it("fits with 1/π, records the design like the Direct analysis, and moves the estimate", () => {
    const result = AnalysisResultSchema.parse(analyzeOffPolicy(loggedDataFromRecords(world.logged, UNIT), fresh, { estimator: "stacked-dr" }));
    const pis = labelledLines.map((line) => world.logged[line - 1][ORACLE_INCLUSION_FIELD] as number);
    expect(result.diagnostics.label_design).toEqual({
      kind: "known_propensity",
      origin: "rows",
      n_labelled: labelledLines.length,
      inclusion_range: [0.2, 0.9],
      field: ORACLE_INCLUSION_FIELD,
    });
    expect(new Set(pis)).toEqual(new Set([0.2, 0.9]));
    const plain = analyzeOffPolicy(loggedDataFromRecords(withoutPi(world.logged), UNIT), fresh, { estimator: "stacked-dr" });
    expect(plain.diagnostics.label_design).toEqual({ kind: "representative", origin: "default", n_labelled: labelledLines.length, inclusion_range: null });
    expect(Math.abs((result.policies[0].estimate as number) - (plain.policies[0].estimate as number))).toBeGreaterThan(0.01);
    // The calibration diagnostics are the design-weighted ones.
    expect(result.diagnostics.calibration?.rmse).not.toBeCloseTo(plain.diagnostics.calibration?.rmse as number, 6);
  });

  it("refits every OUA jackknife calibrator with the design weights: the jackknife variance equals a weighted refit by hand", () => {
    const logged = loggedDataFromRecords(world.logged, UNIT);
    const result = analyzeOffPolicy(logged, null, { estimator: "ips", calibrationMode: "monotone" });
    const rows = loggedLabelRows(logged);
    const inverse = rows.map((r) => 1 / r.numericFields[ORACLE_INCLUSION_FIELD]);
    const mean = inverse.reduce((a, b) => a + b, 0) / inverse.length;
    const all = Int32Array.from({ length: logged.n }, (_, i) => i);
    const ratio = rawWeights(logRatios(logged.targetLogprobs.target, logged.baseLogprobs, all));
    const points = CalibrationPoints.of(logged.judgeScores);
    const jackknife = (weights: number[] | undefined) => {
      const calibrator = new AutoCalFitter(
        {
          scores: rows.map((r) => r.judgeScore),
          labels: rows.map((r) => r.oracleLabel),
          clusterIds: rows.map((r) => r.promptId),
          ...(weights ? { weights } : {}),
        },
        { mode: "monotone" },
      ).fit(null);
      const replicates = calibrator.jackknife().map((c) => {
        const rk = points.expand(c.predict(points));
        let s = 0;
        for (let i = 0; i < rk.length; i++) s += ratio[i] * rk[i];
        return s / rk.length;
      });
      return foldJackknifeVariance(replicates);
    };
    const reported = result.diagnostics.policies.target.variance_components?.calibration as number;
    expect(reported).toBeCloseTo(jackknife(inverse.map((w) => w / mean)), 14);
    expect(Math.abs(reported - jackknife(undefined))).toBeGreaterThan(1e-6);
  });

  it("with the same π on every label reproduces the unweighted analysis to 1e-12", () => {
    // π = 0.3 (not a power of two): the normalized weights are 1 only up to rounding.
    const uniform = world.logged.map((row) => (row.oracle_label === undefined ? row : { ...row, [ORACLE_INCLUSION_FIELD]: 0.3 }));
    // Labelled fresh draws of the target join the pool with the same π.
    const labelledFresh = world.fresh.map((row, i) =>
      i % 10 === 0 ? { ...row, oracle_label: i % 20 === 0 ? 0.25 : 0.75, [ORACLE_INCLUSION_FIELD]: 0.3 } : row,
    );
    for (const estimator of ["stacked-dr", "snips", "calibrated-ips"]) {
      const draws = evaluationDataFromRecords(labelledFresh, UNIT);
      const weighted = analyzeOffPolicy(loggedDataFromRecords(uniform, UNIT), draws, { estimator });
      const plain = analyzeOffPolicy(loggedDataFromRecords(withoutPi(uniform), UNIT), evaluationDataFromRecords(withoutPi(labelledFresh), UNIT), { estimator });
      expect(weighted.diagnostics.label_design).toMatchObject({ kind: "known_propensity", inclusion_range: [0.3, 0.3], n_labelled: labelledLines.length + 30 });
      expectSameResult(weighted, plain, 1e-12);
    }
  });

  it("counts a label present in the logged data and the fresh draws once, and reads π from the pooled copy", () => {
    // The logging policy's labelled rows also appear as its fresh draws (as in a campaign or the Arena sample).
    const base = world.logged.map((row) => ({
      policy: "base",
      prompt_id: row.prompt_id,
      judge_score: row.judge_score,
      ...(row.oracle_label === undefined ? {} : { oracle_label: row.oracle_label, [ORACLE_INCLUSION_FIELD]: row[ORACLE_INCLUSION_FIELD] }),
    }));
    const draws = evaluationDataFromRecords([...base, ...world.fresh.map((f) => ({ ...f, policy: "target" }))], UNIT);
    const logged = loggedDataFromRecords(world.logged, UNIT);
    const result = analyzeOffPolicy(logged, draws, { estimator: "stacked-dr" });
    expect(result.diagnostics.label_design).toMatchObject({ kind: "known_propensity", n_labelled: labelledLines.length });
    expect(result.diagnostics.calibration?.n_oracle).toBe(labelledLines.length);
    // Same calibrator as from the logged labels alone (the DR term only uses the target's draws).
    const alone = analyzeOffPolicy(logged, evaluationDataFromRecords(world.fresh, UNIT), { estimator: "stacked-dr" });
    expect(result.policies[0].estimate).toBeCloseTo(alone.policies[0].estimate as number, 12);
    // A logged copy without π merges into its fresh draw, which carries one: no partial design.
    const bare = world.logged.map((row, i) => (i + 1 === labelledLines[0] ? withoutPi([row])[0] : row));
    expect(() => analyzeOffPolicy(loggedDataFromRecords(bare, UNIT), draws, { estimator: "stacked-dr" })).not.toThrow();
  });

  it("gives the design's labels 1/π normalized to mean 1 and calibration-file rows weight 1", () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: "1", judge_score: 0.2, oracle_label: 0.1, [ORACLE_INCLUSION_FIELD]: 0.5 },
        { prompt_id: "2", judge_score: 0.4 },
      ],
    });
    const table = buildEvalTable(data.draws, data.policies);
    const row = (promptId: string, pi?: number): CalibrationRow => ({
      promptId,
      judgeScore: 0.6,
      oracleLabel: 0.7,
      numericFields: pi === undefined ? {} : { [ORACLE_INCLUSION_FIELD]: pi },
      source: { file: "x.jsonl", line: 1 },
    });
    const sources: LabelSource[] = [
      { label: "calibration-file", rows: [row("c", 0.01)] },
      { label: "logged", rows: [row("l", 0.25)], design: true },
    ];
    const pool = poolOracleLabels(table, sources, [], []);
    expect([Array.from(pool?.sourceIndex ?? []), Array.from(pool?.sourceRow ?? [])]).toEqual([
      [-1, 0, 1],
      [-1, 0, 0],
    ]);
    const labelDesign = pooledLabelDesign(pool, sources, { draws: data.draws, table });
    // Fresh draw (π = 0.5), calibration-file row (outside the design, its π ignored), logged row (π = 0.25).
    expect(Array.from(labelDesign.weights ?? [])).toEqual([2 / 3, 1, 4 / 3]);
    expect(labelDesign).toMatchObject({ nLabelled: 2, inclusionRange: [0.25, 0.5], origin: "rows" });
  });
});

describe("inclusion-probability errors of the off-policy analysis name file, line and field", () => {
  const world = simulateOpeWorld({ logger, target, n: 120, labelShare: 0, design: { share: 0.3, shift: 0.1, inclusion: [0.3, 0.9] }, seed: 8 });
  const fresh = evaluationDataFromRecords(world.fresh, UNIT);
  const lines = world.logged.flatMap((row, i) => (row.oracle_label === undefined ? [] : [i + 1]));

  it("refuses a labelled logged row without π when the others carry one, in a file", async () => {
    const rows = world.logged.map((row, i) => (i + 1 === lines[3] ? withoutPi([row])[0] : row));
    const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-design-")), "logged_data.jsonl");
    await writeFile(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const logged = await loadLoggedData(file, UNIT);
    const error = (() => {
      try {
        analyzeOffPolicy(logged, fresh, { estimator: "stacked-dr" });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as CjeInputError).location).toEqual({ file, line: lines[3], field: ORACLE_INCLUSION_FIELD });
    expect((error as Error).message).toBe(
      `${file}:${lines[3]}: field '${ORACLE_INCLUSION_FIELD}': missing on this labelled row, while ${lines.length - 1} of the ${lines.length} ` +
        `labelled rows carry one (first at ${file}:${lines[0]}); a design-weighted analysis needs the inclusion probability of every ` +
        "labelled fresh draw and labelled logged row — label the whole sample, or move labels chosen outside the design to a calibration file",
    );
  });

  it("refuses labelled logged rows without π when the labelled fresh draws carry one", () => {
    const labelledFresh = world.fresh.map((row, i) => (i === 5 ? { ...row, oracle_label: 0.5, [ORACLE_INCLUSION_FIELD]: 0.4 } : row));
    expect(() =>
      analyzeOffPolicy(loggedDataFromRecords(withoutPi(world.logged), UNIT), evaluationDataFromRecords(labelledFresh, UNIT), { estimator: "snips" }),
    ).toThrow(
      new RegExp(
        `^in-memory:${lines[0]}: field '${ORACLE_INCLUSION_FIELD}': missing on this labelled row, while 1 of the ${lines.length + 1} labelled rows carry one \\(first at in-memory:6\\)`,
      ),
    );
  });

  it.each([0, 1.5, -0.2])("refuses π = %s outside (0, 1] on a logged row and on a fresh draw", (value) => {
    const rows = world.logged.map((row, i) => (i + 1 === lines[2] ? { ...row, [ORACLE_INCLUSION_FIELD]: value } : row));
    expect(() => analyzeOffPolicy(loggedDataFromRecords(rows, UNIT), null, { estimator: "snips" })).toThrow(
      `in-memory:${lines[2]}: field '${ORACLE_INCLUSION_FIELD}' = ${value}: an inclusion probability must lie in (0, 1]`,
    );
    const draws = world.fresh.map((row, i) => (i === 9 ? { ...row, [ORACLE_INCLUSION_FIELD]: value } : row));
    expect(() => analyzeOffPolicy(loggedDataFromRecords(world.logged, UNIT), evaluationDataFromRecords(draws, UNIT), { estimator: "stacked-dr" })).toThrow(
      `in-memory:10: field '${ORACLE_INCLUSION_FIELD}' = ${value}: an inclusion probability must lie in (0, 1]`,
    );
  });
});
