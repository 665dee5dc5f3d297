// Benchmark of `cje analyze` (default inference: cluster bootstrap with calibrator refit, B = 2000).
//   1. the Chatbot Arena sample (4 policies × 1,000 prompts; goal < 1 s; the reference needs ~97 s);
//   2. a synthetic 1,000,000-row run (200,000 prompts × 5 policies, 5% of one policy labelled;
//      goal < 10 s and < 2 GB).
// Prints wall time (including process start and file reading) and peak RSS of each run; with
// `--runs N` each case runs N times and the medians (and the largest RSS) are printed, since
// timings on a shared machine vary from run to run.
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { simulateWorld } from "@cjeval/core/advanced";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
const arena = path.join(process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared"), "data", "arena_sample", "fresh_draws");

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag < 0 ? 1 : Number(process.argv[runsFlag + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");

function runOnce(label, args) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(here, "measured-run.mjs"), ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const outerMs = performance.now() - started;
  const lines = run.stderr.trim().split("\n");
  const stats = JSON.parse(lines[lines.length - 1]);
  if (stats.code !== 0) throw new Error(`${label} failed:\n${run.stderr}`);
  return { outerMs, wallMs: stats.wallMs, maxRssMb: stats.maxRssMb };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(label, args, goal) {
  const results = Array.from({ length: runs }, () => runOnce(label, args));
  const seconds = (ms) => (ms / 1000).toFixed(2);
  const all = runs > 1 ? `   runs ${results.map((r) => seconds(r.outerMs)).join(" ")} s` : "";
  console.log(
    `${label.padEnd(44)} wall ${seconds(median(results.map((r) => r.outerMs)))} s ` +
      `(analysis ${seconds(median(results.map((r) => r.wallMs)))} s)  ` +
      `peak RSS ${Math.max(...results.map((r) => r.maxRssMb)).toFixed(0)} MB   goal ${goal}${runs > 1 ? `   (median of ${runs})` : ""}${all}`,
  );
}

async function writeSyntheticMillion(dir) {
  const policies = [
    { name: "p0", shift: 0 },
    { name: "p1", shift: 0.1 },
    { name: "p2", shift: -0.1 },
    { name: "p3", shift: 0.2 },
    { name: "p4", shift: -0.3, judgeBias: 0.05 },
  ];
  const world = simulateWorld({ policies, prompts: 200_000, oracleShare: 0.05, seed: 1 });
  for (const policy of policies) {
    const stream = createWriteStream(path.join(dir, `${policy.name}_responses.jsonl`));
    for (const r of world.records) {
      if (r.policy !== policy.name) continue;
      const { prompt_id, judge_score, oracle_label } = r;
      stream.write(`${JSON.stringify(oracle_label === undefined ? { prompt_id, judge_score } : { prompt_id, judge_score, oracle_label })}\n`);
    }
    await new Promise((resolve) => stream.end(resolve));
  }
}

measure("arena_sample, bootstrap B=2000", ["analyze", arena], "< 1 s");
const dir = await mkdtemp(path.join(tmpdir(), "cje-bench-"));
try {
  await writeSyntheticMillion(dir);
  measure("synthetic 1,000,000 rows, bootstrap B=2000", ["analyze", dir], "< 10 s, < 2 GB");
} finally {
  await rm(dir, { recursive: true, force: true });
}
