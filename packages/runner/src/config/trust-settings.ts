/**
 * Campaign settings of the trust layer and the off-policy family: transport audits on held-out oracle
 * probes (`audit`) and the estimators the estimate stage runs (`estimate.estimators`), with the checks that
 * tie them to the rest of the campaign (an oracle to label the probes, policies left out of the label
 * design to audit, a log-prob stage for the off-policy estimators).
 */
import { OFF_POLICY_ESTIMATORS, type OffPolicyEstimatorName } from "@cjeval/core";
import { z } from "zod";

/** Estimators a campaign may list: `direct` (always run) and the off-policy family of @cjeval/core. */
export const ESTIMATOR_NAMES = ["direct", ...OFF_POLICY_ESTIMATORS] as const;

/** An estimator a campaign may list. */
export type EstimatorName = (typeof ESTIMATOR_NAMES)[number];

const margin = z.number().gt(0).max(1);

/**
 * Residual transport audits: every policy outside `labels.policies` gets a simple random sample of its judged
 * responses labelled by the campaign's oracle, held out from the calibration and passed to `analyze` as
 * transport probes.
 */
export const AuditSchema = z.strictObject({
  /** Probes per audited policy (all of its judged rows when it has fewer); 20 or more can PASS. */
  probesPerPolicy: z.number().int().positive(),
  /** Margin δ_max on the 0–1 label scale: a policy PASSes when its mean residual is surely within ±δ_max; none ⇒ NOT_GRADED. */
  deltaMax: margin.optional(),
  /** Per-policy margins, over `deltaMax`. */
  deltaMaxByPolicy: z.record(z.string(), margin).optional(),
  /** Seed of the probe samples (default: the label sample's seed). */
  seed: z.number().int().optional(),
});

/** Validated audit settings. */
export type AuditSettings = z.output<typeof AuditSchema>;

/** The estimators of `estimate.estimators`: `direct` always runs; the others need the `logprobs` stage. */
export const EstimatorsSchema = z.array(z.enum(ESTIMATOR_NAMES)).min(1);

/** The fields of a campaign the checks below read. */
interface TrustFields {
  readonly policies: readonly { readonly name: string }[];
  readonly oracle?: unknown;
  readonly labels?: { readonly policies?: readonly string[] | undefined };
  readonly logprobs?: { readonly logging?: string | undefined; readonly targets?: readonly string[] | undefined };
  readonly audit?: AuditSettings;
  readonly estimate?: { readonly estimators?: readonly EstimatorName[] | undefined };
}

/** Reports a problem at a path of the campaign. */
export type IssueSink = (path: (string | number)[], message: string) => void;

/** Policies a campaign audits: those whose rows the label design cannot draw (none without `audit`). */
export function auditedPolicies(campaign: TrustFields): string[] {
  const labelled = campaign.labels?.policies;
  if (campaign.audit === undefined || labelled === undefined) return [];
  return campaign.policies.map((p) => p.name).filter((name) => !labelled.includes(name));
}

/** The off-policy estimators a campaign lists, each once, in order. */
export function offPolicyEstimators(campaign: Pick<TrustFields, "estimate">): OffPolicyEstimatorName[] {
  const listed = campaign.estimate?.estimators ?? [];
  return [...new Set(listed.filter((e): e is OffPolicyEstimatorName => e !== "direct"))];
}

/** Cross-field checks of `audit` and `estimate.estimators` (run inside the campaign schema's refinement). */
export function checkTrustSettings(campaign: TrustFields, issue: IssueSink): void {
  const { audit } = campaign;
  if (audit !== undefined) {
    if (campaign.oracle === undefined || campaign.labels === undefined) {
      issue(["audit"], "audits need oracle and labels: the probes are labelled by the campaign's oracle and checked against its calibration");
    } else {
      const audited = auditedPolicies(campaign);
      if (audited.length === 0) {
        issue(
          ["audit"],
          "no policy to audit: every policy's rows may be labelled; list the calibrating policies in labels.policies and the others are audited",
        );
      }
      for (const policy of Object.keys(audit.deltaMaxByPolicy ?? {})) {
        if (!audited.includes(policy)) issue(["audit", "deltaMaxByPolicy", policy], `'${policy}' is not audited (audited: ${audited.join(", ") || "none"})`);
      }
    }
  }
  const offPolicy = offPolicyEstimators(campaign);
  if (offPolicy.length === 0) return;
  const logprobs = campaign.logprobs;
  if (logprobs === undefined) {
    const at = campaign.estimate?.estimators?.indexOf(offPolicy[0]) ?? 0;
    issue(
      ["estimate", "estimators", at],
      `${offPolicy[0]} needs the logprobs stage: teacher-forced log-probs of the logging policy's responses under each policy`,
    );
    return;
  }
  const logging = logprobs.logging ?? campaign.policies[0]?.name;
  if (logprobs.targets !== undefined) {
    if (!logprobs.targets.includes(logging)) {
      issue(["logprobs", "targets"], `off-policy estimators need the logging policy's own log-probs: add '${logging}' to logprobs.targets`);
    }
    if (logprobs.targets.every((t) => t === logging))
      issue(["logprobs", "targets"], "off-policy estimators need at least one target policy besides the logging policy");
  } else if (campaign.policies.length < 2) {
    issue(["estimate", "estimators"], "off-policy estimators need a target policy besides the logging policy");
  }
}
