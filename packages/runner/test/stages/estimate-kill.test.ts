import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CAMPAIGN_SNAPSHOT_META } from "../../src/report/snapshot.js";
import { CURRENT_ESTIMATE_META } from "../../src/stages/estimate.js";
import { openSqliteStore, type StageName } from "../../src/index.js";
import { CURRENT_OFF_POLICY_META } from "../../src/stages/off-policy.js";

// A campaign (estimate-child.mjs, from the built package) SIGKILLed during the estimate stage — while the
// analyses run, right after they are stored, and while the rows, result files and report are written — and
// resumed: the outputs are never half-written, and the last run ends with the store and the result files of
// an uninterrupted run.

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "estimate-child.mjs");
const STAGES: readonly StageName[] = ["generate", "judge", "logprobs", "sample", "label", "estimate"];

type Marker = "ESTIMATE-START" | "ESTIMATE-DONE" | "RENAMING";

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Milliseconds from each marker to the process's exit. */
  readonly sinceMarker: Partial<Record<Marker, number>>;
}

/** Runs the campaign in `dir`, SIGKILLing it `delayMs` after `kill.at` is printed (`RENAMING`: renames are slowed down). */
function runChild(dir: string, kill?: { at: Marker; delayMs: number }): Promise<Finished> {
  const env = { ...process.env, CJE_CHILD_SLOW_RENAME: kill?.at === "RENAMING" ? "1" : "0" };
  const child = spawn(process.execPath, [CHILD, dir], { stdio: ["ignore", "pipe", "pipe"], env });
  const seen: Partial<Record<Marker, number>> = {};
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.on("data", (c: Buffer) => {
    for (const marker of ["ESTIMATE-START", "ESTIMATE-DONE", "RENAMING"] as const) {
      if (!c.toString().includes(marker) || seen[marker] !== undefined) continue;
      seen[marker] = performance.now();
      if (kill?.at === marker) setTimeout(() => child.kill("SIGKILL"), kill.delayMs);
    }
  });
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      const end = performance.now();
      const sinceMarker = Object.fromEntries(Object.entries(seen).map(([m, t]) => [m, end - (t as number)]));
      resolve({ code, signal, stderr, sinceMarker });
    }),
  );
}

/** The store through its API: every unit's state and result, usage, and the metadata the report reads (no attempt counters). */
async function dumpStore(file: string): Promise<unknown> {
  const store = openSqliteStore(file, { mode: "read" });
  try {
    const stages: Record<string, unknown> = {};
    for (const stage of STAGES) {
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      stages[stage] = { states: (await store.unitStates(stage)).sort(byKey), results: (await store.results(stage)).sort(byKey) };
    }
    const meta = Object.fromEntries(
      await Promise.all([CAMPAIGN_SNAPSHOT_META, CURRENT_ESTIMATE_META, CURRENT_OFF_POLICY_META].map(async (k) => [k, await store.getMeta(k)])),
    );
    return { stages, meta, usage: await store.usage(), counts: await store.stageCounts() };
  } finally {
    await store.close();
  }
}

/** Every file under `dir` (relative paths), the store's own files aside. */
async function outputFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith("campaign.sqlite"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Each output present is whole: JSON that parses and equals the reference's, JSONL lines equal to the reference's, a complete page. */
async function expectWholeOutputs(out: string, reference: string): Promise<void> {
  for (const file of await outputFiles(out)) {
    if (file.endsWith(".tmp")) continue; // a temporary file of a killed write (never read as an output)
    const text = await readFile(path.join(out, file), "utf8");
    if (file.endsWith(".html")) {
      expect(text.startsWith("<!doctype html>") && text.endsWith("</html>\n"), file).toBe(true);
    } else {
      expect(text, file).toBe(await readFile(path.join(reference, file), "utf8"));
    }
  }
}

/** Analyses stored in the campaign's store. */
async function storedEstimates(out: string): Promise<number> {
  const store = openSqliteStore(path.join(out, "campaign.sqlite"), { mode: "read" });
  try {
    return (await store.results("estimate")).length;
  } finally {
    await store.close();
  }
}

describe("a campaign killed during the estimate stage", () => {
  it("resumes to the store and result files of an uninterrupted run, and never leaves an output half-written", async () => {
    const referenceDir = await mkdtemp(path.join(tmpdir(), "cje-estimate-ref-"));
    const reference = await runChild(referenceDir);
    expect(reference.code, reference.stderr).toBe(0);
    const refOut = path.join(referenceDir, "out");
    const refFiles = await outputFiles(refOut);
    expect(refFiles).toEqual(
      expect.arrayContaining([
        "results.json",
        "results.stacked-dr.json",
        "results.mrdr.json",
        "report.html",
        "logged_data.jsonl",
        path.join("probes", "b_probe.jsonl"),
      ]),
    );
    // Measured on this machine: how long the analyses take, and how long writing the outputs takes after them.
    const writing = Math.max(5, reference.sinceMarker["ESTIMATE-DONE"] ?? 0);
    const analysing = Math.max(50, (reference.sinceMarker["ESTIMATE-START"] ?? 0) - writing);
    const analyses = await storedEstimates(refOut);
    expect(analyses).toBe(3); // Direct, stacked-dr, mrdr

    const dir = await mkdtemp(path.join(tmpdir(), "cje-estimate-killed-"));
    const out = path.join(dir, "out");
    // While the analyses run (bootstrap, off-policy), then right after they are stored and while the outputs are
    // written — once for certain between a temporary file and its rename.
    const plan: { at: Marker; delayMs: number }[] = [
      { at: "ESTIMATE-START", delayMs: analysing * 0.2 },
      { at: "ESTIMATE-START", delayMs: analysing * 0.5 },
      { at: "RENAMING", delayMs: 50 },
      { at: "ESTIMATE-DONE", delayMs: 0 },
      { at: "ESTIMATE-DONE" as const, delayMs: writing * 0.25 },
      { at: "ESTIMATE-DONE" as const, delayMs: writing * 0.5 },
      { at: "ESTIMATE-DONE" as const, delayMs: writing * 0.75 },
    ];
    let killed = 0;
    let killedDuringAnalyses = 0;
    let killedAfterStored = 0;
    let leftTemps = 0;
    for (const kill of plan) {
      const finished = await runChild(dir, kill);
      if (finished.signal === "SIGKILL") {
        killed++;
        if ((await storedEstimates(out)) < analyses) killedDuringAnalyses++;
        else if (kill.at !== "ESTIMATE-START") killedAfterStored++;
        if (kill.at === "RENAMING") leftTemps += (await outputFiles(out)).filter((f) => f.endsWith(".tmp")).length;
      } else {
        expect(finished.code, finished.stderr).toBe(0);
      }
      if (existsSync(out)) await expectWholeOutputs(out, refOut);
    }
    expect(killedDuringAnalyses).toBeGreaterThanOrEqual(2);
    expect(killedAfterStored).toBeGreaterThanOrEqual(2);
    expect(leftTemps).toBe(1);
    expect(killed).toBeGreaterThanOrEqual(3);

    const last = await runChild(dir);
    expect(last.code, last.stderr).toBe(0);
    expect(await dumpStore(path.join(out, "campaign.sqlite"))).toEqual(await dumpStore(path.join(refOut, "campaign.sqlite")));
    expect(await outputFiles(out)).toEqual(refFiles); // no temporary file of a killed write is left behind
    await expectWholeOutputs(out, refOut);
    for (const file of refFiles.filter((f) => f.endsWith(".json"))) {
      expect(JSON.parse(await readFile(path.join(out, file), "utf8")), file).toEqual(JSON.parse(await readFile(path.join(refOut, file), "utf8")));
    }
  });
});
