/** `cje init`: a commented starter campaign (TypeScript or YAML) and a few example prompts. */
import { existsSync } from "node:fs";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { DEFAULT_CONCURRENCY, writeFileAtomic } from "@cjeval/provider-utils";

const TS_STARTER = `// A CJE evaluation campaign. \`npx cje run --dry-run\` shows what it will call and cost; \`npx cje run\` runs it,
// and a run stopped at any point continues where it left off. Results: .cje/<name>/report.html and results.json.
import { defineCampaign } from "@cjeval/runner";

export default defineCampaign({
  // Names the output folder (.cje/<name>) and the report.
  name: "my-eval",

  // One prompt per line: {"prompt_id": "q1", "prompt": "..."} (JSONL), or a CSV with the same columns.
  prompts: "prompts.jsonl",

  // Model APIs. Keys come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY), never from this file.
  // concurrency: requests in flight; requestsPerMinute: a rate cap.
  providers: {
    openai: { type: "openai", concurrency: ${DEFAULT_CONCURRENCY} },
    // anthropic: { type: "anthropic", concurrency: 4, requestsPerMinute: 50 },
    // vllm: { type: "openai", baseURL: "http://127.0.0.1:8000/v1" },
  },

  // The policies to compare: model + system prompt + sampling settings.
  policies: [
    { name: "base", provider: "openai", model: "gpt-4o-mini", system: "You are a helpful assistant.", temperature: 0.7, maxTokens: 400 },
    { name: "concise", provider: "openai", model: "gpt-4o-mini", system: "Answer in at most three sentences.", temperature: 0.7, maxTokens: 400 },
  ],

  // The judge whose scores are calibrated: a cheap model is fine, calibration corrects its bias.
  // template / templateFile: your own judge prompt with {prompt} and {response}; scale: its native range (default 0-100).
  judge: { provider: "openai", model: "gpt-4o-mini" },

  // The oracle labels a sample of the judged rows: a stronger model, or people:
  // { type: "human", file: "labels.csv" } writes the rows to label there and reads the labels back.
  oracle: { type: "llm", provider: "openai", model: "gpt-4o" },

  // How many rows get an oracle label: a share of the judged rows, or a budget (budget: 200).
  // policies: whose rows may be labelled (default: all); the policies left out can be audited (below).
  labels: { share: 0.15, seed: 1 },
  // labels: { policies: ["base"], share: 0.15, seed: 1 },

  // Transport audits (needs labels.policies): each policy left out of the labels gets probesPerPolicy
  // held-out oracle probes, a simple random sample of its responses, to check that the calibration learned
  // on the labelled policies holds for it. The report shows PASS, FAIL (flagged TRANSPORT-FAIL),
  // INCONCLUSIVE (an audit needs 20+ probes to pass) or NOT_GRADED (no deltaMax: the margin, 0-1 label scale).
  // audit: { probesPerPolicy: 50, deltaMax: 0.05 },

  // Teacher-forced log-probs for off-policy estimates (OpenAI-compatible servers such as vLLM):
  // logprobs: { provider: "vllm", logging: "base" },

  // estimators: Direct always runs (results.json); the off-policy ones (stacked-dr, dr-cpo, tmle, mrdr,
  // calibrated-ips, snips, ips) need logprobs and write results.<estimator>.json.
  // estimate: { inference: "bootstrap", bootstrap: 2000, seed: 42, estimators: ["direct", "stacked-dr"] },
  // outputs: { dir: ".cje/my-eval" },
  // A PostgreSQL store shared by \`cje worker\` processes on several machines (default: a SQLite file in outputs.dir):
  // store: { urlEnv: "CJE_STORE_URL" },
});
`;

const YAML_STARTER = `# A CJE evaluation campaign. \`npx cje run cje.config.yaml --dry-run\` shows what it will call and cost;
# \`npx cje run cje.config.yaml\` runs it, and a run stopped at any point continues where it left off.
# Results: .cje/<name>/report.html and results.json.

# Names the output folder (.cje/<name>) and the report.
name: my-eval

# One prompt per line: {"prompt_id": "q1", "prompt": "..."} (JSONL), or a CSV with the same columns.
prompts: prompts.jsonl

# Model APIs. Keys come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY), never from this file.
providers:
  openai: { type: openai, concurrency: ${DEFAULT_CONCURRENCY} }
  # anthropic: { type: anthropic, concurrency: 4, requestsPerMinute: 50 }
  # vllm: { type: openai, baseURL: "http://127.0.0.1:8000/v1" }

# The policies to compare: model + system prompt + sampling settings.
policies:
  - { name: base, provider: openai, model: gpt-4o-mini, system: "You are a helpful assistant.", temperature: 0.7, maxTokens: 400 }
  - { name: concise, provider: openai, model: gpt-4o-mini, system: "Answer in at most three sentences.", temperature: 0.7, maxTokens: 400 }

# The judge whose scores are calibrated (template / templateFile / scale to use your own judge prompt).
judge: { provider: openai, model: gpt-4o-mini }

# The oracle labels a sample of the judged rows: a stronger model, or people ({ type: human, file: labels.csv }).
oracle: { type: llm, provider: openai, model: gpt-4o }

# How many rows get an oracle label: a share of the judged rows, or a budget (budget: 200).
# policies: whose rows may be labelled (default: all); the policies left out can be audited (below).
labels: { share: 0.15, seed: 1 }
# labels: { policies: [base], share: 0.15, seed: 1 }

# Transport audits (needs labels.policies): each policy left out of the labels gets probesPerPolicy held-out
# oracle probes (a simple random sample of its responses) to check that the calibration holds for it:
# PASS, FAIL (flagged TRANSPORT-FAIL), INCONCLUSIVE (20+ probes to pass), NOT_GRADED (no deltaMax, 0-1 scale).
# audit: { probesPerPolicy: 50, deltaMax: 0.05 }

# Teacher-forced log-probs for off-policy estimates (OpenAI-compatible servers such as vLLM):
# logprobs: { provider: vllm, logging: base }

# estimators: Direct always runs (results.json); off-policy ones (stacked-dr, dr-cpo, tmle, mrdr,
# calibrated-ips, snips, ips) need logprobs and write results.<estimator>.json.
# estimate: { inference: bootstrap, bootstrap: 2000, seed: 42, estimators: [direct, stacked-dr] }
# outputs: { dir: .cje/my-eval }
# A PostgreSQL store shared by \`cje worker\` processes on several machines (default: a SQLite file in outputs.dir):
# store: { urlEnv: CJE_STORE_URL }
`;

const PROMPTS = [
  { prompt_id: "q1", prompt: "Explain what a hash map is to a new programmer." },
  { prompt_id: "q2", prompt: "What are the trade-offs between SQL and NoSQL databases?" },
  { prompt_id: "q3", prompt: "Write a haiku about continuous integration." },
];

/** Files written by {@link writeStarterCampaign}. */
export interface StarterFiles {
  readonly config: string;
  /** The example prompts, or `null` when `prompts.jsonl` already existed. */
  readonly prompts: string | null;
}

/**
 * Writes `cje.config.ts` (or `cje.config.yaml`) and, when absent, an example `prompts.jsonl` into `dir`.
 * An existing campaign file is kept unless `force` is set.
 */
export async function writeStarterCampaign(dir: string, options: { format?: "ts" | "yaml"; force?: boolean } = {}): Promise<StarterFiles> {
  const format = options.format ?? "ts";
  const config = path.join(dir, format === "ts" ? "cje.config.ts" : "cje.config.yaml");
  if (existsSync(config) && options.force !== true) throw new CjeInputError("already exists (pass --force to overwrite it)", { file: config });
  await writeFileAtomic(config, format === "ts" ? TS_STARTER : YAML_STARTER);
  const prompts = path.join(dir, "prompts.jsonl");
  if (existsSync(prompts)) return { config, prompts: null };
  await writeFileAtomic(prompts, `${PROMPTS.map((p) => JSON.stringify(p)).join("\n")}\n`);
  return { config, prompts };
}
