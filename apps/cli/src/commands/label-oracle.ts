import type { Scale } from "@cjeval/core";
import { type LabelStore, labelWithOracle, llmOracle, type OracleProgress, type OracleRunSummary } from "@cjeval/oracle";
import { terminalLine } from "@cjeval/provider-utils";
import { type Command, InvalidArgumentError } from "commander";
import { gracefulStop } from "./graceful-stop.js";
import { judgeSettingsFromFlags, type ProviderFlags, providerFromFlags, usageSummary } from "./provider-run.js";

/** An LLM oracle named on the command line as `<provider>:<model>`. */
export interface OracleSpec {
  readonly provider: ProviderFlags["provider"];
  readonly model: string;
}

/** The flags of `cje label --oracle`. */
export interface OracleLabelFlags {
  readonly oracle: OracleSpec;
  readonly rubric?: string;
  readonly scale: Scale;
  readonly step: number;
  readonly concurrency: number;
  readonly baseUrl?: string;
}

/** Parses `openai:<model>` or `anthropic:<model>` (the model id may itself contain colons). */
export function parseOracleSpec(text: string): OracleSpec {
  const colon = text.indexOf(":");
  const provider = text.slice(0, colon);
  const model = text.slice(colon + 1);
  if (colon < 0 || (provider !== "openai" && provider !== "anthropic") || model.length === 0) {
    throw new InvalidArgumentError(`expected openai:<model> or anthropic:<model>, got '${text}'`);
  }
  return { provider, model };
}

function progressLine(p: OracleProgress): string {
  const id = terminalLine(p.itemId);
  return p.label === null ? `[${p.done}/${p.pending}] ${id} failed: ${terminalLine(p.error ?? "")}\n` : `[${p.done}/${p.pending}] ${id} = ${p.label}\n`;
}

/**
 * Labels the pending items of `store` with an LLM oracle and prints a summary; exits 1 (through
 * commander) if any item failed. A custom rubric answers on the file's scale; the default rubric
 * answers 0–100, mapped linearly onto it. Either way labels are rounded to the `--step` grid.
 */
export async function labelWithLlmOracle(command: Command, store: LabelStore, flags: OracleLabelFlags): Promise<void> {
  const { provider: name, model } = flags.oracle;
  const settings = await judgeSettingsFromFlags(flags.rubric === undefined ? {} : { template: flags.rubric, scale: flags.scale });
  const provider = await providerFromFlags({
    provider: name,
    concurrency: flags.concurrency,
    ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
  });
  const oracle = llmOracle(provider.judge(model, settings), `${name}:${model}`);
  // Ctrl-C stops after the calls in flight; their labels are saved and a re-run continues.
  const stop = gracefulStop();
  let summary: OracleRunSummary;
  try {
    summary = await labelWithOracle(store, oracle, {
      scale: { ...flags.scale, step: flags.step },
      concurrency: flags.concurrency,
      signal: stop.signal,
      onProgress: (p) => process.stderr.write(progressLine(p)),
    });
  } finally {
    stop.release();
  }
  const { labelled, total } = store.progress();
  process.stdout.write(
    `Oracle ${terminalLine(oracle.id)} on ${terminalLine(store.file)}: ${summary.labelled} labelled, ${summary.failed.length} failed, ` +
      `${summary.pending} pending at start; ${labelled} of ${total} labelled now.\n` +
      `${usageSummary(provider.usage.totals())}\n`,
  );
  if (summary.failed.length > 0) {
    const ids = summary.failed.map((f) => `  ${terminalLine(f.itemId)}: ${terminalLine(f.error)}`).join("\n");
    // A failed item is not a usage error: no help text after the list of failures.
    command
      .showHelpAfterError(false)
      .error(`${summary.failed.length} of ${summary.pending} items failed and stay unlabelled (run again to retry them):\n${ids}`, {
        exitCode: 1,
        code: "cje.items_failed",
      });
  }
}
