import { describe, expect, it } from "vitest";
import { fitCalibrator } from "../../src/calibration/autocal.js";
import { jackknifeDegreesOfFreedom, jackknifeGroupCount } from "../../src/calibration/jackknife-groups.js";

describe("jackknife degrees of freedom: min(J − 1, labelled clusters − level sets of the fit)", () => {
  it("spends one degree of freedom per level set of the isotonic fit", () => {
    // Twelve labels on increasing scores whose isotonic fit has exactly three level sets:
    // {0, 0, 0, 0}, {0.5, 0.5, 0.5, 0.5}, {1, 1, 1, 1} by score order (labels within a set tie).
    const scores = Array.from({ length: 12 }, (_, i) => i / 11);
    const labels = scores.map((_, i) => (i < 4 ? 0 : i < 8 ? 0.5 : 1));
    const clusterIds = scores.map((_, i) => `p${i}`);
    const cal = fitCalibrator({ scores, labels, clusterIds }, { mode: "monotone" });
    expect(new Set(cal.predictScores(scores)).size).toBe(3);
    expect(cal.jackknife()).toHaveLength(12);
    expect(cal.jackknifeDf).toBe(12 - 3);
  });

  it("labels the fit pools into one block leave c − 1 df", () => {
    // Alternating labels on increasing scores: PAVA pools all ten into one level set at 0.5.
    const scores = Array.from({ length: 10 }, (_, i) => i / 9);
    const labels = scores.map((_, i) => (i % 2 === 0 ? 0.75 : 0.25));
    const clusterIds = scores.map((_, i) => `q${i}`);
    const cal = fitCalibrator({ scores, labels, clusterIds }, { mode: "monotone" });
    expect(Array.from(cal.predictScores(scores))).toEqual(new Array(10).fill(0.5));
    expect(cal.jackknifeDf).toBe(9);
  });

  it("is J − 1 when the fit has few level sets against many clusters, and never below 1", () => {
    expect(jackknifeDegreesOfFreedom(400, jackknifeGroupCount(400), 12)).toBe(49);
    expect(jackknifeDegreesOfFreedom(20, 20, 6)).toBe(14);
    expect(jackknifeDegreesOfFreedom(5, 5, 5)).toBe(1);
  });
});

describe("jackknife groups of a calibrator", () => {
  it("jackknife()[g] is the fit without the rows of group g, and rows of one prompt share a group", () => {
    const scores = Array.from({ length: 16 }, (_, i) => (i % 8) / 7);
    const labels = scores.map((s, i) => Math.min(1, s * 0.8 + (i % 3) * 0.05));
    const clusterIds = scores.map((_, i) => `c${i % 8}`);
    const cal = fitCalibrator({ scores, labels, clusterIds }, { mode: "monotone" });
    const groups = cal.jackknifeGroupIds;
    expect(groups).toHaveLength(16);
    expect(new Set(groups).size).toBe(cal.jackknife().length);
    for (let i = 0; i < 8; i++) expect(groups[i]).toBe(groups[i + 8]);
    cal.jackknife().forEach((jack, g) => {
      const keep = scores.map((_, i) => groups[i] !== g);
      const reduced = fitCalibrator(
        { scores: scores.filter((_, i) => keep[i]), labels: labels.filter((_, i) => keep[i]), clusterIds: clusterIds.filter((_, i) => keep[i]) },
        { mode: "monotone" },
      );
      expect(Array.from(jack.predictScores(scores))).toEqual(Array.from(reduced.predictScores(scores)));
    });
  });
});
