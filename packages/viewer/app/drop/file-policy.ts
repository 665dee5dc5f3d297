/**
 * The policy a dropped fresh-draw file's name gives it, by core's rule for files named to `cje analyze`
 * (`drawFileLayout` of `@cjeval/core/advanced`, which `loadEvaluationData` uses): `base_responses.jsonl` holds
 * policy `base`; `clone.jsonl` holds `clone` unless its first row names another policy (then its rows name their
 * policies); a reserved stem (`data.jsonl`, `calibration.jsonl`, …) names none, so its rows must name theirs.
 */
import { drawFileLayout } from "@cjeval/core/advanced";

/** The policy named by `fileName`, or null when the name gives none (a reserved or empty stem: its rows name theirs). */
export function policyFromFileName(fileName: string): string | null {
  const layout = drawFileLayout(fileName);
  return layout.layout === "per-policy" ? layout.policy : layout.namedPolicy;
}
