import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema } from "@cjeval/core";
import { expectSuccess, runCli } from "./run-cli.js";

describe("cje report", () => {
  it("writes the HTML report and the analysis JSON of a campaign store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-report-cli-"));
    const campaign = path.join(dir, "demo");
    expectSuccess(await runCli(["demo", "--prompts", "300", "--out-dir", campaign]));
    const html = path.join(dir, "shared", "report.html");
    const json = path.join(dir, "shared", "results.json");
    const run = await runCli(["report", path.join(campaign, "campaign.sqlite"), "--html", html, "--json", json]);
    expectSuccess(run);
    expect(run.stdout).toMatch(/policy\s+estimate\s+95% CI/);
    expect(run.stdout).toContain(`Report: ${html}`);
    const page = await readFile(html, "utf8");
    expect(page).toContain('<svg class="forest"');
    expect(page).toContain('<svg class="calibration"');
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(json, "utf8")));
    expect(JSON.parse(await readFile(path.join(campaign, "results.json"), "utf8"))).toEqual(result);
  });

  it("says what is missing when there is no campaign or no store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-report-cli-"));
    const none = await runCli(["report"], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no campaign file here/);
    const missing = await runCli(["report", path.join(dir, "nope.sqlite")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.sqlite: no campaign store yet/);
    expectSuccess(await runCli(["init"], { cwd: dir }));
    const notRun = await runCli(["report"], { cwd: dir });
    expect(notRun.stderr).toMatch(/no campaign store yet: run the campaign first/);
  });
});
