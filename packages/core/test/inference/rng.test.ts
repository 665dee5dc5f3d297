import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chiSquareSf } from "../../src/inference/distributions.js";
import { createRng } from "../../src/inference/rng.js";

const golden = JSON.parse(readFileSync(new URL("../fixtures/distributions.json", import.meta.url), "utf8")).xoshiro128ss;

/** Chi-square goodness-of-fit p-value of `counts` against equal expected frequencies. */
function uniformityPValue(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  const stat = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
  return chiSquareSf(stat, counts.length - 1);
}

describe("seeded RNG (splitmix64 → xoshiro128**)", () => {
  it("reproduces an independent Python implementation of the generator", () => {
    for (const [seed, expected] of Object.entries(golden) as [string, number[]][]) {
      const rng = createRng(Number(seed));
      expect(expected.map(() => rng.nextUint32())).toEqual(expected);
    }
  });

  it("is deterministic per seed, differs across seeds and forked streams", () => {
    const a = createRng(42);
    const b = createRng(42);
    const seqA = Array.from({ length: 5 }, () => a.nextFloat());
    expect(Array.from({ length: 5 }, () => b.nextFloat())).toEqual(seqA);
    const c = createRng(43);
    expect(Array.from({ length: 5 }, () => c.nextFloat())).not.toEqual(seqA);
    const f1 = createRng(42).fork(1).nextFloat();
    const f2 = createRng(42).fork(2).nextFloat();
    expect(f1).not.toBe(f2);
    expect(createRng(42).fork(1).nextFloat()).toBe(f1);
    expect(createRng("study-a").nextFloat()).toBe(createRng("study-a").nextFloat());
  });

  it("first outputs of small consecutive seeds are uniform (no seeding correlation)", () => {
    const counts = new Array(20).fill(0);
    for (let seed = 0; seed < 2000; seed++) counts[Math.floor(createRng(seed).nextFloat() * 20)]++;
    expect(uniformityPValue(counts)).toBeGreaterThan(0.001);
  });

  it("exponential variates have mean 1 and variance 1, and follow 1 − e^−x", () => {
    const rng = createRng(7);
    const n = 1_000_000;
    const draws = new Float64Array(n);
    rng.fillExponential(draws);
    let sum = 0;
    let sum2 = 0;
    let min = Infinity;
    for (const x of draws) {
      sum += x;
      sum2 += x * x;
      min = Math.min(min, x);
    }
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(8 / n));
    expect(min).toBeGreaterThan(0);
    const sorted = Float64Array.from(draws).sort();
    let ks = 0;
    for (let i = 0; i < n; i += 97) ks = Math.max(ks, Math.abs((i + 1) / n - (1 - Math.exp(-sorted[i]))));
    expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it("nextInt is unbiased and normals have unit variance", () => {
    const rng = createRng(11);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.nextInt(7)]++;
    expect(uniformityPValue(counts)).toBeGreaterThan(0.001);
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it("shuffle is a permutation", () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    createRng(3).shuffle(values);
    expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(values).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
