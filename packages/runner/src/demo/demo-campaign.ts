/**
 * The built-in demo: a simulated world with known truth run as a real campaign — simulated providers,
 * the SQLite store, the label sample, the transport audits, the estimate and the HTML report — offline,
 * in a few seconds.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkLimit, seedSchema, simulatedPromptsSchema, simulateWorld, type SyntheticWorld, type WorldPolicy } from "@cjeval/core/advanced";
import { resolveCampaign, type ResolvedCampaign } from "../config/load.js";
import type { CampaignInput } from "../config/schema.js";
import type { AuditSettings } from "../config/trust-settings.js";
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
/**
 * Transport audits of the demo: every policy but base gets this many of its answers labelled by the
 * oracle and held out from the calibration, and PASSes when the interval on their mean residual lies within
 * ±`deltaMax`. With 100 probes an honest policy's simultaneous interval is about ±0.05 around a residual
 * near 0, inside the margin (a ±0.05 margin would need about twice the probes, more than base's 150
 * calibration labels per policy), while the flatterer's residual, about −0.23 (its answers are worse than
 * the judge says), lies far below it: FAIL.
 */
export const DEMO_AUDIT: AuditSettings = { probesPerPolicy: 100, deltaMax: 0.1 };
/** Default world seed of the demo. */
export const DEMO_SEED = 7;
/** Default prompts per policy in the demo. */
export const DEMO_PROMPTS = 1000;

/**
 * The demo world: `simulateWorld` over {@link DEMO_POLICIES}, with base's oracle labels on the world's
 * simple random sample of {@link DEMO_ORACLE_SHARE} of its answers, and an oracle label on every answer
 * of the other (audited) policies, so the simulated oracle can grade whichever of them the runner draws
 * as transport probes. Those labels draw nothing from the world's random stream: the answers, judge
 * scores, base's sample and so the estimates are those of the world without them.
 */
export function demoWorld(seed: number, prompts: number): SyntheticWorld {
  const audited = DEMO_POLICIES.slice(1).map((p) => p.name);
  return simulateWorld({ policies: DEMO_POLICIES, prompts, oracleShare: DEMO_ORACLE_SHARE, fullyLabelledPolicies: audited, seed });
}

/**
 * The label design of the demo: the simple random sample of base's answers the world drew when it was
 * simulated (the candidates its oracle holds labels for: the campaign offers base's rows only, so the
 * audited policies' labels stay for the probes), each with inclusion probability m / N.
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
  // The same caps as `cje demo --prompts/--seed`, for code users too.
  checkLimit(simulatedPromptsSchema, "prompts", prompts);
  checkLimit(seedSchema, "seed", seed);
  const world = demoWorld(seed, prompts);
  const design = worldSample(world);
  const outDir = options.outDir ?? (await mkdtemp(path.join(tmpdir(), "cje-demo-")));
  const input: CampaignInput = {
    name: "demo",
    prompts: { items: Array.from({ length: prompts }, (_, i) => ({ id: `p${i}`, text: `Synthetic prompt ${i}` })) },
    providers: { simulated: { type: "custom", provider: simulatedProvider(world), concurrency: 32 } },
    policies: DEMO_POLICIES.map((p) => ({ name: p.name, provider: "simulated", model: p.name })),
    judge: { provider: "simulated", model: SIMULATED_JUDGE },
    oracle: { type: "llm", provider: "simulated", model: SIMULATED_ORACLE },
    labels: { policies: [DEMO_POLICIES[0].name], share: DEMO_ORACLE_SHARE, design },
    audit: DEMO_AUDIT,
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
