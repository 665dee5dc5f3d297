import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { headlessChromium } from "@cjeval/test-utils";
import { ARTIFACTS } from "./artifacts.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, reportData, resolveCampaign, runCampaign, type ReportData } from "../../src/index.js";
import { DRIFTING_POLICY, startOpenAiWorld, trustCampaign, type OpenAiWorld } from "@cjeval/test-utils";

let world: OpenAiWorld;
let data: ReportData;
let htmlFile: string;

beforeAll(async () => {
  world = await startOpenAiWorld();
  const dir = await mkdtemp(path.join(tmpdir(), "cje-trust-report-"));
  const run = await runCampaign(resolveCampaign(trustCampaign(world, dir), { baseDir: dir }), { yes: true });
  htmlFile = run.paths.html;
  const store = openSqliteStore(run.paths.store, { mode: "read" });
  data = (await reportData(store)) as ReportData;
  await store.close();
});
afterAll(async () => world?.close());

describe("HTML report with transport audits and off-policy estimators", () => {
  it("draws one mark per target and estimator, the Direct marks beside them, and the probes (headless Chromium)", async () => {
    expect(data.offPolicy.map((r) => r.estimator)).toEqual(["stacked-dr", "calibrated-ips"]);
    const context = await headlessChromium();
    try {
      const page = await context.newPage();
      await page.goto(`file://${htmlFile}`);
      // The Direct forest plot is unchanged: one naive and one calibrated mark per policy.
      expect(await page.locator("svg.forest .mark.calibrated").count()).toBe(3);
      expect(await page.locator("svg.forest .mark.calibrated.flagged").getAttribute("data-policy")).toBe(DRIFTING_POLICY);
      // Off-policy plot: targets b and drift, one mark per estimator and the Direct mark.
      const offPolicy = page.locator("svg.off-policy .mark.off-policy");
      expect(await offPolicy.count()).toBe(2 * 2);
      const pairs = await offPolicy.evaluateAll((els) => els.map((el) => `${el.getAttribute("data-policy")}|${el.getAttribute("data-estimator")}`));
      expect(pairs.sort()).toEqual(["b|calibrated-ips", "b|stacked-dr", "drift|calibrated-ips", "drift|stacked-dr"]);
      expect(await page.locator("svg.off-policy .mark.direct").count()).toBe(2);
      expect(await page.locator("table").filter({ hasText: "ESS SIMCal" }).count()).toBe(2);
      // Probes on the calibration plot: 25 per audited policy, held apart from the 40 calibration labels.
      const probeCounts = await page.locator("svg.calibration .probe-point").evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-count"))));
      expect(probeCounts.reduce((a, b) => a + b, 0)).toBe(50);
      const labelCounts = await page.locator("svg.calibration .label-point").evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-count"))));
      expect(labelCounts.reduce((a, b) => a + b, 0)).toBe(40);
      // Audit states in the policy table, coloured by status.
      expect(await page.locator("span.audit.fail").first().textContent()).toMatch(/^FAIL: δ̂ -0\.3/);
      expect(await page.locator("span.audit.pass").count()).toBeGreaterThanOrEqual(1);
      const box = await page.locator("svg.off-policy .mark.off-policy circle").first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(5);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "trust-report.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
