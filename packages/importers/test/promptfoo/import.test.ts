import { promptHashId } from "@cjeval/core/advanced";
import { canonicalJson } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import { importPromptfoo, importRuns } from "../../src/index.js";
import { fixture, inputError } from "../helpers.js";

// The promptfoo files were written by promptfoo 0.120.27 itself (fixtures/promptfoo/generate.sh).
const pf = (name: string) => fixture("promptfoo", name);
const id = (question: string, expert_rating?: number) =>
  promptHashId(canonicalJson({ vars: expert_rating === undefined ? { question } : { question, expert_rating } }));
const FRANCE = id("capital of France?", 0.9);
const SUM = id("2 + 2?", 0.7);
const PLANET = id("largest planet?", 0.2);

describe("promptfoo: the judge score is the model-graded assertion's own score", () => {
  it("eval -o results.json: llm-rubric's score, not the row average; rows without it and provider errors are skipped and counted", async () => {
    const file = pf("basic.json");
    const { rows, skipped, notes } = await importPromptfoo(file, { labelFrom: "expert" });
    // promptfoo's row score for terse/France averages llm-rubric 0.28, icontains 1, latency 1 and the expert metric 0.9 to 0.795.
    expect(rows.map((r) => [r.policy, r.prompt_id, r.judge_score, r.oracle_label])).toEqual([
      ["terse", FRANCE, 0.28, 0.9],
      ["full", FRANCE, 0.72, 0.9],
      ["full", SUM, 0.45, 0.7],
      ["terse", SUM, 0.22, 0.7],
      ["terse", PLANET, 0.05, 0.2],
      ["full", PLANET, 1, 0.2],
    ]);
    expect(rows[1]).toMatchObject({ prompt: "Answer briefly: capital of France?", response: "Paris is the capital of France.", source: { file, line: 245 } });
    expect(rows.every((r) => r.draw_idx === undefined)).toBe(true);
    expect(skipped.map((s) => s.reason).sort()).toEqual([
      "no 'llm-rubric' assertion result (the test has no such assertion)",
      "provider error: 503 Service Unavailable (simulated)",
    ]);
    expect(notes?.[0]).toMatch(/^judge score: 'llm-rubric' assertion \(not promptfoo's row score/);
  });

  it("--score-from picks an assertion type, a named metric or the row score", async () => {
    const byMetric = await importPromptfoo(pf("basic.json"), { scoreFrom: "helpfulness" });
    expect(byMetric.rows.map((r) => r.judge_score)).toEqual([0.28, 0.72, 0.45, 0.22, 0.05, 1]);
    const row = await importPromptfoo(pf("basic.json"), { scoreFrom: "row-score" });
    expect(row.rows.map((r) => r.judge_score)).toEqual([0.7949999999999999, 0.905, 0.7166666666666667, 0.64, 0.08333333333333333, 0.7333333333333334, 1]);
    expect((await importPromptfoo(pf("basic.json"), { scoreFrom: "icontains" })).rows.map((r) => r.judge_score)).toEqual([1, 1, 1, 1, 0, 1]);
  });

  it("an unknown --score-from is an error listing the choices, with the near miss", async () => {
    const error = await inputError(importPromptfoo(pf("basic.json"), { scoreFrom: "Helpfulness" }));
    expect(error.message).toBe(
      `${pf("basic.json")}: field 'scoreFrom' = "Helpfulness": no assertion type or named metric 'Helpfulness' (did you mean 'helpfulness'?); present: 'expert', 'helpfulness', 'icontains', 'latency', 'llm-rubric', 'row-score'`,
    );
  });

  it("a file without a model-graded assertion needs --score-from and says which choices exist", async () => {
    const error = await inputError(importPromptfoo(fixture("importers", "promptfoo-outputs.json")));
    expect(error.message).toMatch(
      /no model-graded assertion \(llm-rubric, g-eval, .*choose the judge score with --score-from: assertion types none; named metrics none; or 'row-score'/,
    );
  });
});

describe("promptfoo: every output and export shape", () => {
  it("-o results.jsonl, -o results.yaml and `promptfoo export eval` give the same rows as -o results.json", async () => {
    const key = (rows: { policy: string; prompt_id: string; judge_score: number }[]) => rows.map((r) => `${r.policy}|${r.prompt_id}|${r.judge_score}`).sort();
    const json = key((await importPromptfoo(pf("basic.json"))).rows);
    for (const other of ["basic.jsonl", "basic.yaml", "export.json"]) expect(key((await importPromptfoo(pf(other))).rows)).toEqual(json);
    const jsonl = await importPromptfoo(pf("basic.jsonl"));
    expect(jsonl.rows[0].source).toEqual({ file: pf("basic.jsonl"), line: 1 });
    expect((await importPromptfoo(pf("basic.yaml"))).rows[0].source.line).toBe(85);
  });

  it("-o results.csv is refused: it is a display table", async () => {
    const error = await inputError(importPromptfoo(pf("basic.csv")));
    expect(error.message).toBe(
      `${pf("basic.csv")}: unsupported: promptfoo's CSV is a display table; export JSON or JSONL (promptfoo eval -o results.json, or -o results.jsonl)`,
    );
  });

  it("the older outputs shape with --score-from row-score; several prompts make provider × prompt policies", async () => {
    const { rows } = await importPromptfoo(fixture("importers", "promptfoo-outputs.json"), { scoreFrom: "row-score" });
    expect(rows.map((r) => [r.policy, r.judge_score, r.response, r.source.line])).toEqual([
      ["ollama:llama3 × greet", 0.9, "Hello!", 4],
      ["ollama:llama3 × part", 0.4, "Goodbye!", 5],
    ]);
  });

  it("names file and line of a malformed file", async () => {
    const missing = await inputError(importPromptfoo(fixture("importers", "promptfoo-no-provider.json"), { scoreFrom: "row-score" }));
    expect(missing.location).toMatchObject({ file: fixture("importers", "promptfoo-no-provider.json"), line: 6, field: "provider.id" });
    const syntax = await inputError(importPromptfoo(fixture("importers", "promptfoo-syntax.json")));
    expect(syntax.location).toMatchObject({ file: fixture("importers", "promptfoo-syntax.json"), line: 4 });
    expect(syntax.message).toMatch(/invalid JSON: expected a property name/);
  });
});

describe("promptfoo: routine runs import instead of aborting", () => {
  it("--repeat 2: the repeats are draws of one prompt", async () => {
    const { rows } = await importPromptfoo(pf("repeat.json"));
    expect(rows.map((r) => [r.policy, r.prompt_id, r.draw_idx, r.judge_score])).toEqual([
      ["full", FRANCE, 0, 0.72],
      ["full", FRANCE, 1, 0.72],
      ["full", SUM, 0, 0.45],
      ["full", SUM, 1, 0.45],
      ["full", PLANET, 0, 1],
      ["full", PLANET, 1, 1],
    ]);
  });

  it("two prompt templates are two policies on the same prompts", async () => {
    const { rows, notes } = await importPromptfoo(pf("multi-prompt.json"));
    expect([...new Set(rows.map((r) => r.policy))]).toEqual(["full × brief", "full × explain"]);
    expect(rows.filter((r) => r.policy === "full × explain").map((r) => r.prompt_id)).toEqual([FRANCE, SUM, PLANET]);
    expect(notes).toContain("several prompts ('brief', 'explain'): each provider × prompt is a policy");
  });

  it("two providers sharing an id are told apart by their labels (by default) or numbered with --policy-from id", async () => {
    const { rows } = await importPromptfoo(pf("same-id.json"));
    expect([...new Set(rows.map((r) => r.policy))].sort()).toEqual(["full", "terse"]);
    const byId = await importPromptfoo(pf("same-id.json"), { policyFrom: "id" });
    expect([...new Set(byId.rows.map((r) => r.policy))].sort()).toEqual(["file://../providers/answerer.mjs #1", "file://../providers/answerer.mjs #2"]);
    expect(byId.notes?.some((n) => n.startsWith("2 providers are all named 'file://../providers/answerer.mjs' (same id, no label)"))).toBe(true);
  });

  it("red-team: the same attack under two strategies is two draws, or two policies with --strategy-as policy", async () => {
    const draws = await importPromptfoo(pf("redteam.json"));
    expect(draws.rows.map((r) => [r.policy, r.draw_idx])).toEqual([
      ["full", 0],
      ["full", 1],
      ["full", 0],
      ["full", 1],
    ]);
    const policies = await importPromptfoo(pf("redteam.json"), { strategyAs: "policy" });
    expect(policies.rows.map((r) => r.policy)).toEqual(["full × basic", "full × jailbreak", "full × basic", "full × jailbreak"]);
    expect(policies.rows.every((r) => r.draw_idx === undefined)).toBe(true);
  });

  it("labels from a vars field; an import that yields nothing is an error saying why", async () => {
    const { rows } = await importPromptfoo(pf("basic.json"), { labelFrom: "vars.expert_rating" });
    expect(rows.map((r) => r.oracle_label)).toEqual([0.9, 0.9, 0.7, 0.7, 0.2, 0.2]);
    const nothing = await inputError(importRuns({ format: "promptfoo", files: [pf("basic.json")], scoreFrom: "vars.judge" }));
    expect(nothing.message).toBe(`${pf("basic.json")}: nothing imported: 1 × provider error: 503 Service Unavailable (simulated); 7 × no 'vars.judge' value`);
  });
});
