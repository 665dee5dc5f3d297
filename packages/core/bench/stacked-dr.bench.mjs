// Wall time of stacked-DR with the OUA jackknife on the Arena sample (3 targets × 1,000 logged rows,
// fresh draws of 4 policies, 480 labels). Goal: < 2 s. Runs against dist/ (build first):
//   npx tsc -p tsconfig.build.json && node bench/stacked-dr.bench.mjs
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeOffPolicy } from "../dist/index.js";
import { loadEvaluationData, loadLoggedData } from "../dist/node.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.CJE_SHARED_DIR ?? path.resolve(here, "../../../../shared");
const arena = path.join(shared, "data", "arena_sample");
const runs = Number(process.env.RUNS ?? 5);

const t0 = performance.now();
const fresh = await loadEvaluationData([path.join(arena, "fresh_draws")]);
const logged = await loadLoggedData(path.join(arena, "logged_data.jsonl"), { judgeScale: fresh.judgeScale.scale });
const loadMs = performance.now() - t0;

const times = [];
let result;
for (let r = 0; r < runs; r++) {
  const start = performance.now();
  result = analyzeOffPolicy(logged, fresh, { estimator: "stacked-dr" });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(`load (fresh draws + logged data): ${loadMs.toFixed(0)} ms`);
console.log(
  `stacked-dr with OUA, ${runs} runs: median ${times[Math.floor(runs / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms (goal < 2000 ms)`,
);
for (const p of result.policies) {
  console.log(`  ${p.policy.padEnd(26)} ${p.estimate.toFixed(3)} [${p.ci[0].toFixed(3)}, ${p.ci[1].toFixed(3)}] ${p.flags.join(",")}`);
}
