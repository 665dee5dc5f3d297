// Start-up time of `cje --version` and `cje --help` against a bare `node -e 0`, as a ratio (goal: within 3×).
// Each command runs `--runs N` times (default 15, after 2 warm-ups) and the medians are compared, since timings on a
// shared machine vary from run to run. Runs the built CLI (build first). No assertion: it prints, and exits 0.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../bin/cje.js");
const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag < 0 ? 15 : Number(process.argv[runsFlag + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { encoding: "utf8" });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    if (i >= 2) samples.push(ms);
  }
  return median(samples);
}

const bare = time(["-e", "0"]);
console.log(`node -e 0        ${bare.toFixed(0).padStart(5)} ms`);
for (const flag of ["--version", "--help"]) {
  const ms = time([bin, flag]);
  console.log(`cje ${flag.padEnd(12)} ${ms.toFixed(0).padStart(5)} ms  ratio ${(ms / bare).toFixed(2)} (goal ≤ 3)`);
}
