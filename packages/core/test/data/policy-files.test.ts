import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverDrawFiles } from "../../src/data/discover.js";
import { drawFileLayout, fileStem, isReservedPolicy, policyFromStem, RESERVED_STEMS } from "../../src/data/policy-files.js";
import { removeTrees, writeTree } from "./support.js";
import { afterAll } from "vitest";

afterAll(removeTrees);

describe("policy-file rules", () => {
  it("fileStem is Node's path.basename(name, path.extname(name))", () => {
    const names = [
      "a.jsonl",
      "base_responses.jsonl",
      "a.b.csv",
      "a.",
      ".jsonl",
      ".a.b",
      "..",
      "..a",
      "...",
      "a..b",
      "noext",
      "x_responses",
      "dir/sub/c.ndjson",
    ];
    for (const name of names) expect(fileStem(name), name).toBe(path.posix.basename(name, path.posix.extname(name)));
  });

  it("policyFromStem strips one trailing _responses; empty and reserved stems are no policy", () => {
    expect(policyFromStem("base_responses")).toBe("base");
    expect(policyFromStem("base_responses_responses")).toBe("base_responses");
    expect(policyFromStem("clone")).toBe("clone");
    expect(policyFromStem("_responses")).toBe("");
    expect([...RESERVED_STEMS].sort()).toEqual(["calibration", "calibration_data", "data", "dataset", "human_labels", "logged_data", "logs", "oracle_labels"]);
    for (const stem of RESERVED_STEMS) expect(isReservedPolicy(stem)).toBe(true);
    expect(isReservedPolicy("")).toBe(true);
    expect(isReservedPolicy("base")).toBe(false);
    expect(isReservedPolicy("Data")).toBe(false);
  });

  it("drawFileLayout: <policy>_responses.* per policy, any other name by content, a reserved stem naming no policy", () => {
    expect(drawFileLayout("base_responses.jsonl")).toEqual({ layout: "per-policy", policy: "base" });
    expect(drawFileLayout("some/folder/a.b_responses.csv")).toEqual({ layout: "per-policy", policy: "a.b" });
    expect(drawFileLayout("clone.jsonl")).toEqual({ layout: "by-content", namedPolicy: "clone" });
    expect(drawFileLayout("arena.csv")).toEqual({ layout: "by-content", namedPolicy: "arena" });
    expect(drawFileLayout("data.jsonl")).toEqual({ layout: "by-content", namedPolicy: null });
    expect(drawFileLayout("calibration_responses.jsonl")).toEqual({ layout: "by-content", namedPolicy: null });
    expect(drawFileLayout("_responses.jsonl")).toEqual({ layout: "by-content", namedPolicy: null });
  });

  it("discoverDrawFiles lays out explicit files by the same rule and skips reserved stems in folders", async () => {
    const names = ["base_responses.jsonl", "clone.jsonl", "data.jsonl", "calibration_responses.jsonl", "x.y_responses.jsonl"];
    const dir = writeTree({ ...Object.fromEntries(names.map((n) => [n, "{}\n"])), "f/logs.jsonl": "{}\n", "f/ok.jsonl": "{}\n" });
    const found = await discoverDrawFiles(names.map((n) => path.join(dir, n)));
    expect(found.sources).toEqual(names.map((n) => ({ file: path.join(dir, n), ...drawFileLayout(n) })));
    const folder = await discoverDrawFiles([path.join(dir, "f")]);
    expect(folder.sources).toEqual([{ file: path.join(dir, "f", "ok.jsonl"), layout: "per-policy", policy: "ok" }]);
    expect(folder.warnings).toEqual([
      `skipped ${path.join(dir, "f", "logs.jsonl")}: 'logs' is a reserved name, not a policy (pass it with --calibration if it holds calibration labels)`,
    ]);
  });
});
