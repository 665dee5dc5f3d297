/**
 * The interval-efficiency table: coverage and mean width / ideal width (2 · 1.96 · SD of the
 * estimate across replications) per cell, Direct (analytic and default bootstrap, each paired
 * comparison on a second line) and stacked-DR, and
 * Direct analytic on the resampled Arena world (real judge → oracle pairs, test/helpers/arena-world.ts),
 * whose cells also print each policy's mean absolute width and bias in SDs of the estimate.
 * Run with `npx vitest run -c bench/vitest.config.ts` in packages/core (part of `npm run bench`);
 * REPS=… sets the replications per cell (default 200).
 */
import { it } from "vitest";
import { arenaCell, arenaTruth } from "../test/helpers/arena-world.js";
import { directCell, stackedDrCell, type Cell } from "../test/helpers/interval-grid.js";

const reps = Number(process.env.REPS ?? 200);

function line(label: string, cell: Cell): string {
  const parts = cell.policies.map((p) => `${p.policy} ${p.coverage.toFixed(3)} ×${p.widthRatio.toFixed(2)}`);
  const pairs = Number.isNaN(cell.wrongDirection) ? "" : ` | pairs: wrong ${cell.wrongDirection.toFixed(3)}, right ${cell.rightDirection.toFixed(3)}`;
  const each = cell.pairs.map((p) => `${p.pair} ${p.coverage.toFixed(3)} ×${p.widthRatio.toFixed(2)}`);
  const pairLine = each.length === 0 ? "" : `\n${"".padEnd(34)} comparisons: ${each.join(" | ")}`;
  return `${label.padEnd(34)} pooled ${cell.pooledCoverage.toFixed(3)} | ${parts.join(" | ")}${pairs}${pairLine}`;
}

/** The second line of an Arena cell: mean absolute interval width and bias (in SDs of the estimate) per policy. */
function widthLine(cell: Cell): string {
  const parts = cell.policies.map((p) => `${p.policy} ${p.meanWidth.toFixed(4)} (bias ${p.biasSd.toFixed(2)} SD)`);
  return `${"".padEnd(34)} mean width: ${parts.join(" | ")}`;
}

it("prints the interval-efficiency grid", { timeout: 3_600_000 }, () => {
  const out: string[] = [`coverage and width/ideal, ${reps} replications per cell (goal: coverage 0.93–0.97, width ≤ ×1.15)`];
  for (const n of [250, 1000, 4000]) {
    for (const share of [0.02, 0.05, 0.1, 0.25]) {
      const label = `Direct analytic n=${n} labels=${share * 100}% (${Math.round(n * share)})`;
      out.push(line(label, directCell({ n, share, reps, seed: 70_000 })));
    }
  }
  out.push(line("Direct analytic coarse judge n=1000 10%", directCell({ n: 1000, share: 0.1, reps, seed: 71_000, judgeSteps: 5 })));
  for (const share of [0.05, 0.25]) {
    out.push(
      line(
        `Direct bootstrap(B=500) n=1000 ${share * 100}%`,
        directCell({ n: 1000, share, reps: Math.min(reps, 100), seed: 72_000, inference: "bootstrap", replicates: 500 }),
      ),
    );
  }
  for (const n of [500, 1000]) {
    for (const share of [0.05, 0.25])
      out.push(line(`stacked-DR n=${n} labels=${share * 100}%`, stackedDrCell({ n, share, reps: Math.min(reps, 100), seed: 73_000 })));
  }
  const truth = Object.entries(arenaTruth()).map(([policy, value]) => `${policy} ${value.toFixed(4)}`);
  out.push(`Arena resampled (480 labelled base pairs; tilts exp(±3·S)), truth: ${truth.join(", ")}`);
  for (const n of [250, 1000]) {
    for (const share of [0.05, 0.1, 0.25]) {
      const cell = arenaCell({ n, share, reps, seed: 75_000 });
      out.push(line(`Arena resampled n=${n} labels=${share * 100}% (${Math.max(2, Math.round(n * share))})`, cell), widthLine(cell));
    }
  }
  console.log(out.join("\n"));
});
