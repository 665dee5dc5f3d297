import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EvaluationData, LoadOptions } from "../../src/data/evaluation-data.js";
import { type DrawRecordSource, evaluationDataFromSources, type RecordSource } from "../../src/data/from-sources.js";
import { parseJsonlText } from "../../src/data/jsonl-text.js";
import { loadEvaluationData } from "../../src/data/load.js";
import { drawFileLayout } from "../../src/data/policy-files.js";
import { decodeTextFile } from "../../src/data/text-encoding.js";
import { fixturesDir, inputError, removeTrees, writeTree } from "./support.js";

afterAll(removeTrees);

const folder = path.join(fixturesDir, "folder");

/** A file's records as a page reads them (its bytes decoded, its text parsed), labelled by its path. */
function recordsOf(file: string): RecordSource {
  return { file, records: parseJsonlText(decodeTextFile(readFileSync(file), file), file) };
}

/** `files` as sources laid out by their names, as `loadEvaluationData` lays out files given by name. */
function sourcesOf(files: readonly string[]): DrawRecordSource[] {
  return files.map((file) => ({ ...recordsOf(file), ...drawFileLayout(file) }));
}

/** Both readings of `files` (and `calibration`). */
async function bothWays(files: string[], calibration?: string, options: LoadOptions = {}): Promise<[EvaluationData, EvaluationData]> {
  const inNode = await loadEvaluationData(files, { ...options, ...(calibration === undefined ? {} : { calibrationFile: calibration }) });
  const inMemory = evaluationDataFromSources(sourcesOf(files), { ...options, ...(calibration === undefined ? {} : { calibration: recordsOf(calibration) }) });
  return [inMemory, inNode];
}

/** The errors of both readings, which must be the same. */
async function sameError(files: string[], calibration?: string, options: LoadOptions = {}): Promise<string> {
  const inNode = await inputError(() => loadEvaluationData(files, { ...options, ...(calibration === undefined ? {} : { calibrationFile: calibration }) }));
  const inMemory = await inputError(() =>
    evaluationDataFromSources(sourcesOf(files), { ...options, ...(calibration === undefined ? {} : { calibration: recordsOf(calibration) }) }),
  );
  expect(inMemory.message).toBe(inNode.message);
  expect(inMemory.location).toEqual(inNode.location);
  return inMemory.message;
}

describe("evaluationDataFromSources reads named files as loadEvaluationData does", () => {
  it("per-policy and by-content files with a calibration file: identical data", async () => {
    const files = ["alpha_responses.jsonl", "beta.jsonl", "fresh_draws/delta_responses.jsonl", "responses/gamma.jsonl"].map((f) => path.join(folder, f));
    const [inMemory, inNode] = await bothWays(files, path.join(fixturesDir, "labels.jsonl"));
    expect(inMemory.policies).toEqual(["alpha", "beta", "delta", "gamma"]);
    expect(inMemory.calibration.length).toBeGreaterThan(0);
    expect(inMemory).toEqual(inNode);
  });

  it("a multi-policy file, alone and next to a per-policy file", async () => {
    const multi = path.join(fixturesDir, "multi-policy.jsonl");
    const [alone, aloneNode] = await bothWays([multi]);
    expect(alone.policies).toEqual(["m1", "m2"]);
    expect(alone).toEqual(aloneNode);
    const [mixed, mixedNode] = await bothWays([multi, path.join(folder, "responses", "gamma.jsonl")], undefined, { judgeScale: { min: 0, max: 10 } });
    expect(mixed.policies).toEqual(["gamma", "m1", "m2"]);
    expect(mixed).toEqual(mixedNode);
  });

  it("a reserved name read by its rows, a by-content file of its own policy, and drop mode", async () => {
    const dir = writeTree({
      "data.jsonl": [
        { policy: "a", prompt_id: "p1", judge_score: 0.2, oracle_label: 0.3 },
        { policy: "b", prompt_id: "p1", judge_score: 0.6 },
        { policy: "a", prompt_id: "p2", judge_score: "bad" },
        { prompt_id: "p3", judge_score: 0.4 },
        { policy: "b", prompt_id: "p2", judge_score: 0.7, oracle_label: 0.9 },
      ],
      "c.jsonl": [{ prompt_id: "p1", judge_score: 0.5, oracle_label: 0.5 }, { policy: "c", prompt_id: "p2", judge_score: 0.1 }, "{}"],
    });
    const files = [path.join(dir, "data.jsonl"), path.join(dir, "c.jsonl")];
    const [inMemory, inNode] = await bothWays(files, undefined, { onInvalid: "drop" });
    expect(inMemory.policies).toEqual(["a", "b", "c"]);
    expect(inMemory.dropped.total).toBe(3);
    expect(inMemory).toEqual(inNode);
    expect(await sameError(files)).toContain("data.jsonl:3: field 'judge_score' = \"bad\"");
  });

  it("the same errors: rows naming no policy, a policy from two files, a file also given as calibration", async () => {
    const dir = writeTree({
      "logs.jsonl": [{ prompt_id: "p1", judge_score: 0.5, base_policy_logprob: -3 }],
      "mixed.jsonl": [{ policy: "x", prompt_id: "p1", judge_score: 0.5 }],
      "x_responses.jsonl": [{ prompt_id: "p1", judge_score: 0.5 }],
      "empty_responses.jsonl": "\n\n",
    });
    const at = (name: string) => path.join(dir, name);
    expect(await sameError([at("logs.jsonl")])).toMatch(/logs\.jsonl:1: field 'policy': missing: rows must name their policy .* looks like logged data/);
    expect(await sameError([at("mixed.jsonl"), at("x_responses.jsonl")])).toContain("policy 'x' comes from two sources");
    expect(await sameError([at("empty_responses.jsonl")])).toContain("no records (the source is empty)");
    const both = await inputError(() => evaluationDataFromSources(sourcesOf([at("mixed.jsonl")]), { calibration: recordsOf(at("mixed.jsonl")) }));
    expect(both.message).toBe(`${at("mixed.jsonl")}: given both as fresh draws and as the calibration file`);
    const twice = await inputError(() => evaluationDataFromSources(sourcesOf([at("mixed.jsonl"), at("mixed.jsonl")])));
    expect(twice.message).toBe(`${at("mixed.jsonl")}: the same file is given twice`);
  });

  it("refuses malformed sources and options, naming what is wrong", async () => {
    expect((await inputError(() => evaluationDataFromSources([]))).message).toContain("no fresh-draw source given");
    const badLine = await inputError(() => evaluationDataFromSources([{ file: "f", layout: "per-policy", policy: "p", records: [{ value: {}, line: 0 }] }]));
    expect(badLine.message).toContain("invalid fresh-draw source: expected { value, line } with a 1-based line number");
    expect(badLine.location.field).toBe("0.records.0");
    // @ts-expect-error: an unknown option, on purpose.
    const typo = await inputError(() => evaluationDataFromSources(sourcesOf([path.join(fixturesDir, "multi-policy.jsonl")]), { calibrationFile: "x" }));
    expect(typo.message).toContain("invalid option");
  });
});
