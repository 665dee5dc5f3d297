import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as advanced from "../src/advanced.js";
import * as main from "../src/index.js";

const MAX_MAIN_RUNTIME_EXPORTS = 60;

describe("entry points", () => {
  it(`the main entry exports at most ${MAX_MAIN_RUNTIME_EXPORTS} runtime names`, () => {
    const names = Object.keys(main);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(MAX_MAIN_RUNTIME_EXPORTS);
  });

  it("the main entry holds the documented API, the building blocks are behind /advanced", () => {
    for (const name of ["analyze", "analyzeOffPolicy", "loadEvaluationData", "loadLoggedData", "calibratedMeanCI", "auditTransport", "planFromPilot", "AnalysisResultSchema", "VERSION"]) {
      expect(main).toHaveProperty(name);
    }
    for (const name of ["fitIsotonic", "assignFolds", "normalQuantile", "quantile", "createRng", "runWeightBootstrap", "foldJackknifeVariance", "effectiveSampleSize", "nnls2", "cleverCovariate"]) {
      expect(main).not.toHaveProperty(name);
      expect(advanced).toHaveProperty(name);
    }
  });

  it("each name is exported by one entry only", () => {
    expect(Object.keys(main).filter((name) => name in advanced)).toEqual([]);
  });

  it("package.json exposes only `.` and `./advanced`, each with types and import", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, Record<string, string>> };
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./advanced"]);
    expect(pkg.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(pkg.exports["./advanced"]).toEqual({ types: "./dist/advanced.d.ts", import: "./dist/advanced.js" });
  });
});
