import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { headlessChromium } from "@cjeval/test-utils";
import { ARTIFACTS } from "./artifacts.js";
import { beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, renderReportHtml, reportData, runDemo, type ReportData } from "../../src/index.js";

let data: ReportData;
let html: string;
let htmlFile: string;

beforeAll(async () => {
  const outDir = await mkdtemp(path.join(tmpdir(), "cje-report-"));
  const { summary } = await runDemo({ prompts: 400, outDir });
  htmlFile = summary.paths.html;
  html = await readFile(htmlFile, "utf8");
  const store = openSqliteStore(summary.paths.store, { mode: "read" });
  data = (await reportData(store)) as ReportData;
  await store.close();
});

describe("HTML report", () => {
  it("is one self-contained page: no scripts, no external resources", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain("<h1>demo</h1>");
    expect(html).toContain("LOW-LABEL-SUPPORT");
  });

  it("says which rule set each range-support status and shows every policy's audit state next to its flags", () => {
    const statuses = data.analysis.policies.map((p) => data.analysis.diagnostics.policies[p.policy].range_support?.status);
    expect(statuses).toContain("CAUTION"); // the demo's calibrated values pile up at the reward bounds
    expect(html).toMatch(/CAUTION \(saturation: \d+\.\d% of calibrated values within 5% of the reward bounds/);
    expect(html).not.toMatch(/CAUTION \([\d.]+% outside/);
    // base calibrates the judge, so it has no probes; the other policies' audits are graded, each beside its flags.
    expect(html.match(/<span class="audit not-checked">NOT_CHECKED \(no probes\)<\/span><\/td><td>/g)).toHaveLength(1);
    expect(html.match(/<span class="audit (pass|inconclusive)">(PASS|INCONCLUSIVE): δ̂ [^<]*<\/span><\/td><td>/g)).toHaveLength(2);
    expect(html).toMatch(/<span class="audit fail">FAIL: δ̂ -[^<]*<\/span><\/td><td>/);
  });

  it("escapes every text it did not write itself", () => {
    const evil = "<img onerror=x>";
    const tampered: ReportData = {
      ...data,
      title: evil,
      analysis: { ...data.analysis, diagnostics: { ...data.analysis.diagnostics, warnings: [evil] } },
      failures: [{ stage: "judge", count: 1, examples: [evil] }],
    };
    const page = renderReportHtml(tampered);
    expect(page).not.toContain(evil);
    expect(page).toContain("&lt;img onerror=x&gt;");
  });

  it("renders the forest and calibration plots with one mark per estimate, truth and label group (headless Chromium)", async () => {
    const context = await headlessChromium();
    try {
      const page = await context.newPage();
      await page.goto(`file://${htmlFile}`);
      const policies = data.analysis.policies.length;
      expect(policies).toBe(4);
      expect(await page.locator("svg.forest .mark.naive").count()).toBe(policies);
      expect(await page.locator("svg.forest .mark.calibrated").count()).toBe(policies);
      expect(await page.locator("svg.forest .mark.truth").count()).toBe(policies);
      expect(await page.locator("svg.forest .mark.calibrated.flagged").getAttribute("data-policy")).toBe("flatterer");
      const pairs = new Set(data.labelled.map((p) => `${p.judge_score}|${p.oracle_label}`)).size;
      const points = page.locator("svg.calibration .label-point");
      expect(await points.count()).toBe(pairs);
      const counts = await points.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-count"))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(data.labelled.length);
      expect(data.labelled.length).toBe(60);
      expect(await page.locator("svg.calibration .calibration-curve").count()).toBe(1);
      // Marks are laid out inside the plot, not collapsed at the origin.
      const box = await page.locator("svg.forest .mark.truth").first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(5);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "campaign-report.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
