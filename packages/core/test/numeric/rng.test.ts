import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chiSquareSf, normalCdf } from "../../src/numeric/distributions.js";
import { createRng, splitmix64 } from "../../src/numeric/rng.js";

/** Golden outputs from the independent Python implementation in fixtures/gen_rng.py. */
const golden = JSON.parse(readFileSync(new URL("../fixtures/rng.json", import.meta.url), "utf8"));

/** Chi-square goodness-of-fit p-value of observed `counts` against `expected` counts. */
function goodnessOfFit(counts: ArrayLike<number>, expected: ArrayLike<number>): number {
  let statistic = 0;
  for (let i = 0; i < counts.length; i++) statistic += (counts[i] - expected[i]) ** 2 / expected[i];
  return chiSquareSf(statistic, counts.length - 1);
}

/** p-value of equal frequencies. */
function uniformity(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return goodnessOfFit(
    counts,
    counts.map(() => total / counts.length),
  );
}

/** Kolmogorov–Smirnov statistic √n·D of `sample` against `cdf`. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return Math.sqrt(n) * d;
}

/** √n·D above 1.95 has probability 0.001 under the null (Kolmogorov distribution). */
const KS_CRITICAL_0_001 = 1.95;

describe("seeding: splitmix64 → xoshiro128**", () => {
  it("splitmix64 reproduces the Python reference outputs", () => {
    for (const { seed, outputs } of golden.splitmix64) {
      expect(splitmix64(BigInt(seed), outputs.length).map(String)).toEqual(outputs);
    }
  });

  it("nextUint32 reproduces the Python reference for integer (incl. negative) and string seeds", () => {
    for (const { seed, outputs } of golden.uint32) {
      const rng = createRng(seed);
      expect(
        outputs.map(() => rng.nextUint32()),
        `seed ${JSON.stringify(seed)}`,
      ).toEqual(outputs);
    }
  });

  it("nextFloat reproduces the Python reference (53-bit construction)", () => {
    for (const { seed, outputs } of golden.float) {
      const rng = createRng(seed);
      expect(outputs.map(() => rng.nextFloat())).toEqual(outputs);
    }
  });

  it("fork(stream) reproduces the Python reference, also for a fork of a fork", () => {
    for (const { seed, stream, outputs } of golden.fork) {
      const rng = createRng(seed).fork(stream);
      expect(
        outputs.map(() => rng.nextUint32()),
        `seed ${seed}, stream ${stream}`,
      ).toEqual(outputs);
    }
    const { seed, streams, outputs } = golden.fork_of_fork;
    const nested = createRng(seed).fork(streams[0]).fork(streams[1]);
    expect(outputs.map(() => nested.nextUint32())).toEqual(outputs);
  });

  it("is deterministic, differs across seeds and streams, and forks ignore draws already made", () => {
    const draw = (rng: { nextFloat(): number }) => Array.from({ length: 8 }, () => rng.nextFloat());
    expect(draw(createRng(42))).toEqual(draw(createRng(42)));
    expect(draw(createRng(42))).not.toEqual(draw(createRng(43)));
    expect(draw(createRng("a"))).not.toEqual(draw(createRng("b")));
    expect(draw(createRng(42).fork(1))).not.toEqual(draw(createRng(42).fork(2)));
    expect(draw(createRng(42).fork(0))).not.toEqual(draw(createRng(42)));
    const used = createRng(42);
    draw(used);
    expect(draw(used.fork(7))).toEqual(draw(createRng(42).fork(7)));
  });

  it("first outputs of seeds 0..999 are uniform and uncorrelated (no small-seed pitfall)", () => {
    const first = Array.from({ length: 1000 }, (_, seed) => createRng(seed).nextFloat());
    const counts = new Array(20).fill(0);
    for (const u of first) counts[Math.floor(u * 20)]++;
    expect(uniformity(counts)).toBeGreaterThan(0.001);
    // Lag-1 correlation between consecutive seeds: |r| < 4/√n.
    const mean = first.reduce((a, b) => a + b, 0) / first.length;
    let cross = 0;
    let square = 0;
    for (let i = 0; i < first.length; i++) {
      square += (first[i] - mean) ** 2;
      if (i > 0) cross += (first[i] - mean) * (first[i - 1] - mean);
    }
    expect(Math.abs(cross / square)).toBeLessThan(4 / Math.sqrt(first.length));
    // The first two 32-bit outputs of seeds 0..999, jointly: a 10×10 grid.
    const grid = new Array(100).fill(0);
    for (let seed = 0; seed < 1000; seed++) {
      const rng = createRng(seed);
      grid[Math.floor((rng.nextUint32() / 2 ** 32) * 10) * 10 + Math.floor((rng.nextUint32() / 2 ** 32) * 10)]++;
    }
    expect(uniformity(grid)).toBeGreaterThan(0.001);
  });

  it("rejects seeds and streams that are not safe integers", () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(2 ** 53)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(1).fork(-1)).toThrow(RangeError);
    expect(() => createRng(1).fork(0.5)).toThrow(RangeError);
  });
});

describe("variates", () => {
  it("nextFloat lies in [0, 1) and uses 53 bits", () => {
    const rng = createRng(5);
    let oddLowBit = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      const scaled = u * 2 ** 53;
      expect(Number.isInteger(scaled)).toBe(true);
      oddLowBit += scaled % 2;
    }
    expect(oddLowBit).toBeGreaterThan(4_700); // about half the values use the 53rd bit
  });

  it("Exp(1) from fillExponential: strictly positive, mean and variance within 4 MC-SE, KS and tail frequencies fit (1e6 draws)", () => {
    const n = 1_000_000;
    const draws = new Float64Array(n);
    createRng(2024).fillExponential(draws);
    let sum = 0;
    let min = Infinity;
    for (const x of draws) {
      sum += x;
      min = Math.min(min, x);
    }
    expect(min).toBeGreaterThan(0);
    const mean = sum / n;
    let squares = 0;
    for (const x of draws) squares += (x - mean) ** 2;
    const variance = squares / (n - 1);
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(n)); // SD of the mean: 1/√n
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(8 / n)); // SD of the variance: √((μ₄ − σ⁴)/n) = √(8/n)
    expect(ksStatistic(draws, (x) => 1 - Math.exp(-x))).toBeLessThan(KS_CRITICAL_0_001);
    // Frequencies in bins that separate the ziggurat's paths: fast layers, wedges, the base strip's tail
    // beyond R = 7.697 (R + Exp(1)), and beyond 2R (tail taken twice).
    const edges = [0, 0.01, 0.1, 0.5, 1, 2, 3, 5, 7.697, 9, 15.394, Infinity];
    const counts = new Array(edges.length - 1).fill(0);
    for (const x of draws) {
      let bin = 0;
      while (x >= edges[bin + 1]) bin++;
      counts[bin]++;
    }
    const expected = counts.map((_, i) => n * (Math.exp(-edges[i]) - Math.exp(-edges[i + 1])));
    expect(goodnessOfFit(counts.slice(0, -1), expected.slice(0, -1))).toBeGreaterThan(0.001);
    expect(counts.at(-1)).toBeLessThan(8); // P(X > 2R) = 2e-7: expected 0.2
  });

  it("nextExponential gives exactly the values of fillExponential", () => {
    const bulk = new Float64Array(1000);
    createRng(9).fillExponential(bulk);
    const single = createRng(9);
    expect(Array.from(bulk, () => single.nextExponential())).toEqual(Array.from(bulk));
  });

  it("nextNormal: mean, variance and KS against Φ fit (2e5 draws)", () => {
    const n = 200_000;
    const rng = createRng(77);
    const draws = Float64Array.from({ length: n }, () => rng.nextNormal());
    const mean = draws.reduce((a, b) => a + b, 0) / n;
    const variance = draws.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(ksStatistic(draws, normalCdf)).toBeLessThan(KS_CRITICAL_0_001);
  });

  it("nextInt is uniform for small, non-power-of-two and 53-bit ranges, and validates n", () => {
    const rng = createRng(11);
    const seven = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) seven[rng.nextInt(7)]++;
    expect(uniformity(seven)).toBeGreaterThan(0.001);
    // n = 3·2^31 rejects a third of the 32-bit draws; n = 3·2^40 takes the 53-bit path.
    for (const n of [3 * 2 ** 31, 3 * 2 ** 40]) {
      const thirds = [0, 0, 0];
      for (let i = 0; i < 30_000; i++) {
        const k = rng.nextInt(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        thirds[Math.floor((3 * k) / n)]++;
      }
      expect(uniformity(thirds)).toBeGreaterThan(0.001);
    }
    expect(rng.nextInt(1)).toBe(0);
    for (const bad of [0, -3, 2.5, 2 ** 53 + 2, Number.NaN]) expect(() => rng.nextInt(bad)).toThrow(RangeError);
  });

  it("shuffle permutes in place, uniformly over the 24 permutations of 4 items, for arrays and typed arrays", () => {
    const rng = createRng(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 48_000; i++) {
      const items = ["a", "b", "c", "d"];
      rng.shuffle(items);
      counts.set(items.join(""), (counts.get(items.join("")) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    expect(uniformity([...counts.values()])).toBeGreaterThan(0.001);
    const typed = Int32Array.from({ length: 100 }, (_, i) => i);
    rng.shuffle(typed);
    expect(Array.from(typed).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(typed)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
