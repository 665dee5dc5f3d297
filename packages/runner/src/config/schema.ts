/**
 * The campaign definition, as a zod schema: the single source of truth for `cje.config.ts`, JSON and
 * YAML campaigns. Unknown keys are rejected so typos surface instead of being ignored.
 */
import type { LanguageModelFactory, LogprobRequest } from "@cjeval/ai-sdk";
import type { LogprobScorer, Provider } from "@cjeval/core";
import { scaleSchema } from "@cjeval/core/advanced";
import { DESIGN_KINDS } from "@cjeval/oracle";
import { ConnectionOptionsSchema, GeneratorSettingsSchema, JudgeSettingsSchema, PipelineSettingsSchema } from "@cjeval/provider-utils";
import { z } from "zod";
import type { SampleDesign } from "../stages/sample-design.js";
import { AuditSchema, checkTrustSettings, EstimatorsSchema } from "./trust-settings.js";

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "use letters, digits, '_', '.' or '-' (it names files)");
const positiveInt = z.number().int().positive();

/** Where prompts come from: a JSONL or CSV file, or rows given inline. */
export const PromptsSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** JSONL or CSV file (relative to the campaign file). */
    file: z.string().min(1),
    /** Field holding the prompt id (default `prompt_id`; rows without one get a hash of the prompt). */
    idField: z.string().min(1).optional(),
    /** Field holding the prompt text (default `prompt`). */
    textField: z.string().min(1).optional(),
    /** Use only the first `limit` prompts. */
    limit: positiveInt.optional(),
  }),
  z.strictObject({ items: z.array(z.strictObject({ id: z.string().min(1), text: z.string() })).min(1) }),
]);

/** The provider packages a campaign (or `cje judge --provider`) can name. */
export const API_PROVIDER_TYPES = ["openai", "anthropic"] as const;

/** Request rate cap (requests per minute); none by default. */
const requestsPerMinute = z.number().positive().optional();

/** The pipeline settings (`@cjeval/provider-utils`) a campaign's provider may set: the same fields for every provider type. */
export const PROVIDER_PIPELINE_FIELDS = PipelineSettingsSchema.pick({
  concurrency: true,
  timeoutMs: true,
  maxRetries: true,
  baseDelayMs: true,
  maxDelayMs: true,
  maxRetryAfterMs: true,
  prices: true,
}).shape;

/**
 * An HTTP model provider: the connection options a file may hold (`baseURL`, `apiKeyEnv`) and the
 * provider packages' pipeline settings (`concurrency`, `timeoutMs`, retries, `prices`), from
 * `@cjeval/provider-utils`. The API key is read from the environment, never from the file.
 */
export const ApiProviderSchema = z.strictObject({
  type: z.enum(API_PROVIDER_TYPES),
  ...ConnectionOptionsSchema.pick({ baseURL: true, apiKeyEnv: true }).shape,
  ...PROVIDER_PIPELINE_FIELDS,
  requestsPerMinute,
});

/** A provider object written in code (`cje.config.ts`), with the runner's concurrency and rate settings. */
export const CustomProviderSchema = z.strictObject({
  type: z.literal("custom"),
  provider: z.custom<Provider>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as Provider).id === "string" &&
      typeof (value as Provider).judge === "function" &&
      typeof (value as Provider).generator === "function",
    "expected a Provider object (id, capabilities, generator(), judge(), logprobScorer())",
  ),
  concurrency: PipelineSettingsSchema.shape.concurrency,
  requestsPerMinute,
  /** Whether calls cost money (default false): billable calls need confirmation. */
  billable: z.boolean().optional(),
});

/** The provider type of AI SDK models (`@cjeval/ai-sdk`). */
export const AI_SDK_PROVIDER_TYPE = "ai-sdk";

const isFunction = (value: unknown): boolean => typeof value === "function";

/**
 * AI SDK models (`@cjeval/ai-sdk`): any `LanguageModel` of the Vercel AI SDK (5 or 6). Give either
 * - `model`, in `cje.config.ts`: a function from model id to `LanguageModel` (a provider instance such as
 *   `google`, or your own with middleware), with optional `logprobRequest` / `logprobScorer`; or
 * - `module` and `factory`, in any campaign file: the provider package (or a file, relative to the campaign)
 *   and its factory function (`createOpenAICompatible`, `createGoogleGenerativeAI`, …), called with `options`
 *   (JSON) plus `apiKey` read from the variable `apiKeyEnv` names; the module is imported from the
 *   campaign's folder, so install it there.
 *
 * The model ids come from the policies, the judge and the oracle. Calls are billable unless `billable: false`
 * (a local Ollama). Pipeline settings as for the HTTP providers; `providerOptions` go with every call.
 */
export const AiSdkProviderSchema = z
  .strictObject({
    type: z.literal(AI_SDK_PROVIDER_TYPE),
    model: z.custom<LanguageModelFactory>(isFunction, "expected a function (modelId) => LanguageModel, e.g. a provider instance such as google").optional(),
    module: z.string().min(1).optional(),
    factory: z.string().min(1).optional(),
    /** Options of the factory call (JSON; the API key goes in `apiKeyEnv`, never here). */
    options: z.record(z.string(), z.unknown()).optional(),
    /** Environment variable whose value is passed to the factory as `apiKey` (default: none; the provider package reads its own variable). */
    apiKeyEnv: ConnectionOptionsSchema.shape.apiKeyEnv,
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    logprobRequest: z.custom<LogprobRequest>(isFunction, "expected a function (topLogprobs) => providerOptions").optional(),
    logprobScorer: z.custom<(modelId: string) => LogprobScorer>(isFunction, "expected a function (modelId) => LogprobScorer").optional(),
    ...PROVIDER_PIPELINE_FIELDS,
    requestsPerMinute,
    /** Whether calls cost money (default true): billable calls need confirmation. */
    billable: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if ((config.model === undefined) === (config.module === undefined)) {
      issue(config.model === undefined ? "module" : "model", "give model (a function, in cje.config.ts) or module and factory, not both");
      return;
    }
    if (config.module !== undefined && config.factory === undefined) issue("factory", "name the module's factory function (e.g. createOpenAICompatible)");
    if (config.model !== undefined) {
      for (const key of ["factory", "options", "apiKeyEnv"] as const) if (config[key] !== undefined) issue(key, `'${key}' goes with module, not with model`);
    }
  });

/** A policy: model + system prompt + sampling settings. */
export const PolicySchema = z.strictObject({
  name,
  /** Key of `providers`. */
  provider: z.string().min(1),
  model: z.string().min(1),
  ...GeneratorSettingsSchema.shape,
});

/**
 * Former names of judge fields, still read (with a deprecation warning from `resolveCampaign`) so that
 * existing campaign files keep working: `rubric` is now `template`, `rubricFile` is `templateFile`.
 */
export const DEPRECATED_JUDGE_FIELDS = { rubric: "template", rubricFile: "templateFile" } as const;

/**
 * A judge (or LLM oracle): the provider and model, and the judge settings of `@cjeval/provider-utils`
 * (`template`, `scale`, `system`, `output`, `temperature`, `maxTokens`, `topLogprobs`).
 */
const judgeLike = {
  provider: z.string().min(1),
  model: z.string().min(1),
  ...JudgeSettingsSchema.shape,
  /** File holding the judge prompt template (relative to the campaign file); give this or `template`. */
  templateFile: z.string().min(1).optional(),
  /** @deprecated Renamed `template`; still read. */
  rubric: z.string().min(1).optional(),
  /** @deprecated Renamed `templateFile`; still read. */
  rubricFile: z.string().min(1).optional(),
};

/** Reads the deprecated names as the current ones; a field given under both names is an error. */
function withCurrentNames<T extends { rubric?: string; rubricFile?: string; template?: string; templateFile?: string }>(
  judge: T,
  ctx: z.RefinementCtx,
): Omit<T, keyof typeof DEPRECATED_JUDGE_FIELDS> {
  const { rubric, rubricFile, ...current } = judge;
  const renamed: { template?: string; templateFile?: string } = {};
  for (const [old, value] of [
    ["rubric", rubric],
    ["rubricFile", rubricFile],
  ] as const) {
    if (value === undefined) continue;
    const name = DEPRECATED_JUDGE_FIELDS[old];
    if (current[name] !== undefined) {
      ctx.addIssue({ code: "custom", path: [old], message: `'${old}' is the deprecated name of '${name}': give only '${name}'` });
    }
    renamed[name] = value;
  }
  return { ...current, ...renamed };
}

/** The judge whose scores are calibrated. */
export const JudgeSchema = z.strictObject(judgeLike).transform(withCurrentNames);

/** Teacher-forced log-probs of the logging policy's responses under the other policies (off-policy data). */
export const LogprobsSchema = z.strictObject({
  /** Provider serving the policies' models with prompt log-probs (vLLM, Together, …). */
  provider: z.string().min(1),
  /** Policy whose responses are scored (default: the first). */
  logging: name.optional(),
  /** Policies to score them under (default: all). */
  targets: z.array(name).min(1).optional(),
  /** Model id per policy on that provider (default: the policy's model). */
  models: z.record(z.string(), z.string().min(1)).optional(),
  chatTemplate: z.string().min(1).optional(),
  method: z.enum(["auto", "echo", "prompt_logprobs"]).optional(),
});

/** Where oracle labels come from. */
export const OracleSchema = z.discriminatedUnion("type", [
  /** A (stronger) model grading with its own rubric. */
  z.strictObject({ type: z.literal("llm"), ...judgeLike }).transform(withCurrentNames),
  /** People: the runner writes the rows to label and reads `file` (`provider_id,prompt_id,oracle_label`). */
  z.strictObject({
    type: z.literal("human"),
    file: z.string().min(1),
    /** Scale of the labels in `file` (default 0–1). */
    scale: scaleSchema.optional(),
  }),
]);

/** Which rows get oracle labels. */
export const LabelsSchema = z
  .strictObject({
    /** Policies whose rows may be labelled (default: all). */
    policies: z.array(name).min(1).optional(),
    /** Number of labels. */
    budget: positiveInt.optional(),
    /** Share of the eligible rows to label, in (0, 1]. */
    share: z.number().gt(0).max(1).optional(),
    /**
     * Sampling design of `@cjeval/oracle`: a name (default `simple-random`), a request with options
     * (`{ kind: "stratified", allocation: "neyman", strata: 5 }`), or, in code, a `SampleDesign` object.
     */
    design: z
      .union([
        z.enum(DESIGN_KINDS),
        z.strictObject({
          kind: z.enum(DESIGN_KINDS),
          allocation: z.enum(["proportional", "neyman", "equal"]).optional(),
          strata: positiveInt.optional(),
          bins: positiveInt.optional(),
          floor: z.number().gt(0).max(1).optional(),
          sizeField: z.string().min(1).optional(),
        }),
        z.custom<SampleDesign>(
          (value) =>
            typeof value === "object" &&
            value !== null &&
            typeof (value as SampleDesign).name === "string" &&
            typeof (value as SampleDesign).select === "function",
          `expected a design name (${DESIGN_KINDS.join(", ")}), a design request { kind, ... } or a SampleDesign object { name, select }`,
        ),
      ])
      .optional(),
    seed: z.number().int().optional(),
  })
  .refine((labels) => (labels.budget === undefined) !== (labels.share === undefined), { message: "give exactly one of budget and share" });

/** Estimation settings (see `analyze` in @cjeval/core). */
export const EstimateSchema = z.strictObject({
  inference: z.enum(["bootstrap", "analytic"]).optional(),
  bootstrap: positiveInt.optional(),
  seed: z.number().int().optional(),
  covariates: z.array(z.string().min(1)).optional(),
  /** Estimators (default `["direct"]`): Direct always runs; off-policy ones (`stacked-dr`, …) need the `logprobs` stage. */
  estimators: EstimatorsSchema.optional(),
});

/**
 * The campaign's store when it is not the default SQLite file: a PostgreSQL database shared by workers on
 * several machines (`postgres://user@host:port/database`), or a SQLite file elsewhere. Give the URL itself
 * or the environment variable that holds it, which keeps a password out of the campaign file.
 */
export const StoreSchema = z
  .strictObject({
    /** `postgres://…` (or `postgresql://…`), or a SQLite file relative to the campaign file. */
    url: z.string().min(1).optional(),
    /** Name of the environment variable that holds the URL. */
    urlEnv: z.string().min(1).optional(),
  })
  .refine((store) => (store.url === undefined) !== (store.urlEnv === undefined), { message: "give exactly one of url and urlEnv" });

/** Where results go (relative to the campaign file). */
export const OutputsSchema = z.strictObject({
  /** Folder of the campaign's files (default `.cje/<name>`). */
  dir: z.string().min(1).optional(),
  /** SQLite store (default `<dir>/campaign.sqlite`; a PostgreSQL store is set with the campaign's `store`). */
  store: z.string().min(1).optional(),
  /** HTML report (default `<dir>/report.html`). */
  html: z.string().min(1).optional(),
  /** Analysis JSON (default `<dir>/results.json`). */
  json: z.string().min(1).optional(),
  /** Folder of the fresh draws the estimator saw, as `<policy>_responses.jsonl` (default `<dir>/fresh_draws`). */
  draws: z.string().min(1).optional(),
  /** Folder of the transport probes, as `<policy>_probe.jsonl` (default `<dir>/probes`). */
  probes: z.string().min(1).optional(),
  /** The logging policy's rows with their log-probs, for off-policy estimators (default `<dir>/logged_data.jsonl`). */
  logged: z.string().min(1).optional(),
});

/** A whole campaign. */
export const CampaignSchema = z
  .strictObject({
    name,
    prompts: PromptsSchema,
    providers: z.record(z.string(), z.union([ApiProviderSchema, CustomProviderSchema, AiSdkProviderSchema])),
    policies: z.array(PolicySchema).min(1),
    judge: JudgeSchema,
    logprobs: LogprobsSchema.optional(),
    oracle: OracleSchema.optional(),
    labels: LabelsSchema.optional(),
    estimate: EstimateSchema.optional(),
    /** Transport audits on held-out oracle probes of the policies outside `labels.policies`. */
    audit: AuditSchema.optional(),
    /** The campaign's store, when not `outputs.store` (default `<dir>/campaign.sqlite`). */
    store: StoreSchema.optional(),
    outputs: OutputsSchema.optional(),
    /** Known true policy values (simulations): drawn in the report's forest plot. */
    truth: z.record(z.string(), z.number()).optional(),
    /**
     * Also keep a response cache keyed by request hash in the store (default false): identical requests —
     * from different units, or after an edit that renames a policy — are never paid twice. Units are
     * idempotent without it; it costs one more write per call.
     */
    cache: z.boolean().optional(),
  })
  .superRefine((campaign, ctx) => {
    const providers = Object.keys(campaign.providers);
    const policies = campaign.policies.map((p) => p.name);
    const needProvider = (value: string, path: (string | number)[]) => {
      if (!providers.includes(value))
        ctx.addIssue({ code: "custom", path, message: `unknown provider '${value}' (declared: ${providers.join(", ") || "none"})` });
    };
    const needPolicy = (value: string, path: (string | number)[]) => {
      if (!policies.includes(value)) ctx.addIssue({ code: "custom", path, message: `unknown policy '${value}' (declared: ${policies.join(", ")})` });
    };
    campaign.policies.forEach((p, i) => {
      needProvider(p.provider, ["policies", i, "provider"]);
      if (policies.indexOf(p.name) !== i) ctx.addIssue({ code: "custom", path: ["policies", i, "name"], message: `duplicate policy name '${p.name}'` });
    });
    if (campaign.store !== undefined && campaign.outputs?.store !== undefined) {
      ctx.addIssue({ code: "custom", path: ["outputs", "store"], message: "the store is set twice: keep store or outputs.store" });
    }
    needProvider(campaign.judge.provider, ["judge", "provider"]);
    if (campaign.oracle?.type === "llm") needProvider(campaign.oracle.provider, ["oracle", "provider"]);
    if (campaign.logprobs !== undefined) {
      needProvider(campaign.logprobs.provider, ["logprobs", "provider"]);
      if (campaign.logprobs.logging !== undefined) needPolicy(campaign.logprobs.logging, ["logprobs", "logging"]);
      campaign.logprobs.targets?.forEach((t, i) => needPolicy(t, ["logprobs", "targets", i]));
    }
    campaign.labels?.policies?.forEach((p, i) => needPolicy(p, ["labels", "policies", i]));
    if ((campaign.oracle === undefined) !== (campaign.labels === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [campaign.oracle === undefined ? "oracle" : "labels"],
        message: "oracle and labels go together: give both or neither",
      });
    }
    for (const [section, judge] of [
      ["judge", campaign.judge],
      ["oracle", campaign.oracle],
    ] as const) {
      if (judge !== undefined && "template" in judge && judge.template !== undefined && judge.templateFile !== undefined) {
        ctx.addIssue({ code: "custom", path: [section, "templateFile"], message: "give template or templateFile, not both" });
      }
    }
    checkTrustSettings(campaign, (path, message) => ctx.addIssue({ code: "custom", path, message }));
  });

/** A campaign as written (optional fields may be left out). */
export type CampaignInput = z.input<typeof CampaignSchema>;
/** A validated campaign. */
export type Campaign = z.output<typeof CampaignSchema>;
/** A validated policy. */
export type PolicyConfig = z.output<typeof PolicySchema>;
/** A validated judge (or LLM oracle) configuration. */
export type JudgeConfig = z.output<typeof JudgeSchema>;
/** A validated provider entry. */
export type ProviderConfig = Campaign["providers"][string];
/** A validated oracle configuration. */
export type OracleConfig = z.output<typeof OracleSchema>;
