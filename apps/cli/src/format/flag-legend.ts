import { type AnalysisResult, FLAG_NEXT_STEPS, FLAG_REASONS, type PolicyFlag } from "@cjeval/core";
import { terminalLine } from "@cjeval/provider-utils";

/**
 * Every flag raised in `result`, in the order core lists them: the policies carrying it and what it means on
 * one line, what to do about it on the next; empty when no policy is flagged.
 */
export function formatFlagLegend(result: AnalysisResult): string {
  const raised = (Object.keys(FLAG_REASONS) as PolicyFlag[])
    .map((flag) => ({ flag, policies: result.policies.filter((p) => p.flags.includes(flag)).map((p) => terminalLine(p.policy)) }))
    .filter(({ policies }) => policies.length > 0);
  if (raised.length === 0) return "";
  let out = "\nFlags:\n";
  for (const { flag, policies } of raised) {
    out += `  ${flag} (${policies.join(", ")}): ${FLAG_REASONS[flag]}\n`;
    out += `    next step: ${FLAG_NEXT_STEPS[flag]}\n`;
  }
  return out;
}
