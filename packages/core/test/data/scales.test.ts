import { describe, expect, it } from "vitest";
import { formatScale, fromInternal, inferStandardScale, isOnScale, scaleSpan, toInternal } from "../../src/data/scales.js";

describe("scale helpers", () => {
  const tenPoint = { min: 1, max: 10 };

  it("maps to and from internal units", () => {
    expect(toInternal(tenPoint, 1)).toBe(0);
    expect(toInternal(tenPoint, 10)).toBe(1);
    expect(toInternal(tenPoint, 5.5)).toBeCloseTo(0.5, 15);
    expect(fromInternal(tenPoint, 0.25)).toBeCloseTo(3.25, 15);
    for (const x of [1, 2.7, 9.99]) expect(fromInternal(tenPoint, toInternal(tenPoint, x))).toBeCloseTo(x, 12);
  });

  it("maps a standard error by the span, without the shift", () => {
    expect(scaleSpan({ min: 0, max: 100 })).toBe(100);
    expect(0.013 * scaleSpan(tenPoint)).toBeCloseTo(0.117, 15);
  });

  it("checks membership with a 1e-9 tolerance", () => {
    expect(isOnScale({ min: 0, max: 1 }, 1 + 5e-10)).toBe(true);
    expect(isOnScale({ min: 0, max: 1 }, 1 + 2e-9)).toBe(false);
    expect(isOnScale({ min: 0, max: 1 }, -2e-9)).toBe(false);
  });

  it("infers the first standard scale containing the observed range", () => {
    const cases: [number, number, string | null][] = [
      [0, 1, "0–1"],
      [0.2, 0.7, "0–1"],
      [1, 3, "1–5"],
      [0, 3, "0–5"],
      [1, 6, "1–7"],
      [1, 8, "1–10"],
      [0, 7, "0–10"],
      [3, 97, "0–100"],
      [0, 100.5, null],
      [-0.5, 0.5, null],
    ];
    for (const [min, max, expected] of cases) {
      const scale = inferStandardScale(min, max);
      expect(scale === null ? null : formatScale(scale), `${min}..${max}`).toBe(expected);
    }
  });
});
