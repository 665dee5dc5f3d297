/**
 * The built-in demo: a simulated world with known truth run as a real campaign — simulated providers,
 * the SQLite store, the label sample, the estimate and the HTML report — offline, in a few seconds.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { simulateWorld, type SyntheticWorld, type WorldPolicy } from "@cjeval/core";
import { resolveCampaign, type ResolvedCampaign } from "../config/load.js";
import type { CampaignInput } from "../config/schema.js";
import type { SampleDesign } from "../stages/sample-design.js";
import { runCampaign, type RunOptions, type RunSummary } from "../run.js";
import { SIMULATED_JUDGE, SIMULATED_ORACLE, simulatedProvider } from "./simulated-provider.js";

/**
 * The demo world: a good base policy (the one with oracle labels), two honest variants, and a
 * 'flatterer' whose poor answers the judge scores far too kindly — like the adversarial policy of
 * the Chatbot Arena sample.
 */
export const DEMO_POLICIES: readonly WorldPolicy[] = [
  { name: "base", shift: 1 },
  { name: "concise", shift: 1.3 },
  { name: "verbose", shift: 0.7 },
  { name: "flatterer", shift: -1.5, judgeBias: 0.2 },
];

/** Share of base's answers with an oracle label in the demo. */
export const DEMO_ORACLE_SHARE = 0.15;
/** Default world seed of the demo. */
export const DEMO_SEED = 7;
/** Default prompts per policy in the demo. */
export const DEMO_PROMPTS = 1000;

/**
 * The label design of the demo: the simple random sample of base's answers the world drew when it was
 * simulated (the rows its oracle holds labels for), each with inclusion probability m / N.
 */
export function worldSample(world: SyntheticWorld): SampleDesign {
  const labelled = new Set(world.records.filter((r) => r.oracle_label !== undefined).map((r) => `${r.policy as string}\u0000${r.prompt_id as string}`));
  return {
    name: "world-srs",
    select(candidates) {
      const chosen = candidates.filter((c) => labelled.has(`${c.policy}\u0000${c.promptId}`));
      return chosen.map((c) => ({ policy: c.policy, promptId: c.promptId, inclusion: chosen.length / candidates.length }));
    },
  };
}

/** Options of {@link demoCampaign} and {@link runDemo}. */
export interface DemoOptions {
  readonly seed?: number;
  readonly prompts?: number;
  /** Campaign folder (store, report, fresh draws); default: a new temporary folder. */
  readonly outDir?: string;
}

/** The demo campaign and the world's true policy values. */
export interface DemoCampaign {
  readonly campaign: ResolvedCampaign;
  readonly truth: Readonly<Record<string, number>>;
}

/** Builds the demo campaign over a freshly simulated world. */
export async function demoCampaign(options: DemoOptions = {}): Promise<DemoCampaign> {
  const seed = options.seed ?? DEMO_SEED;
  const prompts = options.prompts ?? DEMO_PROMPTS;
  const world = simulateWorld({ policies: DEMO_POLICIES, prompts, oracleShare: DEMO_ORACLE_SHARE, seed });
  const design = worldSample(world);
  const outDir = options.outDir ?? (await mkdtemp(path.join(tmpdir(), "cje-demo-")));
  const input: CampaignInput = {
    name: "demo",
    prompts: { items: Array.from({ length: prompts }, (_, i) => ({ id: `p${i}`, text: `Synthetic prompt ${i}` })) },
    providers: { simulated: { type: "custom", provider: simulatedProvider(world), concurrency: 32 } },
    policies: DEMO_POLICIES.map((p) => ({ name: p.name, provider: "simulated", model: p.name })),
    judge: { provider: "simulated", model: SIMULATED_JUDGE },
    oracle: { type: "llm", provider: "simulated", model: SIMULATED_ORACLE },
    labels: { policies: ["base"], share: DEMO_ORACLE_SHARE, design },
    truth: { ...world.truth },
    outputs: { dir: outDir },
  };
  return { campaign: resolveCampaign(input, { baseDir: outDir, source: "demo" }), truth: world.truth };
}

/** Runs the demo campaign; resolves to the run summary and the truth. */
export async function runDemo(options: DemoOptions & Pick<RunOptions, "progress"> = {}): Promise<DemoCampaign & { summary: RunSummary }> {
  const demo = await demoCampaign(options);
  const summary = await runCampaign(demo.campaign, { yes: true, ...(options.progress === undefined ? {} : { progress: options.progress }) });
  return { ...demo, summary };
}
