/**
 * A campaign's judged draws read from its store alone — for tools that show a campaign without its definition
 * (`cje view`): the stored generations, verdicts, label sample and labels, each checked against its stage's schema
 * in the stage table, joined by `judgedDraws`, the assembly the estimate stage runs on the same stored values.
 */
import { CjeInputError } from "@cjeval/core";
import { z } from "zod";
import { CAMPAIGN_SNAPSHOT_META } from "./report/snapshot.js";
import { checkedValue, rowId } from "./stages/context.js";
import { type DrawPrompt, type JudgedDraw, judgedDraws } from "./stages/judged-draws.js";
import type { SampleValue } from "./stages/sample.js";
import { GENERATE, JUDGE, LABEL, SAMPLE } from "./stages/table.js";
import type { CampaignStore } from "./store/store.js";

/** The judged draws of a campaign store (see {@link campaignRows}). */
export interface CampaignRows {
  /**
   * Every stored row with a response and a verdict: policy by policy (the campaign's order, then any other policy
   * stored), each in prompt order (the campaign's inline prompts, then the order the store registered the rest).
   */
  readonly draws: readonly JudgedDraw[];
  /**
   * Stored generations, verdicts and labels superseded by a later one of the same row (the campaign changed between
   * runs, e.g. a policy's model or the judge): `draws` hold the latest of each (the unit the store registered last).
   */
  readonly superseded: number;
}

/** The parts of the campaign snapshot that order the draws and name the prompts. */
const RecordedCampaignSchema = z.object({ definition: z.object({ policies: z.array(z.object({ name: z.string() })), prompts: z.unknown() }) });

/** Prompts given inline, the only ones whose texts the store records. */
const InlinePromptsSchema = z.object({ items: z.array(z.object({ id: z.string(), text: z.string() })) });

/**
 * The campaign's judged draws, from its store alone: each policy's response to each prompt with the judge's score
 * in [0, 1], the prompt's text when the store records it (prompts given inline), and the oracle's label in [0, 1]
 * (with its inclusion probability) on the rows the label design drew — never a transport probe's label. The rows are
 * joined as the estimate stage joins them for its analysis (the same function); where the campaign changed between
 * runs the store holds several results of a row, and the latest is taken (counted in `superseded`), since which of
 * them the current campaign would use depends on its definition, which the store does not hold whole. Turn the draws
 * into evaluation data with `judgedDrawRecords` and `evaluationDataFromRecords` of `@cjeval/core` on the unit
 * scales.
 *
 * A stored value that does not fit its stage's schema, a row result without its policy or prompt, or a campaign
 * snapshot that is not the runner's is a `CjeInputError` naming the store.
 */
export async function campaignRows(store: CampaignStore): Promise<CampaignRows> {
  const recorded = await recordedCampaign(store);
  const policies = new Set(recorded.policies);
  const prompts = new Map(recorded.prompts.map((p) => [p.id, p]));
  let superseded = 0;
  const latest = async <V>(stage: { readonly name: "generate" | "judge" | "label"; readonly value: z.ZodType<V> }): Promise<Map<string, V>> => {
    const byRow = new Map<string, V>();
    for (const stored of await store.results(stage.name)) {
      const value = checkedValue(store, stage.name, stored, stage.value);
      if (stored.policy === null || stored.promptId === null) {
        throw new CjeInputError(`stored ${stage.name} result of unit ${stored.key} names no policy or prompt`, { file: store.location });
      }
      const id = rowId(stored.policy, stored.promptId);
      if (byRow.has(id)) superseded++;
      byRow.set(id, value);
      policies.add(stored.policy);
      if (!prompts.has(stored.promptId)) prompts.set(stored.promptId, { id: stored.promptId });
    }
    return byRow;
  };
  const generated = await latest(GENERATE);
  const verdicts = await latest(JUDGE);
  const labels = await latest(LABEL);
  let selection: SampleValue | undefined;
  for (const stored of await store.results(SAMPLE.name)) {
    const value = checkedValue(store, SAMPLE.name, stored, SAMPLE.value);
    if ("warnings" in value) selection = value; // the label sample; the others are transport probes
  }
  const draws = judgedDraws([...policies], [...prompts.values()], {
    rows: new Map([...generated].map(([id, value]) => [id, { response: value.text }])),
    verdicts,
    labels,
    inclusion: new Map((selection?.selected ?? []).map((s) => [rowId(s.policy, s.promptId), s.inclusion])),
  });
  return { draws, superseded };
}

/** The policies and inline prompts of the campaign snapshot in `store`, in the campaign's order (none without one). */
async function recordedCampaign(store: CampaignStore): Promise<{ policies: string[]; prompts: DrawPrompt[] }> {
  const text = await store.getMeta(CAMPAIGN_SNAPSHOT_META);
  if (text === undefined) return { policies: [], prompts: [] };
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(text);
  } catch {
    throw new CjeInputError("the campaign snapshot stored in it is not JSON", { file: store.location, field: CAMPAIGN_SNAPSHOT_META });
  }
  const checked = RecordedCampaignSchema.safeParse(snapshot);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new CjeInputError(`the campaign snapshot stored in it is not the runner's (at ${issue.path.join(".")}: ${issue.message})`, {
      file: store.location,
      field: CAMPAIGN_SNAPSHOT_META,
    });
  }
  const { policies, prompts } = checked.data.definition;
  const inline = InlinePromptsSchema.safeParse(prompts);
  return { policies: policies.map((p) => p.name), prompts: inline.success ? inline.data.items : [] };
}
