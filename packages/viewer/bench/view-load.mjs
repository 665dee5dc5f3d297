// Benchmark of the `cje view` page with 100,000 rows (25,000 simulated prompts × 4 policies, analysed by buildRun),
// opened from file:// in headless Chromium at the Rows view. Per load it prints, from navigation start:
//   - first rows: the rows table has rendered its first rows (bundle parsed and validated, page rendered);
//   - interactive: a sort by judge score, clicked as soon as the first rows were there, has re-rendered the table;
//   - scroll: after that, a scroll to the middle of the list has re-rendered the rows there (time of the scroll alone).
// Goal: interactive < 1 s. Figures only, no assertions; `--runs N` loads the page N times (default 5) and prints
// each load and the medians, since timings on a shared machine vary.
import { existsSync, mkdtempSync, copyFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { evaluationDataFromRecords } from "@cjeval/core";
import { simulateWorld } from "@cjeval/core/advanced";
import { buildRun, VIEW_SCHEMA_VERSION } from "@cjeval/viewer";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const page = path.resolve(here, "../dist/app/index.html");
const CHROMIUM = "/usr/bin/chromium";
const PROMPTS = 25_000;

const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag < 0 ? 5 : Number(process.argv[runsFlag + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");
if (!existsSync(page)) throw new Error(`${page} is missing: npm run build --workspace @cjeval/viewer`);
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: bash scripts/install-browser.sh`);

const policies = [
  { name: "base", shift: 0 },
  { name: "a", shift: 0.2 },
  { name: "b", shift: -0.1 },
  { name: "c", shift: 0.1 },
];
const world = simulateWorld({ policies, prompts: PROMPTS, oracleShare: 0.1, seed: 7 });
const run = buildRun({ id: "synthetic", label: "synthetic", kind: "fresh_draws", source: "simulated" }, evaluationDataFromRecords(world.records));
const bundle = { schema_version: VIEW_SCHEMA_VERSION, generated_at: new Date().toISOString(), cje_version: "bench", runs: [run] };
const dir = mkdtempSync(path.join(tmpdir(), "cje-view-bench-"));
copyFileSync(page, path.join(dir, "index.html"));
writeFileSync(path.join(dir, "view-data.js"), `globalThis.__CJE_VIEW__ = ${JSON.stringify(bundle)};\n`);
const url = `${pathToFileURL(path.join(dir, "index.html")).href}#/rows?run=synthetic`;
const sizeMb = statSync(path.join(dir, "view-data.js")).size / 1e6;

const FIRST_ROW = ".rows-table tbody tr[data-row]";

async function load(browser) {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tab.goto(url, { waitUntil: "commit" });
  const firstRows = await (
    await tab.waitForFunction(`document.querySelector(${JSON.stringify(FIRST_ROW)}) && performance.now()`, undefined, { polling: "raf", timeout: 60_000 })
  ).jsonValue();
  const before = await tab.evaluate(
    `(() => { const row = document.querySelector(${JSON.stringify(FIRST_ROW)}).dataset.row; [...document.querySelectorAll(".rows-table th button")].find((b) => b.textContent.startsWith("Judge")).click(); return row; })()`,
  );
  const interactive = await (
    await tab.waitForFunction(
      `document.querySelector(${JSON.stringify(FIRST_ROW)}).dataset.row !== ${JSON.stringify(before)} && performance.now()`,
      undefined,
      { polling: "raf" },
    )
  ).jsonValue();
  const scrollStart = await tab.evaluate(
    `(() => { const el = document.querySelector(".rows-scroll"); el.scrollTop = el.scrollHeight / 2; return performance.now(); })()`,
  );
  const scrolled = await (
    await tab.waitForFunction(
      `Number(document.querySelector(".rows-table tbody tr[data-pos]").dataset.pos) > ${PROMPTS * 2 - 100} && performance.now()`,
      undefined,
      { polling: "raf" },
    )
  ).jsonValue();
  await tab.close();
  return { firstRows, interactive, scroll: scrolled - scrollStart };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
try {
  console.log(
    `cje view page: ${run.rows.judge.length.toLocaleString("en-US")} rows, view-data.js ${sizeMb.toFixed(1)} MB, page ${(statSync(page).size / 1e3).toFixed(0)} kB`,
  );
  const loads = [];
  for (let i = 0; i < runs; i++) {
    const t = await load(browser);
    loads.push(t);
    console.log(
      `  load ${i + 1}: first rows ${t.firstRows.toFixed(0)} ms, interactive (sorted) ${t.interactive.toFixed(0)} ms, scroll ${t.scroll.toFixed(0)} ms`,
    );
  }
  const m = (key) => median(loads.map((t) => t[key])).toFixed(0);
  console.log(`  median of ${runs}: first rows ${m("firstRows")} ms, interactive ${m("interactive")} ms (goal < 1000 ms), scroll ${m("scroll")} ms`);
} finally {
  await browser.close();
}
