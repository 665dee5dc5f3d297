import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildEvalTable, type EvalRowInput } from "../../src/advanced.js";
import { sumRunWeights } from "../../src/direct/direct-point.js";

/**
 * Reference layout of the evaluation table, from its definition: rows stacked in policy order;
 * within a policy the unlabelled rows by ascending judge score (input order among equal scores),
 * then the labelled rows in input order; cluster codes by first appearance in that order.
 */
function referenceLayout(rows: readonly EvalRowInput[], policies: readonly string[]) {
  const order: number[] = [];
  for (const policy of policies) {
    const own = rows.map((_, i) => i).filter((i) => rows[i].policy === policy);
    const unlabelled = own.filter((i) => rows[i].oracleLabel === null).sort((a, b) => rows[a].judgeScore - rows[b].judgeScore || a - b);
    order.push(...unlabelled, ...own.filter((i) => rows[i].oracleLabel !== null));
  }
  const codes = new Map<string, number>();
  const cluster = order.map((i) => {
    const id = rows[i].promptId;
    if (!codes.has(id)) codes.set(id, codes.size);
    return codes.get(id) as number;
  });
  return { order, cluster, clusterIds: [...codes.keys()] };
}

const rowsArbitrary = fc.array(
  fc.record({
    policy: fc.constantFrom("a", "b", "c"),
    promptId: fc.integer({ min: 0, max: 12 }).map((k) => `q${k}`),
    judgeScore: fc.integer({ min: 0, max: 6 }).map((k) => k / 6),
    oracleLabel: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  }),
  { minLength: 1, maxLength: 60 },
);

describe("buildEvalTable", () => {
  it("lays rows out by policy, then unlabelled by score and labelled in input order, with clusters by first appearance", () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const policies = ["c", "a", "b"].filter((p) => rows.some((r) => r.policy === p));
        const table = buildEvalTable(rows, policies);
        const ref = referenceLayout(rows, policies);
        expect(Array.from(table.inputIndex)).toEqual(ref.order);
        expect(Array.from(table.cluster)).toEqual(ref.cluster);
        expect(table.clusterIds).toEqual(ref.clusterIds);
        expect(Array.from(table.scores)).toEqual(ref.order.map((i) => rows[i].judgeScore));
        expect(Array.from(table.labels)).toEqual(ref.order.map((i) => rows[i].oracleLabel ?? Number.NaN));
        const labelled = ref.order.flatMap((i, r) => (rows[i].oracleLabel === null ? [] : [r]));
        expect(Array.from(table.labelledRows)).toEqual(labelled);
        expect(Array.from(table.labelledIndex)).toEqual(ref.order.map((_, r) => labelled.indexOf(r)));
        expect(Array.from(table.points.rowToPoint, (k) => table.points.scores[k])).toEqual(Array.from(table.scores));
      }),
    );
  });
});

describe("sumRunWeights", () => {
  it("sums every unlabelled run's cluster weights exactly as a plain loop over the run does", () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 0, max: 1000 }), (rows, seed) => {
        const policies = ["a", "b", "c"].filter((p) => rows.some((r) => r.policy === p));
        const table = buildEvalTable(rows, policies);
        const weights = Float64Array.from(table.clusterIds, (_, g) => Math.exp(Math.sin(seed + 7 * g)) * 0.37);
        const expected: number[] = [];
        for (let p = 0; p < policies.length; p++) {
          const last = table.runPolicyStart[p + 1];
          for (let k = table.runPolicyStart[p]; k < last; k++) {
            const to = k + 1 < last ? table.unlabelledRuns[k + 1] : table.labelledStart[p];
            let sum = 0;
            for (let r = table.unlabelledRuns[k]; r < to; r++) sum += weights[table.cluster[r]];
            expected.push(sum);
          }
        }
        const out = sumRunWeights(table, weights, new Float64Array(table.unlabelledRuns.length));
        expect(Array.from(out)).toEqual(expected);
      }),
    );
  });
});
