/**
 * Differences between two independent runs (before and after a prompt change): each policy's estimate in
 * the second run minus its estimate in the first, with the standard error of a difference of independent
 * estimates and Welch–Satterthwaite degrees of freedom. Isomorphic: the page's Compare view and code use it.
 */
import type { AnalysisResult, PolicyResult } from "@cjeval/core";
import { studentTQuantile, studentTSf } from "@cjeval/core/advanced";

/** One run's estimate of one policy: value, standard error and Student-t degrees of freedom (absent: normal). */
export interface RunEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly df?: number | undefined;
}

/** `after − before` for two independent estimates. */
export interface RunDifference {
  readonly difference: number;
  /** √(se₁² + se₂²). */
  readonly se: number;
  /** Welch–Satterthwaite degrees of freedom; `null` when neither estimate has any (normal interval). */
  readonly df: number | null;
  /** Two-sided 1 − α interval of the difference. */
  readonly ci: readonly [number, number];
  /** Two-sided p-value of "no difference". */
  readonly p_value: number;
}

/**
 * Welch–Satterthwaite degrees of freedom of a sum of two independent variance estimates:
 * (v₁ + v₂)² / (v₁²/df₁ + v₂²/df₂) with vᵢ = seᵢ². An absent `df` is a normal (infinite-df) estimate, whose
 * term vanishes; returns `Infinity` when both are normal or both variances are zero.
 */
export function welchSatterthwaiteDf(se1: number, df1: number | undefined, se2: number, df2: number | undefined): number {
  const v1 = se1 * se1;
  const v2 = se2 * se2;
  const denominator = (df1 === undefined ? 0 : (v1 * v1) / df1) + (df2 === undefined ? 0 : (v2 * v2) / df2);
  return denominator > 0 ? ((v1 + v2) * (v1 + v2)) / denominator : Number.POSITIVE_INFINITY;
}

/**
 * `after − before` for two independent runs' estimates of one policy: se = √(se₁² + se₂²), a Student-t interval
 * and p-value on the Welch–Satterthwaite df of the runs' `df` (normal when neither has one).
 *
 * @param alpha Two-sided level of the interval (0.05: a 95% interval).
 */
export function differenceOfRuns(before: RunEstimate, after: RunEstimate, alpha = 0.05): RunDifference {
  const difference = after.estimate - before.estimate;
  const se = Math.sqrt(before.se * before.se + after.se * after.se);
  const df = welchSatterthwaiteDf(before.se, before.df, after.se, after.df);
  const half = studentTQuantile(1 - alpha / 2, df) * se;
  const p_value = se > 0 ? 2 * studentTSf(Math.abs(difference / se), df) : difference === 0 ? 1 : 0;
  return { difference, se, df: Number.isFinite(df) ? df : null, ci: [difference - half, difference + half], p_value };
}

/** One policy of {@link compareRuns}: its difference, or why there is none. */
export type PolicyRunComparison =
  | { readonly policy: string; readonly comparable: true; readonly before: PolicyResult; readonly after: PolicyResult; readonly difference: RunDifference }
  | { readonly policy: string; readonly comparable: false; readonly before: PolicyResult | null; readonly after: PolicyResult | null; readonly reason: string };

/**
 * Every policy of either run, in the order first seen (the first run's policies, then new ones): the
 * difference {@link differenceOfRuns} of its estimates, or why they cannot be subtracted (missing in a run,
 * no estimate or standard error, different units or scales).
 *
 * @param alpha Two-sided level; defaults to the first run's `diagnostics.inference.alpha`.
 */
export function compareRuns(before: AnalysisResult, after: AnalysisResult, alpha = before.diagnostics.inference.alpha): PolicyRunComparison[] {
  const names = [...new Set([...before.policies.map((p) => p.policy), ...after.policies.map((p) => p.policy)])];
  return names.map((policy): PolicyRunComparison => {
    const b = before.policies.find((p) => p.policy === policy) ?? null;
    const a = after.policies.find((p) => p.policy === policy) ?? null;
    if (b === null || a === null)
      return { policy, comparable: false, before: b, after: a, reason: b === null ? "not in the first run" : "not in the second run" };
    const reason = incomparable(before, b, after, a);
    if (reason !== null) return { policy, comparable: false, before: b, after: a, reason };
    const difference = differenceOfRuns({ estimate: b.estimate!, se: b.se!, df: b.df }, { estimate: a.estimate!, se: a.se!, df: a.df }, alpha);
    return { policy, comparable: true, before: b, after: a, difference };
  });
}

function incomparable(before: AnalysisResult, b: PolicyResult, after: AnalysisResult, a: PolicyResult): string | null {
  if (b.estimate === null || b.se === null || a.estimate === null || a.se === null) return "no estimate or standard error in one of the runs";
  if (b.units !== a.units) return `different units (${b.units} vs ${a.units})`;
  const sb = b.units === "oracle" ? before.diagnostics.scales.oracle : before.diagnostics.scales.judge;
  const sa = a.units === "oracle" ? after.diagnostics.scales.oracle : after.diagnostics.scales.judge;
  if (sb === null || sa === null || sb.min !== sa.min || sb.max !== sa.max) return "different scales";
  return null;
}
