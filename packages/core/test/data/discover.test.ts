import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverDrawFiles } from "../../src/data/discover.js";
import { inputError, removeTrees, writeTree } from "./support.js";

afterAll(removeTrees);

describe("discoverDrawFiles", () => {
  it("lists folder files by policy and classifies explicit files by name", async () => {
    const dir = writeTree({
      "f/b.jsonl": "{}\n",
      "f/a_responses.jsonl": "{}\n",
      "f/responses/c_responses.jsonl": "{}\n",
      "f/fresh_draws/d.jsonl": "{}\n",
      "f/other/e.jsonl": "{}\n",
      "f/notes.json": "{}\n",
      "x_responses.jsonl": "{}\n",
      "mixed.jsonl": "{}\n",
      "dataset.jsonl": "{}\n",
      "cal.jsonl": "{}\n",
    });
    const at = (name: string) => path.join(dir, name);
    const found = await discoverDrawFiles([at("f"), at("x_responses.jsonl"), at("mixed.jsonl"), at("dataset.jsonl")], [at("f/b.jsonl")]);
    expect(found.sources).toEqual([
      { file: at("f/a_responses.jsonl"), layout: "per-policy", policy: "a" },
      { file: at("f/responses/c_responses.jsonl"), layout: "per-policy", policy: "c" },
      { file: at("f/fresh_draws/d.jsonl"), layout: "per-policy", policy: "d" },
      { file: at("x_responses.jsonl"), layout: "per-policy", policy: "x" },
      { file: at("mixed.jsonl"), layout: "by-content", namedPolicy: "mixed" },
      { file: at("dataset.jsonl"), layout: "by-content", namedPolicy: null },
    ]);
    expect(found.warnings).toEqual([]);
    const twice = await inputError(() => discoverDrawFiles([at("cal.jsonl")], [at("cal.jsonl")]));
    expect(twice.message).toBe(`${at("cal.jsonl")}: given both as fresh draws and as the calibration file`);
    expect((await inputError(() => discoverDrawFiles([]))).message).toContain("no fresh-draw input given");
    const again = await inputError(() => discoverDrawFiles([at("f"), `${dir}/f/../f/a_responses.jsonl`]));
    expect(again.message).toBe(`${`${dir}/f/../f/a_responses.jsonl`}: the same file is given twice (also as ${at("f/a_responses.jsonl")})`);
  });
});
