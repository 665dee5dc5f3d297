import { CjeInputError } from "@cjeval/core";
import type { LogprobSettings, TeacherForcingMethod } from "@cjeval/openai";
import { type Command, Option } from "commander";
import { checkOutputs } from "./out-path.js";
import { addProviderOptions, finish, type InputRow, processRows, type ProviderFlags, providerFromFlags, readInputRows, summaryLine } from "./provider-run.js";

interface LogprobsFlags extends ProviderFlags {
  readonly policy?: string;
  readonly base?: boolean;
  readonly systemPrompt?: string;
  readonly chatTemplate?: string;
  readonly method?: TeacherForcingMethod;
}

/** Where the log-prob goes: `base_policy_logprob`, or `target_policy_logprobs[policy]` (other policies kept). */
function logprobFields(row: InputRow, flags: LogprobsFlags, value: number | null): Record<string, unknown> {
  if (flags.base === true) return { base_policy_logprob: value };
  const existing = row.record.target_policy_logprobs;
  const targets = existing !== null && typeof existing === "object" && !Array.isArray(existing) ? existing : {};
  return { target_policy_logprobs: { ...targets, [flags.policy as string]: value } };
}

/**
 * Registers `cje logprobs`: teacher-forced log P(response | prompt) under a policy's model on an
 * OpenAI-compatible server. Adds `target_policy_logprobs.<policy>` (or `base_policy_logprob` with
 * `--base`); a failed row gets `null` there and an `error` field.
 */
export function registerLogprobsCommand(program: Command): void {
  const command = program
    .command("logprobs")
    .description("Teacher-forced log-probabilities of each row's response under a policy (OpenAI-compatible servers: vLLM, Together, ...).");
  addProviderOptions(command, ["openai"])
    .option("--policy <name>", "target policy name: writes target_policy_logprobs.<name>")
    .option("--base", "write base_policy_logprob instead (the logging policy)")
    .option("--system-prompt <text>", "the policy's system prompt")
    .option("--chat-template <name>", "the policy model's chat template: chatml (default) | llama3 | plain | none")
    .addOption(
      new Option("--method <method>", "how to get prompt log-probs (default auto: echo, else prompt_logprobs)").choices(["auto", "echo", "prompt_logprobs"]),
    )
    .action(async (flags: LogprobsFlags) => {
      await checkOutputs(flags.out);
      if ((flags.policy === undefined) === (flags.base !== true)) {
        throw new CjeInputError("give exactly one of --policy <name> and --base", { field: "--policy", value: flags.policy ?? null });
      }
      const rows = await readInputRows(flags.in);
      const provider = await providerFromFlags(flags);
      const settings: LogprobSettings = {
        ...(flags.chatTemplate === undefined ? {} : { chatTemplate: flags.chatTemplate }),
        ...(flags.method === undefined ? {} : { method: flags.method }),
      };
      // Anthropic declares no logprobs capability: its logprobScorer throws an error naming it.
      const scorer = provider.logprobScorer(flags.model, settings);
      const system = flags.systemPrompt;
      const outcome = await processRows(
        rows,
        flags.out,
        flags.concurrency,
        async (row) => {
          const result = await scorer.score({ prompt: row.prompt, response: row.response, ...(system === undefined ? {} : { system }) });
          return logprobFields(row, flags, result.total);
        },
        (row) => logprobFields(row, flags, null),
      );
      finish(command, summaryLine("scored", outcome, provider.usage.totals(), flags.out), outcome);
    });
}
