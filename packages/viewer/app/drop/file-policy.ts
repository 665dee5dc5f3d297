/**
 * The policy a dropped fresh-draw file holds, by the rule of core's fresh-draw folders (`discoverDrawFiles` in
 * `@cjeval/core/node`): the file's stem without a trailing `_responses` (`base_responses.jsonl` → `base`,
 * `clone.jsonl` → `clone`); stems that name logged, calibration or label data are no policy.
 *
 * Stand-in: core keeps this rule (`policyFromStem`, `RESERVED_STEMS`) in a module that imports `node:fs`, so the
 * page cannot import it. This copy is to be replaced by core's once a browser-safe entry exports it.
 */

const RESPONSES_SUFFIX = "_responses";
const RESERVED_STEMS: ReadonlySet<string> = new Set([
  "dataset",
  "data",
  "logs",
  "calibration",
  "calibration_data",
  "human_labels",
  "oracle_labels",
  "logged_data",
]);

/** The policy named by `fileName`, or null when its stem is reserved (or empty). */
export function policyFromFileName(fileName: string): string | null {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const policy = stem.endsWith(RESPONSES_SUFFIX) ? stem.slice(0, -RESPONSES_SUFFIX.length) : stem;
  return policy.length === 0 || RESERVED_STEMS.has(policy) ? null : policy;
}
