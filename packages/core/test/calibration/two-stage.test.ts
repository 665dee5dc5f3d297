import { describe, expect, it } from "vitest";
import { CalibrationPoints } from "../../src/calibration/points.js";
import { TwoStageFitter } from "../../src/calibration/two-stage.js";
import { createRng } from "../../src/numeric/rng.js";

describe("TwoStageFitter", () => {
  it("predicts into a longer scratch buffer: the points' entries as into an exact one, the rest untouched", () => {
    const rng = createRng(11);
    for (const n of [12, 60]) {
      // n = 12 ranks the raw scores; n = 60 fits the spline index first.
      const scores = Float64Array.from({ length: n }, () => Math.round(rng.nextFloat() * 10) / 10);
      const labels = scores.map((s) => Math.min(1, Math.max(0, s + 0.2 * (rng.nextFloat() - 0.5))));
      const weights = Float64Array.from({ length: n }, () => rng.nextExponential());
      const model = new TwoStageFitter(scores, undefined, labels, 8).fit(weights);
      const points = CalibrationPoints.of([0.05, 0.3, 0.3, 0.75, 1.2]);
      const exact = model.predict(points);
      const scratch = new Float64Array(points.size + 7).fill(-1);
      expect(model.predict(points, scratch)).toBe(scratch);
      expect(Array.from(scratch.subarray(0, points.size))).toEqual(Array.from(exact));
      expect(Array.from(scratch.subarray(points.size))).toEqual(new Array(7).fill(-1));
    }
  });
});
