import { describe, expect, it } from "vitest";
import { simulateWorld, type WorldPolicy } from "../../src/advanced.js";

const policies: WorldPolicy[] = [
  { name: "base", shift: 0.5 },
  { name: "honest", shift: 1 },
  { name: "fooler", shift: -1, judgeBias: 0.2 },
];

describe("simulateWorld", () => {
  it("labels every row of fullyLabelledPolicies without changing the rest of the world", () => {
    const plain = simulateWorld({ policies, prompts: 2000, oracleShare: 0.1, seed: 11 });
    const probed = simulateWorld({ policies, prompts: 2000, oracleShare: 0.1, seed: 11, fullyLabelledPolicies: ["honest", "fooler"] });
    const strip = (r: Record<string, unknown>) => ({ ...r, oracle_label: undefined });
    expect(probed.records.map(strip)).toEqual(plain.records.map(strip));
    const labels = (w: typeof plain, policy: string) => w.records.filter((r) => r.policy === policy).map((r) => r.oracle_label);
    expect(labels(probed, "base")).toEqual(labels(plain, "base"));
    expect(labels(plain, "honest").every((y) => y === undefined)).toBe(true);
    for (const policy of ["honest", "fooler"]) {
      const ys = labels(probed, policy) as number[];
      expect(ys.every((y) => typeof y === "number")).toBe(true);
      // The oracle's ratings average to the policy's true value (SE of 2,000 ratings ≈ 0.006).
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      expect(Math.abs(mean - probed.truth[policy])).toBeLessThan(0.02);
    }
  });
});
