import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AnalysisResult, AnalysisResultSchema, analyze } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { openCampaignStore, openSqliteStore } from "@cjeval/runner";
import { beforeAll, describe, expect, it } from "vitest";
import { RESULT_ONLY_NOTE } from "../src/file-runs.js";
import { ViewBundleSchema, type ViewRun, ViewRunSchema } from "../src/index.js";
import { loadViewBundle, openViewSources } from "../src/node.js";
import { arenaDraws, DEMO_TEST_PROMPTS, demoProject } from "./helpers/fixtures.js";

const tempDir = () => mkdtemp(path.join(tmpdir(), "cje-view-sources-"));

describe("fresh draws and result files", () => {
  let arena: AnalysisResult;
  beforeAll(async () => {
    arena = analyze(await loadEvaluationData([arenaDraws]));
  });

  it("analyses a fresh-draw folder (the Arena sample) as cje analyze does, with its rows and calibration", async () => {
    const bundle = await loadViewBundle([arenaDraws]);
    expect(ViewBundleSchema.safeParse(bundle).success).toBe(true);
    const [run] = bundle.runs;
    expect(run).toMatchObject({ id: "arena_sample-fresh_draws", label: "arena_sample/fresh_draws", kind: "fresh_draws", source: arenaDraws, campaign: null });
    expect(run.result?.policies.map((p) => [p.policy, p.estimate])).toEqual(arena.policies.map((p) => [p.policy, p.estimate]));
    expect(run.rows?.policies).toEqual(["base", "clone", "parallel_universe_prompt", "unhelpful"]);
    expect(run.rows?.judge.length).toBe(4000);
    // Base's labels calibrate the judge; every labelled row has a residual.
    expect(run.calibration?.labelled.score.length).toBe(arena.diagnostics.calibration?.n_oracle);
    expect(run.rows?.residual.filter((r) => r !== null).length).toBe(run.calibration?.labelled.score.length);
    expect(run.rows?.prompts.text.every((t) => typeof t === "string")).toBe(true);
  });

  it("shows a result JSON file's analysis, and says why it has no rows or calibration", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "result.json");
    await writeFile(file, JSON.stringify(arena));
    const [run] = (await loadViewBundle([file])).runs;
    expect(run).toMatchObject({ kind: "result", label: "result.json", source: file, rows: null, calibration: null, notes: [RESULT_ONLY_NOTE] });
    expect(run.result).toEqual(AnalysisResultSchema.parse(arena));
  });

  it("names the file, the field and the value when a JSON file is not a result", async () => {
    const dir = await tempDir();
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, '{"policies": [');
    await expect(loadViewBundle([broken])).rejects.toThrow(/broken\.json: not valid JSON/);
    const other = path.join(dir, "other.json");
    await writeFile(other, JSON.stringify({ ...arena, policies: [{ ...arena.policies[0], estimate: "high" }] }));
    await expect(loadViewBundle([other])).rejects.toThrow(/other\.json: field 'policies\.0\.estimate' = "high": not a CJE analysis result/);
  });

  it("refuses what it cannot show, naming the path and what it accepts", async () => {
    const dir = await tempDir();
    await expect(loadViewBundle([path.join(dir, "missing")])).rejects.toThrow(/missing: no such file or folder/);
    await writeFile(path.join(dir, "notes.txt"), "hello");
    await expect(loadViewBundle([path.join(dir, "notes.txt")])).rejects.toThrow(
      /notes\.txt: cje view does not know this kind of file: expected a campaign folder/,
    );
    await mkdir(path.join(dir, "empty"));
    await expect(loadViewBundle([path.join(dir, "empty")])).rejects.toThrow(/empty: nothing to show in this folder: expected a campaign folder/);
    await expect(loadViewBundle([arenaDraws, `${arenaDraws}/`])).rejects.toThrow(/shown twice/);
  });

  it("says how to create a campaign when there is none to show by default", async () => {
    const dir = await tempDir();
    await expect(loadViewBundle([], { cwd: dir })).rejects.toThrow(
      /no campaign here to show .*cje demo --out-dir \.cje\/demo.*cje init.*cje run.*or name what to show/,
    );
  });
});

describe("a campaign", () => {
  let project: { cwd: string; campaignDir: string };
  let run: ViewRun;
  beforeAll(async () => {
    project = await demoProject();
    const bundle = await loadViewBundle([], { cwd: project.cwd });
    expect(bundle.runs.map((r) => r.id)).toEqual(["demo"]);
    run = ViewRunSchema.parse(bundle.runs[0]);
  });

  it("is found under .cje/ by default and shows the analysis stored in it", async () => {
    expect(run).toMatchObject({ id: "demo", label: "demo", kind: "campaign", source: path.join(".cje", "demo"), notes: [] });
    const written = AnalysisResultSchema.parse(JSON.parse(await readFile(path.join(project.campaignDir, "results.json"), "utf8")));
    expect(run.result).toEqual(written);
  });

  it("rebuilds the rows and the calibration from the stored judged draws and the design's labels", async () => {
    // The same rows as the fresh draws the estimate stage wrote from the store.
    const draws = await loadEvaluationData([path.join(project.campaignDir, "fresh_draws")]);
    expect(run.rows?.policies).toEqual(draws.policies);
    expect(run.rows?.judge.length).toBe(4 * DEMO_TEST_PROMPTS);
    const key = (policy: string, prompt: string, judge: number, oracle: number | null) => `${policy}|${prompt}|${judge.toFixed(9)}|${oracle}`;
    const rows = run.rows!;
    const shown = rows.judge.map((j, i) => key(rows.policies[rows.policy[i]], rows.prompts.id[rows.prompt[i]], j, rows.oracle[i])).sort();
    expect(shown).toEqual(draws.draws.map((d) => key(d.policy, d.promptId, d.judgeScore, d.oracleLabel)).sort());
    expect(rows.response.every((r) => typeof r === "string")).toBe(true);
    // The demo's prompts are given inline, so the store records their texts.
    expect(rows.prompts.text.every((t, i) => t === `Synthetic prompt ${rows.prompts.id[i].slice(1)}`)).toBe(true);
    expect(run.calibration?.labelled.score.length).toBe(run.result?.diagnostics.calibration?.n_oracle);
    expect(run.calibration?.labelled.policy.every((p) => p === "base")).toBe(true);
    expect(run.calibration?.density.all.reduce((a, b) => a + b, 0)).toBe(4 * DEMO_TEST_PROMPTS);
  });

  it("carries the campaign's progress per stage from its store", () => {
    const stages = run.campaign?.stages ?? [];
    expect(run.campaign).toMatchObject({ name: "demo", running: false, cost_usd: 0 });
    expect(stages.map((s) => s.stage)).toEqual(["generate", "judge", "sample", "label", "estimate"]);
    expect(stages.find((s) => s.stage === "judge")).toMatchObject({ done: 4 * DEMO_TEST_PROMPTS, failed: 0, pending: 0 });
  });

  it("is found by its folder, its store or a folder of campaign folders, under the path given", async () => {
    const byFolder = await loadViewBundle([project.campaignDir]);
    const byStore = await loadViewBundle([path.join(project.campaignDir, "campaign.sqlite")]);
    const byParent = await loadViewBundle([path.join(project.cwd, ".cje")]);
    for (const bundle of [byFolder, byStore, byParent]) expect(bundle.runs.map((r) => [r.label, r.kind])).toEqual([["demo", "campaign"]]);
    expect(byStore.runs[0].source).toBe(path.join(project.campaignDir, "campaign.sqlite"));
    expect(byParent.runs[0].source).toBe(path.join(project.cwd, ".cje", "demo"));
  });

  it("never shows a PostgreSQL store's password: the run names the campaign file, errors the store without it", async () => {
    const dir = await tempDir();
    const url = "postgres://cje:hunter2-secret@127.0.0.1:1/cje";
    const campaign = {
      name: "remote",
      store: { url },
      prompts: { items: [{ id: "q1", text: "hello" }] },
      providers: { local: { type: "openai", baseURL: "http://127.0.0.1:1/v1" } },
      policies: [{ name: "a", provider: "local", model: "m" }],
      judge: { provider: "local", model: "j" },
    };
    await writeFile(path.join(dir, "cje.config.json"), JSON.stringify(campaign));
    // The runner opens SQLite stores only: its error names the store without the password.
    const refused = await openViewSources([dir]).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(refused?.message).toMatch(/PostgreSQL store is opened by @cjeval\/postgres/);
    expect(refused?.message).not.toMatch(/hunter2/);
    // A store URL given as a path: refused, without its password.
    await expect(loadViewBundle([url])).rejects.toThrow(/^postgres:\/\/cje:\*\*\*@127\.0\.0\.1:1\/cje: a PostgreSQL store is shown through its campaign/);
    // With an opener for it (the CLI passes @cjeval/postgres'), here one answering with the demo's store.
    const opened: string[] = [];
    const bundle = await loadViewBundle([dir], {
      openStore: (location, options) => {
        opened.push(location);
        return openCampaignStore(path.join(project.campaignDir, "campaign.sqlite"), options);
      },
    });
    expect(opened).toEqual([url]);
    expect(bundle.runs.map((r) => [r.label, r.kind, r.source])).toEqual([["remote", "campaign", dir]]);
    expect(JSON.stringify(bundle)).not.toMatch(/hunter2/);
  });

  it("shows a campaign before its estimate stage: the judged rows so far, no analysis yet, and says so", async () => {
    const dir = path.join(await tempDir(), "early");
    const store = openSqliteStore(path.join(dir, "campaign.sqlite"));
    try {
      for (const policy of ["a", "b"]) {
        for (let i = 0; i < 3; i++) {
          const unit = (stage: "generate" | "judge") => ({ key: `${stage}-${policy}-${i}`, stage, policy, promptId: `q${i}` });
          await store.registerUnits([unit("generate"), unit("judge")]);
          await store.beginAttempt(`generate-${policy}-${i}`);
          await store.completeAttempt(`generate-${policy}-${i}`, { value: { text: `answer ${policy}${i}` } });
          if (policy === "b" && i === 2) continue; // not judged yet
          await store.beginAttempt(`judge-${policy}-${i}`);
          await store.completeAttempt(`judge-${policy}-${i}`, { value: { score: 0.25 * i, native: 25 * i, raw: String(25 * i) } });
        }
      }
    } finally {
      await store.close();
    }
    const [early] = (await loadViewBundle([dir])).runs;
    expect(ViewRunSchema.parse(early)).toMatchObject({ kind: "campaign", label: "early", result: null, calibration: null });
    expect(early.notes).toEqual([expect.stringMatching(/no analysis stored yet/), "no oracle labels yet"]);
    expect(early.rows?.judge).toEqual([0, 0.25, 0.5, 0, 0.25]);
    expect(early.rows?.response).toEqual(["answer a0", "answer a1", "answer a2", "answer b0", "answer b1"]);
    expect(early.campaign?.stages).toEqual([
      { stage: "generate", done: 6, failed: 0, pending: 0, per_second: expect.any(Number), cost_usd: 0 },
      { stage: "judge", done: 5, failed: 0, pending: 1, per_second: expect.any(Number), cost_usd: 0 },
    ]);
  });

  it("shows the latest result of a row stored more than once, and says how many were replaced", async () => {
    const dir = path.join(await tempDir(), "changed");
    const store = openSqliteStore(path.join(dir, "campaign.sqlite"));
    try {
      const results: [string, "generate" | "judge", unknown][] = [
        ["generate-old", "generate", { text: "old answer" }],
        ["judge-old", "judge", { score: 0.25, native: 25, raw: "25" }],
        ["generate-new", "generate", { text: "new answer" }],
        ["judge-new", "judge", { score: 0.75, native: 75, raw: "75" }],
      ];
      for (const [key, stage, value] of results) {
        await store.registerUnits([{ key, stage, policy: "a", promptId: "q1" }]);
        await store.beginAttempt(key);
        await store.completeAttempt(key, { value });
      }
    } finally {
      await store.close();
    }
    const [changed] = (await loadViewBundle([dir])).runs;
    expect(changed.notes).toContain(
      "2 stored generations, verdicts or labels were replaced by later ones of the same responses (the campaign changed between runs): the rows show the latest",
    );
    expect([changed.rows?.response, changed.rows?.judge]).toEqual([["new answer"], [0.75]]);
  });

  it("says so when the stored analysis was made on other labels than the store holds now", async () => {
    const dir = path.join(await tempDir(), "relabelled");
    await mkdir(dir);
    await copyFile(path.join(project.campaignDir, "campaign.sqlite"), path.join(dir, "campaign.sqlite"));
    const store = openSqliteStore(path.join(dir, "campaign.sqlite"));
    try {
      // A later run drew a smaller label sample (two of the rows labelled before) and stopped before its estimate.
      const sample = (await store.results("sample")).map((r) => r.value as { selected: unknown[]; warnings?: string[] }).find((v) => v.warnings);
      await store.registerUnits([{ key: "view-test-sample", stage: "sample", policy: null, promptId: null }]);
      await store.beginAttempt("view-test-sample");
      await store.completeAttempt("view-test-sample", { value: { ...sample, selected: sample?.selected.slice(0, 2) } });
    } finally {
      await store.close();
    }
    const [relabelled] = (await loadViewBundle([dir])).runs;
    expect(relabelled.notes).toContain(
      "the stored analysis was made on other oracle labels than the store holds now (the campaign changed after its estimate stage): the calibration and rows show the labels stored now",
    );
    expect(relabelled.rows?.oracle.filter((o) => o !== null)).toHaveLength(2);
    expect(relabelled.result).toEqual(run.result);
  });

  it("names the store and the unit when a stored value is not what the runner writes", async () => {
    const dir = path.join(await tempDir(), "odd");
    const store = openSqliteStore(path.join(dir, "campaign.sqlite"));
    try {
      await store.registerUnits([{ key: "judge-odd", stage: "judge", policy: "a", promptId: "q1" }]);
      await store.beginAttempt("judge-odd");
      await store.completeAttempt("judge-odd", { value: { verdict: "good" } });
    } finally {
      await store.close();
    }
    await expect(loadViewBundle([dir])).rejects.toThrow(
      /odd\/campaign\.sqlite: stored judge result of unit judge-odd does not fit its stage's schema at score: /,
    );
  });
});
