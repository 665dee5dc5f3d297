/**
 * How a fresh-draw file's name maps to a policy, in one place for the Node loader (`discoverDrawFiles`) and for
 * callers that read files elsewhere (a browser page). Pure: no Node built-in, no file access.
 */

/** File stems that never become policies (they name logged, calibration or label data). */
export const RESERVED_STEMS: ReadonlySet<string> = new Set([
  "dataset",
  "data",
  "logs",
  "calibration",
  "calibration_data",
  "human_labels",
  "oracle_labels",
  "logged_data",
]);

/** File layouts recognised inside a fresh-draws folder, in the words used by error messages. */
export const POLICY_FILE_PATTERNS: readonly string[] = ["<policy>_responses.jsonl", "<policy>.jsonl", "responses/<policy>.jsonl", "fresh_draws/<policy>.jsonl"];

const RESPONSES_SUFFIX = "_responses";

/**
 * How a source's rows map to policies. `per-policy`: every row belongs to `policy`. `by-content`: the source
 * holds several policies when its first row names (`policy`/`target_policy`) a policy other than `namedPolicy`,
 * else every row belongs to `namedPolicy`; with `namedPolicy` null every row must name its policy.
 */
export type DrawSourceLayout =
  | { readonly layout: "per-policy"; readonly policy: string }
  | { readonly layout: "by-content"; readonly namedPolicy: string | null };

/**
 * A file name without its folder and its last extension, as Node's `path.basename(name, path.extname(name))`
 * gives it on POSIX: `base_responses.jsonl` → `base_responses`, `a.b.csv` → `a.b`; a leading dot starts no
 * extension (`.jsonl` stays `.jsonl`).
 */
export function fileStem(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 || base === ".." ? base : base.slice(0, dot);
}

/** The policy a file stem names: the stem without a trailing `_responses` (`base_responses` → `base`). */
export function policyFromStem(stem: string): string {
  return stem.endsWith(RESPONSES_SUFFIX) ? stem.slice(0, -RESPONSES_SUFFIX.length) : stem;
}

/** Whether `policy` (from {@link policyFromStem}) is no policy: empty, or one of {@link RESERVED_STEMS}. */
export function isReservedPolicy(policy: string): boolean {
  return policy.length === 0 || RESERVED_STEMS.has(policy);
}

/**
 * How a fresh-draw file named explicitly (`cje analyze <file>`, a file dropped on the `cje view` page) is read,
 * from its name (folder and extension ignored): `<policy>_responses.<ext>` holds policy `<policy>`
 * (`per-policy`); any other name is read `by-content` — a multi-policy file when its first row names another
 * policy, else a file of the policy its stem names; a reserved stem (`data.jsonl`, `calibration.jsonl`, …) names
 * none, so its rows must name theirs.
 */
export function drawFileLayout(fileName: string): DrawSourceLayout {
  const stem = fileStem(fileName);
  const policy = policyFromStem(stem);
  const usable = !isReservedPolicy(policy);
  if (usable && stem.endsWith(RESPONSES_SUFFIX)) return { layout: "per-policy", policy };
  return { layout: "by-content", namedPolicy: usable ? policy : null };
}
