import { describe, expect, it } from "vitest";
import { analyze, CjeInputError, evaluationDataFromRecords } from "../../src/index.js";
import { MAX_BOOTSTRAP_REPLICATES, maxThreads } from "../../src/numeric/resource-limits.js";

const data = evaluationDataFromRecords({
  a: Array.from({ length: 30 }, (_, i) => ({ prompt_id: `p${i}`, judge_score: (i % 10) / 10, oracle_label: (i % 10) / 10 })),
});

describe("resource caps of analyze (the same checks as the CLI flags)", () => {
  const cases: [string, Record<string, number>, RegExp][] = [
    ["threads past the machine's cap", { threads: maxThreads() + 1 }, /field 'threads' = \d+: must be at most/],
    ["100 000 threads", { threads: 100_000 }, /field 'threads' = 100000/],
    ["replicates past 100 000", { replicates: MAX_BOOTSTRAP_REPLICATES + 1 }, /field 'replicates' = 100001: must be at most 100000/],
    ["0 replicates", { replicates: 0 }, /field 'replicates' = 0: must be at least 2/],
    ["an unsafe seed", { seed: 1e20 }, /field 'seed' = 100000000000000000000: must be an integer/],
  ];
  for (const [name, options, message] of cases) {
    it(`refuses ${name} before any work`, () => {
      const error = (() => {
        try {
          analyze(data, options);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(CjeInputError);
      expect((error as Error).message).toMatch(message);
    });
  }
});
