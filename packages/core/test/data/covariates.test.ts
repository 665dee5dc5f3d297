import path from "node:path";
import { describe, expect, it } from "vitest";
import { covariateColumns, wordCount } from "../../src/data/covariates.js";
import { evaluationDataFromRecords } from "../../src/data/from-records.js";
import { loadEvaluationData } from "../../src/data/load.js";
import { fixturesDir, inputError, pythonReference } from "./support.js";

describe("covariateColumns", () => {
  it("counts words exactly as Python's len(str.split())", () => {
    for (const { text, count } of pythonReference.wordCounts) expect(wordCount(text), JSON.stringify(text)).toBe(count);
  });

  it("builds response_length and named numeric columns, one value per row", () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: "p", judge_score: 0.5, response: "three short words", latency: 1.5 },
        { prompt_id: "q", judge_score: 0.5, response: "  ", latency: 2 },
      ],
    });
    const [length, latency] = covariateColumns(data.draws, ["response_length", "latency"]);
    expect(length).toEqual(new Float64Array([3, 0]));
    expect(latency).toEqual(new Float64Array([1.5, 2]));
    expect(covariateColumns(data.draws, [])).toEqual([]);
  });

  it("works on calibration rows read from a file", async () => {
    const labels = path.join(fixturesDir, "labels.jsonl");
    const data = await loadEvaluationData([path.join(fixturesDir, "folder")], { calibrationFile: labels });
    expect(covariateColumns(data.calibration.slice(1, 2), ["response_length"])).toEqual([new Float64Array([3])]);
  });

  it("names file:line of a row without a response", async () => {
    const data = await loadEvaluationData([path.join(fixturesDir, "folder", "alpha_responses.jsonl")]);
    expect(covariateColumns(data.draws, ["response_length"])[0]).toEqual(new Float64Array([3, 2, 1]));
    const beta = await loadEvaluationData([path.join(fixturesDir, "folder", "beta.jsonl")], { judgeScale: { min: 0, max: 10 } });
    const error = await inputError(() => covariateColumns(beta.draws, ["response_length"]));
    expect(error.message).toBe(
      `${path.join(fixturesDir, "folder", "beta.jsonl")}:1: field 'response': missing: the response_length covariate needs the response text`,
    );
  });

  it("names file:line and lists the available numeric fields when a covariate is missing or not finite", async () => {
    const data = evaluationDataFromRecords({
      a: [
        { prompt_id: "p", judge_score: 0.5, latency: 1, tokens: 4 },
        { prompt_id: "q", judge_score: 0.5, tokens: 5 },
      ],
    });
    const missing = await inputError(() => covariateColumns(data.draws, ["latency"]));
    expect(missing.message).toBe(
      "in-memory[a]:2: field 'latency': covariate missing on this row; numeric fields available: tokens (plus response_length from the response text)",
    );
    const infinite = evaluationDataFromRecords({ a: [{ prompt_id: "p", judge_score: 0.5, latency: Infinity }] });
    const notFinite = await inputError(() => covariateColumns(infinite.draws, ["latency"]));
    expect(notFinite.location).toMatchObject({ file: "in-memory[a]", line: 1, field: "latency", value: Infinity });
    expect(notFinite.message).toContain("covariate not finite on this row");
  });
});
