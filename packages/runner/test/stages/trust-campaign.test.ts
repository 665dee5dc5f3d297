import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyze, analyzeOffPolicy, AnalysisResultSchema, type AnalysisResult } from "@cjeval/core";
import { loadEvaluationData, loadLoggedData, loadTransportProbes } from "@cjeval/core/node";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, resolveCampaign, runCampaign } from "../../src/index.js";
import type { ProbeValue, SampleValue } from "../../src/stages/sample.js";
import { DRIFTING_POLICY, fakeCampaign, fakeProvider, startOpenAiWorld, trustCampaign, type OpenAiWorld } from "@cjeval/test-utils";

// A campaign with every stage against a loopback OpenAI-format server: 40 labels of the logging policy a,
// transport probes of b (whose oracle agrees with the judge) and `drift` (whose oracle rates it 0.3 lower),
// log-probs of a's responses under every policy, Direct + stacked DR + calibrated IPS.

let world: OpenAiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SCALES = { judgeScale: { min: 0, max: 1 }, oracleScale: { min: 0, max: 1 } };
const readJson = async (file: string) => JSON.parse(await readFile(file, "utf8")) as AnalysisResult;

async function folder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "cje-trust-"));
}

describe("transport audits and off-policy estimators in a campaign", () => {
  it("probes the policies outside the label design, audits them held out, and runs the off-policy estimators on the stored rows", async () => {
    world = await startOpenAiWorld();
    const dir = await folder();
    const campaign = resolveCampaign(trustCampaign(world, dir), { baseDir: dir });
    const dry = await runCampaign(campaign, { dryRun: true });
    expect(dry.cost.lines.filter((l) => l.stage === "label").reduce((n, l) => n + l.calls, 0)).toBe(40 + 2 * 25);

    const run = await runCampaign(campaign, { yes: true });
    expect(run.status).toBe("complete");
    const oracleCalls = world.calls.filter((c) => c.kind === "oracle");
    expect(oracleCalls.filter((c) => c.policy === "a")).toHaveLength(40);

    // Probes: one stored simple random sample per audited policy, π = 25/60, independent across policies.
    const store = openSqliteStore(run.paths.store, { mode: "read" });
    const samples = (await store.results("sample")).map((r) => r.value as SampleValue | ProbeValue);
    await store.close();
    const probes = samples.filter((s): s is ProbeValue => "policy" in s);
    expect(probes.map((p) => [p.policy, p.eligible, p.selected.length]).sort()).toEqual([
      ["b", 60, 25],
      [DRIFTING_POLICY, 60, 25],
    ]);
    for (const probe of probes) {
      expect(probe.design).toMatch(/simple random/);
      expect(probe.selected.every((s) => s.policy === probe.policy && s.inclusion === 25 / 60)).toBe(true);
      // The oracle labelled exactly the probes, once each.
      expect(
        oracleCalls
          .filter((c) => c.policy === probe.policy)
          .map((c) => c.promptId)
          .sort(),
      ).toEqual(probe.selected.map((s) => s.promptId).sort());
    }
    const promptsOf = (policy: string) =>
      probes
        .find((p) => p.policy === policy)
        ?.selected.map((s) => s.promptId)
        .sort();
    expect(promptsOf("b")).not.toEqual(promptsOf(DRIFTING_POLICY));

    // Direct: probes are transport probes, never calibration rows.
    const direct = AnalysisResultSchema.parse(run.analysis);
    expect(direct.diagnostics.calibration?.n_oracle).toBe(40);
    expect(direct.policies.map((p) => [p.policy, p.n_oracle])).toEqual([
      ["a", 40],
      ["b", 0],
      [DRIFTING_POLICY, 0],
    ]);
    const transport = (policy: string) => direct.diagnostics.policies[policy].transport;
    expect(transport("a")).toMatchObject({ status: "NOT_CHECKED", reason_code: "probe_not_provided" });
    expect(transport("b")).toMatchObject({ status: "PASS", n_probe: 25, family_size: 2, delta_max: 0.08 });
    expect(transport(DRIFTING_POLICY)).toMatchObject({ status: "FAIL", n_probe: 25, reason_code: "unacceptable_mean_residual" });
    const drift = transport(DRIFTING_POLICY);
    expect(drift?.performed === true && drift.delta_hat).toBeLessThan(-0.25);
    expect(direct.policies.find((p) => p.policy === DRIFTING_POLICY)?.flags).toContain("TRANSPORT-FAIL");
    expect(direct.policies.find((p) => p.policy === "b")?.flags).not.toContain("TRANSPORT-FAIL");
    expect(await readJson(run.paths.json)).toEqual(run.analysis);

    // The written rows reproduce it with core's file loaders (what `cje analyze --probe` reads).
    const fresh = await loadEvaluationData([run.paths.draws], SCALES);
    const probeFiles = { b: path.join(run.paths.probes, "b_probe.jsonl"), [DRIFTING_POLICY]: path.join(run.paths.probes, `${DRIFTING_POLICY}_probe.jsonl`) };
    const reproduced = analyze(fresh, { inference: "analytic", transport: { probes: await loadTransportProbes(probeFiles, fresh), deltaMax: 0.08 } });
    expect(reproduced.policies).toEqual(direct.policies);
    expect(reproduced.diagnostics.policies).toEqual(direct.diagnostics.policies);
    const freshB = (await readFile(path.join(run.paths.draws, "b_responses.jsonl"), "utf8")).trim().split("\n");
    expect(freshB.some((line) => line.includes("oracle_label"))).toBe(false);

    // Off-policy: one result file per estimator, equal to analyzeOffPolicy on the written logged data and fresh draws.
    for (const estimator of ["stacked-dr", "calibrated-ips"]) {
      const file = path.join(dir, `results.${estimator}.json`);
      const result = AnalysisResultSchema.parse(await readJson(file));
      expect(result.estimator).toBe(estimator);
      expect(result.policies.map((p) => [p.policy, p.n])).toEqual([
        ["b", 60],
        [DRIFTING_POLICY, 60],
      ]);
      const logged = await loadLoggedData(run.paths.logged, { ...SCALES, loggingPolicy: "a", onInvalid: "drop" });
      expect(analyzeOffPolicy(logged, fresh, { estimator })).toEqual(result);
      // The label design's π reached the off-policy calibrator: a's 40 labels, each counted once.
      expect(result.diagnostics.label_design).toEqual(direct.diagnostics.label_design);
      expect(result.diagnostics.label_design).toMatchObject({ kind: "known_propensity", origin: "rows", n_labelled: 40 });
      // The log-probs the server returned are what the weights are made of (they differ per target).
      const ratios = result.policies.map((p) => result.diagnostics.policies[p.policy].off_policy?.raw_ratio_mean);
      expect(ratios.every((r) => r !== undefined && Math.abs(r - 1) > 0.05)).toBe(true);
    }

    // The report shows the audit states next to the flags, and the off-policy estimates.
    const html = await readFile(run.paths.html, "utf8");
    expect(html).toMatch(
      /<span class="audit fail">FAIL: δ̂ -0\.3\d\d \[-0\.\d{3}, -0\.\d{3}\], margin ±0\.080<\/span><\/td><td><span class="flag"[^>]*>TRANSPORT-FAIL/,
    );
    expect(html).toMatch(/<span class="audit pass">PASS: δ̂ [-+]0\.0\d\d/);
    expect(html).toContain("NOT_CHECKED (no probes)");
    expect(html).toContain("<h2>Off-policy estimates</h2>");
    expect(html).toContain("<h3>stacked-dr</h3>");
    expect(html).toContain("transport probes: drift");

    // Nothing is called again; a new estimator is the only new unit.
    const before = world.calls.length;
    const again = await runCampaign(campaign, { yes: true });
    expect(world.calls.length).toBe(before);
    expect(again.analysis).toEqual(run.analysis);
    const more = resolveCampaign(
      trustCampaign(world, dir, { estimate: { inference: "analytic", estimators: ["direct", "stacked-dr", "calibrated-ips", "tmle"] } }),
      { baseDir: dir },
    );
    const added = await runCampaign(more, { yes: true });
    expect(added.stages.find((s) => s.stage === "estimate")).toMatchObject({ total: 4, alreadyDone: 3, completed: 1 });
    expect((await readJson(path.join(dir, "results.tmle.json"))).estimator).toBe("tmle");
    expect(added.analysis).toEqual(run.analysis);
  });

  it("keeps the Direct result and the fresh draws as before for a campaign without audits or off-policy estimators", async () => {
    world = await startOpenAiWorld();
    const dir = await folder();
    const plain = trustCampaign(world, dir, { audit: undefined, estimate: { inference: "analytic" } });
    const run = await runCampaign(resolveCampaign(plain, { baseDir: dir }), { yes: true });
    expect(run.status).toBe("complete");
    expect(world.calls.filter((c) => c.kind === "oracle")).toHaveLength(40);
    expect(existsSync(path.join(dir, "probes"))).toBe(false);
    expect(existsSync(path.join(dir, "results.stacked-dr.json"))).toBe(false);
    // The logged data is written whenever log-probs are: `cje analyze --logged` can run on it.
    expect(existsSync(run.paths.logged)).toBe(true);
    const analysis = AnalysisResultSchema.parse(run.analysis);
    expect(analysis.policies.map((p) => analysis.diagnostics.policies[p.policy].transport?.status)).toEqual(["NOT_CHECKED", "NOT_CHECKED", "NOT_CHECKED"]);
    const html = await readFile(run.paths.html, "utf8");
    expect(html).not.toContain("Off-policy estimates");
  });

  it("exports the probes with the labels to a human oracle, blind, and audits once they are filled in", async () => {
    const { provider } = fakeProvider();
    const dir = await folder();
    const human = resolveCampaign(
      {
        ...fakeCampaign(provider, dir, { name: "human", labels: { policies: ["a"], budget: 20, seed: 1 } }),
        oracle: { type: "human", file: "labels.csv" },
        audit: { probesPerPolicy: 8, deltaMax: 0.2 },
      },
      { baseDir: dir },
    );
    const first = await runCampaign(human);
    expect(first.status).toBe("incomplete");
    expect(first.reason).toMatch(/28 oracle labels pending/);
    const todo = (await readFile(path.join(dir, "labels.csv"), "utf8")).trim().split("\n");
    expect(todo).toHaveLength(29);
    expect(todo.filter((line) => line.includes("model-b says"))).toHaveLength(8);
    const filled = todo.map((line, i) => (i === 0 ? line : `${line}${(i % 4) / 4 + 0.25}`));
    await writeFile(path.join(dir, "labels.csv"), `${filled.join("\n")}\n`);
    const done = await runCampaign(human);
    expect(done.status).toBe("complete");
    expect(done.analysis?.policies.map((p) => p.n_oracle)).toEqual([20, 0]);
    expect(done.analysis?.diagnostics.policies.b.transport).toMatchObject({ performed: true, n_probe: 8 });
  });
});
