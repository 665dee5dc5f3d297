/**
 * In-browser analysis: fresh-draw files picked in the page (no bundle, from `file://`) are analysed there, and the
 * result the page saves equals core's `loadEvaluationData` + `analyze` in Node on the same files to 1e-12 — JSONL
 * files named by policy, the same rows as one multi-policy JSONL file and as one CSV with a policy column, and labels
 * from a separate calibration file.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AnalysisResult, analyze } from "@cjeval/core";
import { loadEvaluationData } from "@cjeval/core/node";
import { formatCsv } from "@cjeval/oracle";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARENA_DRAWS, openPage, pageUrl, site } from "./page-fixtures.js";
import { expectDeepClose, launchChromium } from "@cjeval/test-utils";

let browser: Browser;
let page: Page;
let dir: string;
const errors: string[] = [];
const arenaFiles = readdirSync(ARENA_DRAWS)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()
  .map((f) => path.join(ARENA_DRAWS, f));

beforeAll(async () => {
  dir = site(null);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Picks `files` (and `calibration`) in a fresh page, analyses them and returns the result the page saves. */
async function analyseInPage(files: string[], calibration?: string): Promise<AnalysisResult> {
  page = await openPage(browser, 1280, errors);
  await page.goto(pageUrl(dir, "#/drop"));
  await page.setInputFiles("#draw-files", files);
  if (calibration !== undefined) await page.setInputFiles("#calibration-file", calibration);
  await page.getByRole("button", { name: "Analyse in this page" }).click();
  await page.waitForURL(/#\/results\?run=dropped-1/, { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save result JSON" }).click()]);
  const result = JSON.parse(readFileSync(await download.path(), "utf8")) as AnalysisResult;
  await page.close();
  return result;
}

/** Every number within `tol`, everything else equal. */
/** The result without what names the input files (file names differ between a folder and dropped files). */
function numbers(result: AnalysisResult): unknown {
  const { dropped: _dropped, warnings: _warnings, ...diagnostics } = result.diagnostics;
  return { ...result, diagnostics };
}

describe("drop files", () => {
  it("analyses <policy>_responses.jsonl files as cje analyze does on their folder", async () => {
    const inPage = await analyseInPage(arenaFiles);
    const inNode = analyze(await loadEvaluationData([ARENA_DRAWS]));
    expect(inPage.policies.map((p) => p.policy)).toEqual(["base", "clone", "parallel_universe_prompt", "unhelpful"]);
    expectDeepClose(numbers(inPage), numbers(inNode), 1e-12);
    expect(inPage.diagnostics.warnings).toEqual(inNode.diagnostics.warnings);
  });

  it("analyses the same rows as one CSV with a policy column", async () => {
    const columns = ["policy", "prompt_id", "prompt", "response", "judge_score", "oracle_label", "draw_idx"];
    const rows = arenaFiles.flatMap((file) => {
      const policy = path.basename(file).replace(/_responses\.jsonl$/, "");
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          const r = JSON.parse(line) as Record<string, string | number | null | undefined>;
          return columns.map((c) => (c === "policy" ? policy : (r[c] ?? null)));
        });
    });
    const csv = path.join(mkdtempSync(path.join(tmpdir(), "cje-drop-")), "arena.csv");
    writeFileSync(csv, formatCsv(columns, rows));
    const inPage = await analyseInPage([csv]);
    const inNode = analyze(await loadEvaluationData([ARENA_DRAWS]));
    expectDeepClose(numbers(inPage), numbers(inNode), 1e-12);
  });

  it("analyses one multi-policy JSONL file (rows naming their policy) as cje analyze does on that file", async () => {
    const lines = arenaFiles.flatMap((file) => {
      const policy = path.basename(file).replace(/_responses\.jsonl$/, "");
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.stringify({ policy, ...(JSON.parse(line) as Record<string, unknown>) }));
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cje-drop-")), "arena.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const inPage = await analyseInPage([file]);
    const inNode = analyze(await loadEvaluationData([file]));
    expect(inPage.policies.map((p) => p.policy)).toEqual(["base", "clone", "parallel_universe_prompt", "unhelpful"]);
    expectDeepClose(numbers(inPage), numbers(inNode), 1e-12);
    expect(inPage.diagnostics.warnings).toEqual(inNode.diagnostics.warnings);
  });

  it("takes labels from a separate calibration file", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "cje-drop-"));
    const labels: string[] = [];
    for (const file of arenaFiles) {
      const target = path.join(folder, path.basename(file));
      if (!path.basename(file).startsWith("base_")) {
        copyFileSync(file, target);
        continue;
      }
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          const { oracle_label, ...rest } = JSON.parse(line) as Record<string, unknown>;
          if (oracle_label !== undefined && oracle_label !== null)
            labels.push(JSON.stringify({ prompt_id: rest.prompt_id, judge_score: rest.judge_score, oracle_label }));
          return JSON.stringify(rest);
        });
      writeFileSync(target, `${lines.join("\n")}\n`);
    }
    const calibration = path.join(mkdtempSync(path.join(tmpdir(), "cje-labels-")), "labels.jsonl");
    writeFileSync(calibration, `${labels.join("\n")}\n`);
    const files = readdirSync(folder)
      .sort()
      .map((f) => path.join(folder, f));
    const inPage = await analyseInPage(files, calibration);
    const inNode = analyze(await loadEvaluationData([folder], { calibrationFile: calibration }));
    expect(inPage.diagnostics.calibration?.n_from_calibration_file).toBe(labels.length);
    expectDeepClose(numbers(inPage), numbers(inNode), 1e-12);
  });

  it("names the dropped file and line of a bad row", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "cje-drop-"));
    const bad = path.join(folder, "broken_responses.jsonl");
    writeFileSync(bad, '{"prompt_id": "p1", "judge_score": 0.5}\n\n{"prompt_id": "p2", "judge_score": "high"}\n');
    page = await openPage(browser, 1280, errors);
    await page.goto(pageUrl(dir, "#/drop"));
    await page.setInputFiles("#draw-files", [bad]);
    await expect(page.locator(".file-list").textContent()).resolves.toContain("policy broken");
    await page.getByRole("button", { name: "Analyse in this page" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/broken_responses\.jsonl:3: field 'judge_score' = "high"/);
    await page.close();
  });

  it("raised no page error", () => {
    expect(errors).toEqual([]);
  });
});
