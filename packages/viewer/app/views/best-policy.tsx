/** The best policy and why: the raw winner, whether it was demoted for its flags, or why none can be named. */
import type { AnalysisResult } from "@cjeval/core";

/** The `best_policy` verdict of `result` in words. */
export function BestPolicy({ result }: { result: AnalysisResult }) {
  const best = result.best_policy;
  if (best === null) return <p class="verdict-box">No best policy is reported for this analysis.</p>;
  return (
    <section class="verdict-box" aria-labelledby="best-title">
      <h3 id="best-title">Best policy</h3>
      {best.best !== null ? (
        <p>
          <strong class="best-name">{best.best}</strong>{" "}
          {best.demoted ? (
            <>
              — the highest estimate belongs to <strong>{best.raw_best}</strong>, but it is demoted because it carries {best.raw_best_flags.join(", ")};{" "}
              <strong>{best.best}</strong> is the best policy without a flag.
            </>
          ) : (
            <>— the highest estimate, and it carries no flag.</>
          )}
        </p>
      ) : (
        <p>
          <strong>No best policy.</strong> {best.reason ?? (best.all_flagged ? "Every policy carries a flag." : "")} (Highest raw estimate: {best.raw_best}
          {best.raw_best_flags.length > 0 && `, flagged ${best.raw_best_flags.join(", ")}`}.)
        </p>
      )}
    </section>
  );
}
