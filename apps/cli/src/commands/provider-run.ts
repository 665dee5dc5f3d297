import { readFile } from "node:fs/promises";
import { CjeInputError, type Scale } from "@cjeval/core";
import { readJsonl } from "@cjeval/core/node";
import {
  concurrencySchema,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  FileCache,
  MAX_CONCURRENCY,
  MAX_TIMER_MS,
  timeoutMsSchema,
  type JudgeSettings,
  mapSettled,
  type UsageTotals,
  writeFileAtomic,
} from "@cjeval/provider-utils";
import { AI_SDK_PROVIDER_TYPE, API_PROVIDER_TYPES, type BuiltApiProvider, createProvider } from "@cjeval/runner";
import { type Command, InvalidArgumentError, Option } from "commander";
import { limitedNumber } from "./options.js";

/** A validated input row: the fields the provider commands need, plus the whole record to pass through. */
export interface InputRow {
  readonly prompt: string;
  readonly response: string;
  /** The row as read; output rows are this plus the new fields. */
  readonly record: Readonly<Record<string, unknown>>;
}

/** Flags shared by `cje judge` and `cje logprobs`. */
export interface ProviderFlags {
  readonly in: string;
  readonly out: string;
  readonly provider: (typeof API_PROVIDER_TYPES)[number] | typeof AI_SDK_PROVIDER_TYPE;
  readonly model: string;
  readonly baseUrl?: string;
  readonly concurrency: number;
  readonly timeoutMs?: number;
  readonly cache?: string;
}

/** The flags of `--provider ai-sdk`: the provider package (or file) and its factory, the factory's options, the key's variable. */
export interface AiSdkFlags {
  readonly module?: string;
  readonly factory?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly apiKeyEnv?: string;
}

/** The flags that choose and connect to a provider (also used by `cje label --oracle`). */
export type ConnectionFlags = Pick<ProviderFlags, "provider" | "baseUrl" | "concurrency" | "timeoutMs" | "cache"> & AiSdkFlags;

/** Parses a positive integer flag. */
export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${text}'`);
  return n;
}

/** Parses `--concurrency`: 1 to {@link MAX_CONCURRENCY} (the cap every provider's settings schema applies). */
export const parseConcurrency = limitedNumber(concurrencySchema);

/** Parses `--timeout-ms`: 1 to 2^31 − 1 ms ({@link MAX_TIMER_MS}, Node's longest timer). */
export const parseTimeoutMs = limitedNumber(timeoutMsSchema);

/** Parses a JSON object flag. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(`expected a JSON object, got '${text}'`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidArgumentError(`expected a JSON object, got '${text}'`);
  return value as Record<string, unknown>;
}

/** Adds the flags shared by the provider commands to `command` (`--provider ai-sdk` and its flags when `providers` lists it). */
export function addProviderOptions(command: Command, providers: readonly string[]): Command {
  const aiSdk = providers.includes(AI_SDK_PROVIDER_TYPE);
  command
    .requiredOption("--in <file>", "input JSONL: one row per line with prompt_id, prompt, response")
    .requiredOption("--out <file>", "output JSONL (written atomically, rows in input order)")
    .addOption(
      new Option("--provider <name>", `model provider: ${providers.join(" | ")}`)
        .choices([...API_PROVIDER_TYPES, ...(aiSdk ? [AI_SDK_PROVIDER_TYPE] : [])])
        .makeOptionMandatory(),
    );
  if (aiSdk) {
    command
      .option(
        "--module <name>",
        "with --provider ai-sdk: the AI SDK provider package, or a file (e.g. @ai-sdk/google, ollama-ai-provider-v2), resolved from this folder",
      )
      .option("--factory <name>", "with --provider ai-sdk: its factory function (e.g. createGoogleGenerativeAI)")
      .option("--options <json>", "with --provider ai-sdk: the factory's options as a JSON object", parseJsonObject)
      .option("--api-key-env <var>", "with --provider ai-sdk: environment variable passed to the factory as apiKey");
  }
  return command
    .requiredOption("--model <id>", "model id as the provider names it")
    .option("--base-url <url>", "OpenAI- or Anthropic-compatible server (vLLM, llama.cpp, Together, ...)")
    .option("--concurrency <n>", `requests in flight at once (at most ${MAX_CONCURRENCY})`, parseConcurrency, DEFAULT_CONCURRENCY)
    .option("--timeout-ms <ms>", `per-attempt timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS}), at most ${MAX_TIMER_MS}`, parseTimeoutMs)
    .option("--cache <dir>", "response cache folder: a re-run of the same requests costs nothing");
}

const FIELDS = ["prompt", "response"] as const;

/**
 * Reads and validates the input JSONL: each row needs `prompt_id` (string or number) and string `prompt`
 * and `response`. Every problem is a {@link CjeInputError} naming file, line, field and value, raised
 * before any request is sent.
 */
export async function readInputRows(file: string): Promise<InputRow[]> {
  const rows: InputRow[] = [];
  await readJsonl(file, (value, line) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new CjeInputError("each line must be a JSON object", { file, line, value });
    }
    const record = value as Record<string, unknown>;
    const id = record.prompt_id;
    if (typeof id !== "string" && typeof id !== "number") {
      throw new CjeInputError("must be a string or a number", { file, line, field: "prompt_id", value: id ?? null });
    }
    for (const field of FIELDS) {
      if (typeof record[field] !== "string") throw new CjeInputError("must be a string", { file, line, field, value: record[field] ?? null });
    }
    rows.push({ prompt: record.prompt as string, response: record.response as string, record });
  });
  return rows;
}

/**
 * The provider the flags name, built by the runner's provider factory (`createProvider`), which loads only
 * that provider's package. API keys come from the environment: OPENAI_API_KEY, ANTHROPIC_API_KEY, or for
 * `ai-sdk` the variable `--api-key-env` names (else the provider package's own). An `ai-sdk` module is
 * resolved from the working directory; `--base-url` becomes its factory's `baseURL` option.
 */
export async function providerFromFlags(flags: ConnectionFlags): Promise<BuiltApiProvider> {
  const cache = flags.cache === undefined ? {} : { cache: new FileCache(flags.cache) };
  const timeout = flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs };
  if (flags.provider === AI_SDK_PROVIDER_TYPE) {
    for (const [flag, value] of [
      ["--module", flags.module],
      ["--factory", flags.factory],
    ] as const) {
      if (value === undefined)
        throw new CjeInputError(`--provider ai-sdk needs ${flag} (e.g. --module @ai-sdk/google --factory createGoogleGenerativeAI)`, { field: flag });
    }
    const options = { ...flags.options, ...(flags.baseUrl === undefined ? {} : { baseURL: flags.baseUrl }) };
    return createProvider(
      {
        type: AI_SDK_PROVIDER_TYPE,
        module: flags.module,
        factory: flags.factory,
        concurrency: flags.concurrency,
        ...timeout,
        ...(Object.keys(options).length === 0 ? {} : { options }),
        ...(flags.apiKeyEnv === undefined ? {} : { apiKeyEnv: flags.apiKeyEnv }),
      },
      { ...cache, baseDir: process.cwd() },
    );
  }
  if (!(API_PROVIDER_TYPES as readonly string[]).includes(flags.provider)) {
    throw new CjeInputError(`unknown provider; use ${API_PROVIDER_TYPES.join(" or ")}`, { field: "--provider", value: flags.provider });
  }
  return createProvider(
    { type: flags.provider, concurrency: flags.concurrency, ...timeout, ...(flags.baseUrl === undefined ? {} : { baseURL: flags.baseUrl }) },
    cache,
  );
}

/** Rubric flags of an LLM judge: a template file, the rubric's scale, structured output. */
export interface RubricFlags {
  readonly template?: string;
  readonly scale?: Scale;
  readonly json?: boolean;
}

/** The judge settings for the rubric flags (reads the template file). */
export async function judgeSettingsFromFlags(flags: RubricFlags): Promise<JudgeSettings> {
  return {
    ...(flags.template === undefined ? {} : { template: await readFile(flags.template, "utf8") }),
    ...(flags.scale === undefined ? {} : { scale: flags.scale }),
    ...(flags.json === true ? { output: "json" as const } : {}),
  };
}

/** Outcome of a provider command over all rows. */
export interface RowsOutcome {
  readonly total: number;
  readonly failed: number;
}

/**
 * Runs `fn` on every row with at most `concurrency` in flight and writes the output JSONL atomically, in
 * input order: a row whose call failed is written with an `error` field (plus whatever `onError` adds),
 * never dropped.
 */
export async function processRows(
  rows: readonly InputRow[],
  out: string,
  concurrency: number,
  fn: (row: InputRow) => Promise<Record<string, unknown>>,
  onError: (row: InputRow, error: unknown) => Record<string, unknown> = () => ({}),
): Promise<RowsOutcome> {
  const settled = await mapSettled(rows, fn, concurrency);
  let failed = 0;
  const lines = settled.map((result, i) => {
    const row = rows[i];
    if (result.ok) return JSON.stringify({ ...row.record, ...result.value });
    failed += 1;
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    return JSON.stringify({ ...row.record, ...onError(row, result.error), error: message });
  });
  await writeFileAtomic(out, lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  return { total: rows.length, failed };
}

/** Requests, tokens and cost of a run, e.g. `3 requests, 300 input + 3 output tokens, cost $0.0010`. */
export function usageSummary(usage: UsageTotals): string {
  const cost = usage.unpricedModels.length > 0 ? `cost unknown (no price for ${usage.unpricedModels.join(", ")})` : `cost $${usage.costUsd.toFixed(4)}`;
  const cached = usage.cachedRequests > 0 ? `, ${usage.cachedRequests} from cache` : "";
  return `${usage.requests} requests${cached}, ${usage.inputTokens} input + ${usage.outputTokens} output tokens, ${cost}`;
}

/** One-line summary of a run: rows, failures, tokens and cost. */
export function summaryLine(verb: string, outcome: RowsOutcome, usage: UsageTotals, out: string): string {
  return `${verb} ${outcome.total} rows: ${outcome.total - outcome.failed} ok, ${outcome.failed} failed; ${usageSummary(usage)}; wrote ${out}\n`;
}

/** Ends the command: writes the summary to stderr and exits non-zero (through commander) if any row failed. */
export function finish(command: Command, summary: string, outcome: RowsOutcome): void {
  command.configureOutput().writeErr?.(summary);
  if (outcome.failed > 0) {
    command.error(`${outcome.failed} of ${outcome.total} rows failed (see their 'error' field)`, { exitCode: 1, code: "cje.rows_failed" });
  }
}
