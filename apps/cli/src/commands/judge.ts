import { isProviderError, type JudgeResult } from "@cjeval/core";
import type { Command } from "commander";
import { parseScale } from "./options.js";
import { checkOutputs } from "./out-path.js";
import {
  addProviderOptions,
  type AiSdkFlags,
  finish,
  type InputRow,
  judgeSettingsFromFlags,
  processRows,
  type ProviderFlags,
  providerFromFlags,
  readInputRows,
  type RubricFlags,
  summaryLine,
} from "./provider-run.js";

type JudgeFlags = ProviderFlags & AiSdkFlags & RubricFlags;

/** The fields `cje judge` adds to a row. */
function judgeFields(result: JudgeResult): Record<string, unknown> {
  return {
    judge_score: result.score,
    judge_score_native: result.nativeScore,
    judge_raw: result.raw,
    ...(result.distribution === undefined ? {} : { judge_score_expected: result.distribution.expected, judge_score_mass: result.distribution.coveredMass }),
  };
}

/**
 * Registers `cje judge`: scores each row's response with an LLM judge — OpenAI, Anthropic, or any AI SDK model
 * (`--provider ai-sdk --module @ai-sdk/google --factory createGoogleGenerativeAI`). Adds `judge_score` (0–1),
 * `judge_score_native` (rubric scale) and `judge_raw`, plus `judge_score_expected` and `judge_score_mass`
 * when the provider returns score-token probabilities.
 */
export function registerJudgeCommand(program: Command): void {
  const command = program.command("judge").description("Score each row's response with an LLM judge (rubric 0-100 by default).");
  addProviderOptions(command, ["openai", "anthropic", "ai-sdk"])
    .option("--template <file>", "rubric template file with {prompt} and {response} slots")
    .option("--scale <LO,HI>", "native scale of a custom rubric (default 0,100)", parseScale)
    .option("--json", "ask for structured output {reasoning, score} instead of a bare number")
    .action(async (flags: JudgeFlags) => {
      await checkOutputs(flags.out);
      const rows = await readInputRows(flags.in);
      const settings = await judgeSettingsFromFlags(flags);
      const provider = await providerFromFlags(flags);
      const judge = provider.judge(flags.model, settings);
      const outcome = await processRows(
        rows,
        flags.out,
        flags.concurrency,
        async (row: InputRow) => judgeFields(await judge.judge({ prompt: row.prompt, response: row.response })),
        (_row, error) => (isProviderError(error) && error.raw !== undefined ? { judge_raw: error.raw } : {}),
      );
      finish(command, summaryLine("judged", outcome, provider.usage.totals(), flags.out), outcome);
    });
}
