/**
 * Offline providers over a simulated world (`simulateWorld` from @cjeval/core/advanced): a generator per policy
 * that answers with the world's response, a biased judge (`judge`) that scores it as the world's judge
 * did, and an oracle (`oracle`) that grades it with the world's oracle label. They implement the core
 * provider interfaces, so the demo runs the same runner, store and report as a real campaign.
 */
import { ProviderError, requireCapability, type Judge, type Provider } from "@cjeval/core";
import type { SyntheticWorld } from "@cjeval/core/advanced";

/** Model id of the simulated judge. */
export const SIMULATED_JUDGE = "judge";
/** Model id of the simulated oracle. */
export const SIMULATED_ORACLE = "oracle";

const CAPABILITIES = { generate: true, judge: true, scoreDistribution: false, logprobs: false } as const;
const UNIT = { min: 0, max: 1 };

interface WorldRow {
  readonly response: string;
  readonly judgeScore: number;
  readonly oracleLabel: number | undefined;
}

/**
 * The world's provider (id `simulated`). Generators are named after the world's policies; a prompt or
 * response the world does not know, or an oracle label it does not hold, is a non-retryable
 * `ProviderError`.
 */
export function simulatedProvider(world: SyntheticWorld): Provider {
  const byPolicyPrompt = new Map<string, WorldRow>();
  const byPromptResponse = new Map<string, WorldRow>();
  for (const record of world.records) {
    const row: WorldRow = {
      response: record.response as string,
      judgeScore: record.judge_score as number,
      oracleLabel: record.oracle_label as number | undefined,
    };
    byPolicyPrompt.set(`${record.policy as string}\u0000${record.prompt as string}`, row);
    byPromptResponse.set(`${record.prompt as string}\u0000${row.response}`, row);
  }
  const unknown = (what: string) => new ProviderError(`the simulated world has no ${what}`, { code: "bad_request", provider: "simulated" });
  const grader = (modelId: string, read: (row: WorldRow) => number | undefined): Judge => ({
    modelId,
    async judge({ prompt, response }) {
      const row = byPromptResponse.get(`${prompt}\u0000${response}`);
      const score = row === undefined ? undefined : read(row);
      if (score === undefined) throw unknown(`${modelId} score for this response`);
      return { score, nativeScore: score, scale: UNIT, raw: String(score) };
    },
  });
  const provider: Provider = {
    id: "simulated",
    capabilities: CAPABILITIES,
    generator: (modelId) => ({
      modelId,
      async generate({ prompt }) {
        const row = byPolicyPrompt.get(`${modelId}\u0000${prompt}`);
        if (row === undefined) throw unknown(`response of policy '${modelId}' to this prompt`);
        return { text: row.response, finishReason: "stop" };
      },
    }),
    judge: (modelId) => {
      if (modelId === SIMULATED_JUDGE) return grader(modelId, (row) => row.judgeScore);
      if (modelId === SIMULATED_ORACLE) return grader(modelId, (row) => row.oracleLabel);
      throw unknown(`judge '${modelId}' (use '${SIMULATED_JUDGE}' or '${SIMULATED_ORACLE}')`);
    },
    logprobScorer: () => {
      requireCapability(provider, "logprobs");
      throw new Error("unreachable");
    },
  };
  return provider;
}
