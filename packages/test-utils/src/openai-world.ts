/**
 * A deterministic OpenAI-compatible server for campaigns with every stage: chat completions for generation
 * (`gen-<policy>`), the judge (`judge-x`) and the oracle (`oracle-x`), and legacy completions with echoed
 * prompt log-probs (`lp-<policy>`) for teacher forcing. The oracle agrees with the judge (up to a little
 * noise) except on policy `drift`, whose answers it rates 30 points lower than their judge score says: the
 * calibration learned on other policies does not transport to it. {@link trustCampaign} builds a campaign on it.
 */
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type LoopbackRequest, type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server.js";
import { chatCompletion, echoCompletion } from "./openai-wire.js";

/** A request as the server saw it. */
export interface LoopbackCall {
  readonly kind: "generate" | "judge" | "oracle" | "logprobs";
  readonly model: string;
  /** Policy of the answer (generation: of the model). */
  readonly policy: string;
  readonly promptId: string;
}

/** The server and its request log. */
export interface OpenAiWorld {
  readonly server: LoopbackServer;
  readonly calls: LoopbackCall[];
  /** The `baseURL` of a provider using it. */
  readonly baseURL: string;
  close(): Promise<void>;
}

/** The policy the oracle rates lower than its judge scores. */
export const DRIFTING_POLICY = "drift";

const hashOf = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0);

/** Judge score (0–100) of an answer: 40…80 in steps of 5. */
export function judgeScoreOf(answer: string): number {
  return 40 + (hashOf(answer) % 9) * 5;
}

/** Oracle label (0–100) of an answer of `policy`. */
export function oracleLabelOf(answer: string, policy: string): number {
  const noise = ((hashOf(`oracle ${answer}`) % 5) - 2) * 2;
  return Math.max(0, Math.min(100, judgeScoreOf(answer) + 5 + noise - (policy === DRIFTING_POLICY ? 30 : 0)));
}

/** The world's chat completion: `content`, 40 tokens in and 6 out. */
const chat = (content: string) => chatCompletion(content, { id: "chatcmpl", model: "m", usage: { prompt: 40, completion: 6 } });

/** The echoed prompt with token log-probs: a base value per token, shifted per scoring model (the logging model `lp-<logging>` unshifted). */
function echo(prompt: string, model: string, logging: string): unknown {
  const shift = (t: string) => (model === `lp-${logging}` ? 0 : ((hashOf(`${model}|${t}`) % 21) - 10) / 40);
  return echoCompletion(prompt, { id: "cmpl", model, topLogprobs: false, logprob: (t) => Math.min(-0.01, -((hashOf(t) % 300) / 100) - 0.1 + shift(t)) });
}

/** Starts the server; `logging` names the policy whose log-prob model is the unshifted reference. */
export async function startOpenAiWorld(options: { logging?: string } = {}): Promise<OpenAiWorld> {
  const calls: LoopbackCall[] = [];
  const logging = options.logging ?? "a";
  const answer = (req: LoopbackRequest, res: ServerResponse) => {
    const body = JSON.parse(req.body) as { model: string; prompt?: string; messages?: Array<{ content: string }> };
    const text = body.prompt ?? body.messages?.at(-1)?.content ?? "";
    const answered = /Answer by (\S+) to (q\d+)\./.exec(text);
    const question = /Question (q\d+)/.exec(text)?.[1] ?? "";
    if (body.model.startsWith("gen-")) {
      const policy = body.model.slice(4);
      calls.push({ kind: "generate", model: body.model, policy, promptId: question });
      return sendJson(res, 200, chat(`Answer by ${policy} to ${question}. It has a few more words in it.`));
    }
    const policy = answered?.[1] ?? "";
    const promptId = answered?.[2] ?? "";
    if (body.model.startsWith("lp-")) {
      calls.push({ kind: "logprobs", model: body.model, policy, promptId });
      return sendJson(res, 200, echo(body.prompt ?? "", body.model, logging));
    }
    const kind = body.model === "oracle-x" ? "oracle" : "judge";
    calls.push({ kind, model: body.model, policy, promptId });
    const value = kind === "oracle" ? oracleLabelOf(answered?.[0] ?? "", policy) : judgeScoreOf(answered?.[0] ?? "");
    return sendJson(res, 200, chat(String(value)));
  };
  const server = await startLoopbackServer(answer);
  return { server, calls, baseURL: `${server.url}/v1`, close: () => server.close() };
}

/** Prompts `q0…q<n-1>`. */
export function loopbackPrompts(n: number): Array<{ id: string; text: string }> {
  return Array.from({ length: n }, (_, i) => ({ id: `q${i}`, text: `Question q${i}: tell me something.` }));
}

/** An estimator a campaign may list (`@cjeval/runner`'s `EstimatorName`). */
export type TrustEstimator = "direct" | "ips" | "snips" | "calibrated-ips" | "dr-cpo" | "mrdr" | "tmle" | "stacked-dr";

/** The campaign {@link trustCampaign} builds: a `CampaignInput` of `@cjeval/runner` (kept structural, so this package needs no runner). */
export interface TrustCampaign {
  name: string;
  prompts: { items: Array<{ id: string; text: string }> };
  providers: Record<string, { type: "openai"; baseURL: string; concurrency: number; maxRetries: number }>;
  policies: Array<{ name: string; provider: string; model: string; maxTokens: number }>;
  judge: { provider: string; model: string; topLogprobs: number };
  logprobs: { provider: string; logging: string; models: Record<string, string> };
  oracle: { type: "llm"; provider: string; model: string; topLogprobs: number };
  labels: { policies: string[]; budget: number; seed: number };
  audit?: { probesPerPolicy: number; deltaMax: number } | undefined;
  estimate: { inference: "analytic" | "bootstrap"; estimators?: TrustEstimator[] };
  outputs: { dir: string };
}

/**
 * A campaign on the server: policies `a` (logging policy, labelled), `b` and `drift`; judge, oracle and
 * log-probs on the same server; 40 labels of `a`, 25 probes each of `b` and `drift`, δ_max 0.08; Direct,
 * stacked DR and calibrated IPS.
 */
export function trustCampaign(world: OpenAiWorld, dir: string, extra: Partial<TrustCampaign> = {}): TrustCampaign {
  return {
    name: "trust",
    prompts: { items: loopbackPrompts(60) },
    providers: { local: { type: "openai", baseURL: world.baseURL, concurrency: 8, maxRetries: 0 } },
    policies: ["a", "b", DRIFTING_POLICY].map((name) => ({ name, provider: "local", model: `gen-${name}`, maxTokens: 32 })),
    judge: { provider: "local", model: "judge-x", topLogprobs: 0 },
    logprobs: { provider: "local", logging: "a", models: { a: "lp-a", b: "lp-b", [DRIFTING_POLICY]: `lp-${DRIFTING_POLICY}` } },
    oracle: { type: "llm", provider: "local", model: "oracle-x", topLogprobs: 0 },
    labels: { policies: ["a"], budget: 40, seed: 2 },
    audit: { probesPerPolicy: 25, deltaMax: 0.08 },
    estimate: { inference: "analytic", estimators: ["direct", "stacked-dr", "calibrated-ips"] },
    outputs: { dir },
    ...extra,
  };
}
