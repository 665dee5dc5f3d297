/** The fingerprint every queued job carries: workers run only units of the campaign definition they loaded. */
import { requestKey } from "@cjeval/provider-utils";
import type { Campaign } from "../config/schema.js";
import { campaignSnapshot } from "../report/snapshot.js";

/** A hash of the campaign's definition as its store records it (API keys are never part of it). */
export function campaignFingerprint(campaign: Campaign): string {
  return requestKey(campaignSnapshot(campaign)).slice(0, 16);
}
