import type { CampaignInput } from "./schema.js";

/**
 * Types a campaign in `cje.config.ts` (`export default defineCampaign({ ... })`): the editor checks every
 * field, and `cje run` validates it again when it loads the file.
 */
export function defineCampaign(campaign: CampaignInput): CampaignInput {
  return campaign;
}
