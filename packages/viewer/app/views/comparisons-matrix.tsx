/**
 * Paired comparisons as a matrix: the cell in row A, column B holds estimate(A) − estimate(B) on shared prompts,
 * its interval and p-value. Significance is said in words and by a shape (▲ row higher, ▼ row lower, ○ no clear
 * difference), and a comparison involving a flagged policy carries ⚠.
 */
import type { AnalysisResult, ComparisonResult } from "@cjeval/core";
import { estimateScale } from "./forest-plot.js";
import { decimalsFor, interval, pValue, signed } from "../format.js";
import { ScrollTable } from "../table.js";

interface Cell {
  readonly difference: number;
  readonly ci: readonly [number, number];
  readonly p: number;
  readonly flagged: readonly string[];
}

function cellOf(comparisons: readonly ComparisonResult[], a: string, b: string): Cell | null {
  const direct = comparisons.find((c) => c.policy_a === a && c.policy_b === b);
  if (direct !== undefined) return { difference: direct.difference, ci: direct.ci, p: direct.p_value, flagged: direct.flagged };
  const reverse = comparisons.find((c) => c.policy_a === b && c.policy_b === a);
  if (reverse === undefined) return null;
  return { difference: -reverse.difference, ci: [-reverse.ci[1], -reverse.ci[0]], p: reverse.p_value, flagged: reverse.flagged };
}

/** The comparisons matrix of `result` (nothing when it has no comparisons). */
export function ComparisonsMatrix({ result }: { result: AnalysisResult }) {
  if (result.comparisons.length === 0) return <p>No paired comparisons (they need two policies answering shared prompts).</p>;
  const alpha = result.diagnostics.inference.alpha;
  const names = result.policies.map((p) => p.policy);
  const digits = Math.max(...result.policies.map((p) => decimalsFor(estimateScale(result, p))));
  return (
    <figure class="comparisons">
      <figcaption>
        Row minus column on shared prompts, {Math.round((1 - alpha) * 100)}% interval and p-value ({result.comparisons[0].method.replace("_", " ")}).{" "}
        <span class="key">▲ row significantly higher · ▼ row significantly lower · ○ no significant difference · ⚠ a flagged policy</span>
      </figcaption>
      <ScrollTable className="matrix" label="Comparisons matrix" head={[null, ...names]}>
        {names.map((a) => (
          <tr key={a}>
            <th scope="row">{a}</th>
            {names.map((b) => {
              if (a === b)
                return (
                  <td key={b} class="diagonal">
                    <span class="sr-only">same policy</span>
                  </td>
                );
              const cell = cellOf(result.comparisons, a, b);
              if (cell === null)
                return (
                  <td key={b} class="missing">
                    not compared
                  </td>
                );
              const significant = cell.p < alpha;
              const verdict = !significant ? "no significant difference" : cell.difference > 0 ? "significantly higher" : "significantly lower";
              const shape = !significant ? "○" : cell.difference > 0 ? "▲" : "▼";
              return (
                <td key={b} class={`cell ${significant ? "significant" : "not-significant"}`} data-pair={`${a}|${b}`}>
                  <span class="shape" aria-hidden="true">
                    {shape}
                  </span>{" "}
                  <span class="difference">{signed(cell.difference, digits)}</span> <span class="ci">{interval(cell.ci, digits)}</span>
                  <span class="p"> p {pValue(cell.p)}</span>
                  <span class="verdict">{verdict}</span>
                  {cell.flagged.length > 0 && <span class="flagged">⚠ {cell.flagged.join(", ")}</span>}
                </td>
              );
            })}
          </tr>
        ))}
      </ScrollTable>
    </figure>
  );
}
