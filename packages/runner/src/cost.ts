/**
 * What a run is about to spend, printed before anything is sent: the calls each stage still has to make
 * (units already stored cost nothing) with token estimates (about 4 characters a token; responses not
 * generated yet are counted at the policy's token limit) and list prices.
 */
import { resolveJudgeSettings, priceFor, terminalLine, type PriceTable } from "@cjeval/provider-utils";
import { API_PROVIDER_TYPES } from "./config/schema.js";
import { providerPrices } from "./providers/factory.js";
import type { CampaignProvider } from "./providers/registry.js";
import { providerNamed } from "./providers/registry.js";
import { configuredJudge, type ConfiguredJudge } from "./providers/judges.js";
import { checkedValue, type StageContext } from "./stages/context.js";
import { generateKey, GenerateValueSchema, type GeneratedRow } from "./stages/generate.js";
import { judgeKey } from "./stages/judge.js";
import { labelKey, llmOracleFingerprint } from "./stages/label.js";
import { logprobKey, logprobPolicies, scorerFingerprint } from "./stages/logprobs.js";
import { labelBudget, probeSize } from "./stages/sample.js";
import { auditedPolicies } from "./config/trust-settings.js";
import type { CampaignSnapshot } from "./report/snapshot.js";
import type { StageName, UnitState, UsageSummary } from "./store/store.js";

/** Output tokens assumed for a response when the policy sets no token limit. */
export const DEFAULT_RESPONSE_TOKENS = 512;

/** Expected spending of one stage on one provider model. */
export interface CostLine {
  readonly stage: StageName;
  readonly provider: string;
  readonly model: string;
  /** Calls still to make. */
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD; `null` when the model has no price (or 0 for a provider that does not bill). */
  readonly costUsd: number | null;
  readonly billable: boolean;
}

/** The whole estimate. */
export interface CostEstimate {
  readonly lines: readonly CostLine[];
  /** USD over the priced lines. */
  readonly totalUsd: number;
  /** Billable calls still to make (a run with none needs no confirmation). */
  readonly billableCalls: number;
  /** `provider/model` of billable lines without a price. */
  readonly unpriced: readonly string[];
}

/** Rough token count of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** USD of `inputTokens` + `outputTokens` on `model`: 0 when the provider does not bill, `null` without a price. */
export function tokenCost(prices: PriceTable, billable: boolean, model: string, inputTokens: number, outputTokens: number): number | null {
  if (!billable) return 0;
  const price = priceFor(prices, model);
  return price === undefined ? null : (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1e6;
}

/** Stored usage with what it cost. */
export interface SpentUsage extends UsageSummary {
  /** False for providers that do not bill (simulated, local). */
  readonly billable: boolean;
  /** USD (0 when not billable), or `null` without a price. */
  readonly costUsd: number | null;
}

/**
 * What the stored usage cost, at the prices the campaign recorded in its store (its snapshot) over its
 * provider package's list prices; a provider the snapshot does not list is priced by every provider
 * package's list.
 */
export async function spentCost(usage: readonly UsageSummary[], snapshot: CampaignSnapshot | null): Promise<SpentUsage[]> {
  const tables = new Map<string, Promise<PriceTable>>();
  const pricesOf = (name: string): Promise<PriceTable> => {
    const provider = snapshot?.providers[name];
    let table = tables.get(name);
    if (table === undefined) {
      table =
        provider === undefined
          ? Promise.all(API_PROVIDER_TYPES.map((type) => providerPrices({ type }))).then((lists) => Object.assign({}, ...lists) as PriceTable)
          : providerPrices(provider);
      tables.set(name, table);
    }
    return table;
  };
  return Promise.all(
    usage.map(async (u) => {
      const billable = snapshot?.providers[u.provider]?.billable !== false;
      return { ...u, billable, costUsd: tokenCost(await pricesOf(u.provider), billable, u.model, u.inputTokens, u.outputTokens) };
    }),
  );
}

class Ledger {
  private readonly lines = new Map<
    string,
    { stage: StageName; provider: CampaignProvider; model: string; calls: number; inputTokens: number; outputTokens: number }
  >();

  add(stage: StageName, provider: CampaignProvider, model: string, inputTokens: number, outputTokens: number): void {
    const id = `${stage}\u0000${provider.name}\u0000${model}`;
    const line = this.lines.get(id) ?? { stage, provider, model, calls: 0, inputTokens: 0, outputTokens: 0 };
    line.calls++;
    line.inputTokens += inputTokens;
    line.outputTokens += outputTokens;
    this.lines.set(id, line);
  }

  async estimate(): Promise<CostEstimate> {
    const lines: CostLine[] = await Promise.all(
      [...this.lines.values()].map(async ({ provider, ...line }) => {
        const costUsd = tokenCost(await provider.prices(), provider.billable, line.model, line.inputTokens, line.outputTokens);
        return { ...line, provider: provider.name, costUsd, billable: provider.billable };
      }),
    );
    return {
      lines,
      totalUsd: lines.reduce((sum, l) => sum + (l.costUsd ?? 0), 0),
      billableCalls: lines.filter((l) => l.billable).reduce((sum, l) => sum + l.calls, 0),
      unpriced: lines.filter((l) => l.billable && l.costUsd === null).map((l) => `${l.provider}/${l.model}`),
    };
  }
}

/** Estimates the calls and cost of the units the campaign has not stored yet. */
export async function estimateCost(ctx: StageContext): Promise<CostEstimate> {
  const { config, baseDir } = ctx.campaign;
  // Units the run will not call: stored, or failed for good (unless those are retried).
  const settled = (u: UnitState) => u.status === "done" || (u.status === "failed" && u.failure?.retryable === false && !ctx.retryFailed);
  const done = async (stage: StageName) => new Set((await ctx.store.unitStates(stage)).filter(settled).map((u) => u.key));
  const ledger = new Ledger();
  const generated = new Map((await ctx.store.results("generate")).map((r) => [r.key, checkedValue(ctx.store, "generate", r, GenerateValueSchema).text]));
  const generateDone = await done("generate");
  // Every row, with its stored response or, when not generated yet, the response length it may reach.
  const rows: Array<{ row: GeneratedRow; known: boolean }> = [];
  for (const policy of config.policies) {
    const provider = providerNamed(ctx.providers, policy.provider);
    const responseTokens = policy.maxTokens ?? DEFAULT_RESPONSE_TOKENS;
    for (const prompt of ctx.prompts) {
      const key = generateKey(policy, { policy: policy.name, prompt });
      const text = generated.get(key);
      if (!generateDone.has(key)) ledger.add("generate", provider, policy.model, estimateTokens(`${policy.system ?? ""}${prompt.text}`), responseTokens);
      rows.push({ row: { policy: policy.name, prompt, response: text ?? "x".repeat(4 * responseTokens) }, known: text !== undefined });
    }
  }
  type Row = (typeof rows)[number];
  const judged = (judge: ConfiguredJudge, stage: StageName, among: readonly Row[], isDone: (row: GeneratedRow) => boolean, limit: number) => {
    const resolved = resolveJudgeSettings(judge.settings);
    let counted = 0;
    for (const { row, known } of among) {
      if (counted >= limit) return;
      if (known && isDone(row)) continue;
      ledger.add(stage, judge.provider, judge.model, estimateTokens(resolved.template + row.prompt.text + row.response), resolved.maxTokens);
      counted++;
    }
  };
  const judge = await configuredJudge(config.judge, ctx.providers, baseDir, "judge");
  const judgeDone = await done("judge");
  judged(judge, "judge", rows, (row) => judgeDone.has(judgeKey(judge.fingerprint, row)), Infinity);
  if (config.logprobs !== undefined) {
    const { logging, targets } = logprobPolicies(config);
    const provider = providerNamed(ctx.providers, config.logprobs.provider);
    const logprobDone = await done("logprobs");
    for (const target of targets) {
      const fingerprint = scorerFingerprint(config.logprobs, target);
      for (const { row, known } of rows) {
        if (row.policy !== logging || (known && logprobDone.has(logprobKey(target.name, fingerprint, row)))) continue;
        ledger.add("logprobs", provider, fingerprint.model as string, estimateTokens(`${target.system ?? ""}${row.prompt.text}${row.response}`), 0);
      }
    }
  }
  if (config.oracle?.type === "llm" && config.labels !== undefined) {
    const oracle = await configuredJudge(config.oracle, ctx.providers, baseDir, "oracle");
    const labelDone = await done("label");
    const fingerprint = llmOracleFingerprint(oracle);
    const isLabelled = (row: GeneratedRow) => labelDone.has(labelKey(fingerprint, row));
    // The label sample among the eligible policies' rows, then each audited policy's transport probes.
    const { labels, audit } = config;
    const samples = [{ policies: labels.policies ?? config.policies.map((p) => p.name), size: (n: number) => labelBudget(labels, n) }];
    if (audit !== undefined) for (const policy of auditedPolicies(config)) samples.push({ policies: [policy], size: (n) => probeSize(audit, n) });
    for (const sample of samples) {
      const candidates = rows.filter(({ row }) => sample.policies.includes(row.policy));
      const stored = candidates.filter(({ row, known }) => known && isLabelled(row)).length;
      judged(oracle, "label", candidates, isLabelled, Math.max(0, sample.size(candidates.length) - stored));
    }
  }
  return await ledger.estimate();
}

/** Formats an estimate as a small table. */
export function formatCostEstimate(estimate: CostEstimate): string {
  if (estimate.lines.length === 0) return "Nothing left to call: every unit is stored.\n";
  const header = ["stage", "provider/model", "calls", "input tok", "output tok", "cost"];
  const rows = estimate.lines.map((l) => [
    l.stage,
    terminalLine(`${l.provider}/${l.model}`),
    String(l.calls),
    String(l.inputTokens),
    String(l.outputTokens),
    !l.billable ? "free" : l.costUsd === null ? "no price" : `$${l.costUsd.toFixed(2)}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join("  ")
      .trimEnd();
  const unpriced = estimate.unpriced.length > 0 ? ` (plus ${terminalLine(estimate.unpriced.join(", "))}: no price known)` : "";
  return `${[line(header), ...rows.map(line)].join("\n")}\nEstimated cost: $${estimate.totalUsd.toFixed(2)}${unpriced}\n`;
}
