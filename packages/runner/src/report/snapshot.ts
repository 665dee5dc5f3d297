/**
 * The campaign as recorded in its store: enough to report on the store alone (name, known truth, which
 * providers bill and at what prices), plus the whole definition for the record. Provider and design
 * objects written in code are reduced to their id or name; API keys are never part of a campaign, the
 * store's own location (a URL that may hold a password) is left out, and credentials written into any other
 * field — a provider `baseURL` with `user:password@` or `?api_key=` — are redacted (`redactSecretsDeep`).
 */
import { redactSecretsDeep, type PriceTable } from "@cjeval/provider-utils";
import type { Campaign } from "../config/schema.js";
import { designIdentity } from "../stages/sample-design.js";

/** Store metadata key of the snapshot. */
export const CAMPAIGN_SNAPSHOT_META = "campaign";

/** What the store records about its campaign. */
export interface CampaignSnapshot {
  readonly name: string;
  readonly truth: Readonly<Record<string, number>> | null;
  readonly providers: Readonly<Record<string, { readonly type: string; readonly billable: boolean; readonly prices?: PriceTable }>>;
  /** The definition, JSON-safe. */
  readonly definition: unknown;
}

/** The snapshot of `campaign`. */
export function campaignSnapshot(campaign: Campaign): CampaignSnapshot {
  const providers = Object.fromEntries(
    Object.entries(campaign.providers).map(([name, p]) => [
      name,
      p.type === "custom"
        ? { type: "custom", billable: p.billable === true }
        : { type: p.type, billable: p.type === "ai-sdk" ? p.billable !== false : true, ...(p.prices === undefined ? {} : { prices: p.prices }) },
    ]),
  );
  const design = campaign.labels?.design;
  // The store's URL may carry a password: the store does not need to record where it is.
  const { store: _location, ...recorded } = campaign;
  const definition = {
    ...recorded,
    ...(campaign.labels === undefined || design === undefined ? {} : { labels: { ...campaign.labels, design: designIdentity(design) } }),
    providers: Object.fromEntries(
      Object.entries(campaign.providers).map(([name, p]) => [name, p.type === "custom" ? { ...p, provider: { id: p.provider.id } } : p]),
    ),
  };
  return { name: campaign.name, truth: campaign.truth ?? null, providers, definition: redactSecretsDeep(definition) };
}
