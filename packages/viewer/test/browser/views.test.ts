/**
 * The page from `file://` with an exported bundle (the Arena fresh draws with transport audits, a second Arena run
 * and a campaign): every view's numbers against the bundle, filtering, sorting and search in the rows, the prompt
 * side by side, the comparison of two runs, keyboard navigation, and each view at 1280 and 390 px.
 */
import { launchChromium } from "@cjeval/test-utils";
import { type AnalysisResult, FLAG_NEXT_STEPS, FLAG_REASONS } from "@cjeval/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareRuns, type ViewRows, type ViewRun } from "../../src/index.js";
import {
  arenaHalfRun,
  arenaRun,
  bundleOf,
  campaignRun,
  embedded,
  openPage,
  pageUrl,
  progress,
  screenshot,
  shown,
  shownInterval,
  site,
} from "./page-fixtures.js";

let browser: Browser;
let arena: ViewRun;
let half: ViewRun;
let dir: string;
let page: Page;
const errors: string[] = [];

const resultOf = (run: ViewRun): AnalysisResult => run.result!;
const rowsOf = (run: ViewRun): ViewRows => run.rows!;
const signedText = (x: number): string => (x > 0 ? `+${shown(x)}` : shown(x));

beforeAll(async () => {
  [arena, half] = await Promise.all([arenaRun(), arenaHalfRun()]);
  dir = site(embedded(bundleOf([arena, half, campaignRun(progress(100))])));
  browser = await launchChromium();
  page = await openPage(browser, 1280, errors);
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the page afresh at `hash` (a hash change alone would keep the page's state). */
async function go(hash: string): Promise<void> {
  await page.goto("about:blank");
  await page.goto(pageUrl(dir, hash));
  await page.locator("main h2").waitFor();
}

describe("Results", () => {
  it("shows one forest-plot row per policy with its estimate, interval and naive mean", async () => {
    await go("#/results?run=arena");
    const result = resultOf(arena);
    await expect(page.locator(".forest-table tbody tr").count()).resolves.toBe(result.policies.length);
    for (const p of result.policies) {
      const row = page.locator(`.forest-table tr[data-policy="${p.policy}"]`);
      await expect(row.locator(".estimate").textContent()).resolves.toContain(`${shown(p.estimate)} ${shownInterval(p.ci)}`);
      const naive = result.diagnostics.policies[p.policy].naive;
      await expect(row.locator(".naive").textContent()).resolves.toBe(`${shown(naive.estimate)} ${shownInterval(naive.ci)}`);
      await expect(row.locator(".interval-plot .mark-estimate .marker").count()).resolves.toBe(1);
      await expect(row.locator(".interval-plot .mark-naive .marker").count()).resolves.toBe(1);
      await expect(row.locator(".flag").allTextContents()).resolves.toEqual(p.flags.map((f) => `⚠ ${f}`));
    }
    await expect(page.locator(".forest figcaption").textContent()).resolves.toContain("95% intervals");
  });

  it("names the best policy and explains every flag with its next step", async () => {
    const result = resultOf(arena);
    await expect(page.locator(".best-name").textContent()).resolves.toBe(result.best_policy!.best);
    const flags = [...new Set(result.policies.flatMap((p) => p.flags))];
    expect(flags).toContain("LOW-LABEL-SUPPORT");
    expect(flags).toContain("TRANSPORT-FAIL");
    for (const flag of flags) {
      const section = page.locator(`#flag-${flag}`);
      await expect(section.locator(".reason").textContent()).resolves.toContain(FLAG_REASONS[flag]);
      await expect(section.locator(".next-step").textContent()).resolves.toContain(FLAG_NEXT_STEPS[flag]);
      const carriers = result.policies.filter((p) => p.flags.includes(flag)).map((p) => p.policy);
      await expect(section.locator(".carriers li strong").allTextContents()).resolves.toEqual(carriers);
    }
    const sparse = result.diagnostics.policies.unhelpful.label_support!.sparse_mass;
    await expect(page.locator("#flag-LOW-LABEL-SUPPORT .carriers").textContent()).resolves.toContain(`${Math.round(sparse * 100)}% of its judge scores`);
  });

  it("fills the comparisons matrix both ways, significance in words and shapes", async () => {
    const result = resultOf(arena);
    const alpha = result.diagnostics.inference.alpha;
    const n = result.policies.length;
    await expect(page.locator(".matrix td.cell").count()).resolves.toBe(n * (n - 1));
    for (const c of result.comparisons) {
      const cell = page.locator(`.matrix td[data-pair="${c.policy_a}|${c.policy_b}"]`);
      await expect(cell.locator(".difference").textContent()).resolves.toBe(signedText(c.difference));
      await expect(cell.locator(".ci").textContent()).resolves.toBe(shownInterval(c.ci));
      const significant = c.p_value < alpha;
      await expect(cell.locator(".verdict").textContent()).resolves.toBe(
        significant ? (c.difference > 0 ? "significantly higher" : "significantly lower") : "no significant difference",
      );
      await expect(cell.locator(".shape").textContent()).resolves.toBe(significant ? (c.difference > 0 ? "▲" : "▼") : "○");
      const reverse = page.locator(`.matrix td[data-pair="${c.policy_b}|${c.policy_a}"]`);
      await expect(reverse.locator(".difference").textContent()).resolves.toBe(signedText(-c.difference));
      if (c.flagged.length > 0) await expect(cell.locator(".flagged").textContent()).resolves.toContain("⚠");
    }
  });
});

describe("Calibration", () => {
  it("draws the curve over every labelled point and the label density", async () => {
    await go("#/calibration?run=arena");
    const calibration = arena.calibration!;
    const points = await page.locator(".calibration-chart polyline.curve").getAttribute("points");
    expect(points?.trim().split(" ")).toHaveLength(calibration.curve.length);
    const dots = await page.locator(".calibration-chart path.points").getAttribute("d");
    expect(dots?.match(/M/g)).toHaveLength(calibration.labelled.score.length);
    // Arena's analysis selects two-stage calibration: the page says why its curve need not be monotone.
    expect(calibration.mode).toBe("two_stage");
    expect(await page.locator(".two-stage-note").textContent()).toMatch(/monotone in a learned index/);
    const { all, labelled } = calibration.density;
    await expect(page.locator(".density-chart .bar-rows").count()).resolves.toBe(all.length);
    await expect(page.locator(".density-chart .bar-labelled").count()).resolves.toBe(all.length);
    const table = page.locator(".density-table tbody tr");
    const cells = await table.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(cells.map((c) => Number(c[1]))).toEqual(all);
    expect(cells.map((c) => Number(c[2]))).toEqual(labelled);
    const sparse = all.filter((n, i) => n > 0 && labelled[i] < 10).length;
    expect(sparse).toBeGreaterThan(0);
    await expect(page.locator(".density-chart .sparse-mark").count()).resolves.toBe(sparse);
    expect(cells.filter((c) => c[3] === "! sparse")).toHaveLength(sparse);
  });

  it("shows one policy's rows against the labels (where LOW-LABEL-SUPPORT comes from)", async () => {
    const rows = rowsOf(arena);
    const k = rows.policies.indexOf("unhelpful");
    const expected = new Array<number>(arena.calibration!.density.all.length).fill(0);
    rows.judge.forEach((s, i) => {
      if (rows.policy[i] === k) expected[Math.min(expected.length - 1, Math.floor(s * expected.length))]++;
    });
    await page.getByLabel("Rows of").selectOption({ label: "unhelpful" });
    const cells = await page.locator(".density-table tbody tr").evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll("td")[1].textContent)));
    expect(cells).toEqual(expected);
    await expect(page.locator(".density-chart figcaption").textContent()).resolves.toContain("unhelpful rows");
  });

  it("lists the transport audits", async () => {
    const result = resultOf(arena);
    for (const p of result.policies) {
      const t = result.diagnostics.policies[p.policy].transport!;
      const row = page.locator(`.transport tr[data-policy="${p.policy}"]`);
      await expect(row.locator(".status").textContent()).resolves.toContain(t.status);
      if (t.performed) await expect(row.textContent()).resolves.toContain(`${shown(t.delta_hat)} ${shownInterval(t.delta_ci)}`);
    }
    await expect(page.locator('.transport tr[data-policy="unhelpful"] .status').textContent()).resolves.toContain("FAIL");
  });
});

describe("Rows", () => {
  const countText = async (): Promise<string> => (await page.locator(".row-count strong").textContent()) ?? "";

  it("filters by policy and labels, searches text, and sorts by a column", async () => {
    await go("#/rows?run=arena");
    const rows = rowsOf(arena);
    await expect(countText()).resolves.toBe(rows.judge.length.toLocaleString("en-US"));
    await page.getByLabel("Policy").selectOption({ label: "unhelpful" });
    await expect.poll(countText).toBe(rows.policy.filter((p) => p === rows.policies.indexOf("unhelpful")).length.toLocaleString("en-US"));
    await page.getByLabel("Policy").selectOption({ label: "all" });
    await page.getByLabel("labelled only").check();
    await expect.poll(countText).toBe(String(rows.oracle.filter((o) => o !== null).length));
    await page.getByLabel("labelled only").uncheck();

    const word = "hammer";
    const hits = rows.judge.filter((_, i) =>
      [rows.prompts.id[rows.prompt[i]], rows.prompts.text[rows.prompt[i]] ?? "", rows.policies[rows.policy[i]], rows.response[i] ?? ""].some((t) =>
        t.toLowerCase().includes(word),
      ),
    ).length;
    expect(hits).toBeGreaterThan(0);
    await page.getByLabel("Search").fill("HAMMER");
    await expect.poll(countText).toBe(String(hits));
    await page.getByLabel("Search").fill("");
    await expect.poll(countText).toBe(rows.judge.length.toLocaleString("en-US"));

    const judge = page.locator("th", { has: page.getByRole("button", { name: /^Judge/ }) });
    await judge.getByRole("button").click();
    await expect(judge.getAttribute("aria-sort")).resolves.toBe("ascending");
    const first = async (): Promise<number> => Number(await page.locator(".rows-table tbody tr[data-row]").first().getAttribute("data-row"));
    expect(rows.judge[await first()]).toBe(Math.min(...rows.judge));
    await judge.getByRole("button").click();
    await expect(judge.getAttribute("aria-sort")).resolves.toBe("descending");
    expect(rows.judge[await first()]).toBe(Math.max(...rows.judge));
    const residual = page.getByRole("button", { name: /^Residual/ });
    await residual.click();
    const residuals = rows.residual.filter((r): r is number => r !== null);
    expect(rows.residual[await first()]).toBe(Math.min(...residuals));
  });

  it("moves through the rows with the keyboard and opens a prompt side by side with Enter", async () => {
    await go("#/rows?run=arena");
    const rows = rowsOf(arena);
    await page.locator('.rows-table tbody tr[data-pos="0"]').focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => page.evaluate("document.activeElement.dataset.pos")).toBe("2");
    await page.keyboard.press("End");
    await expect.poll(() => page.evaluate("document.activeElement.dataset.pos")).toBe(String(rows.judge.length - 1));
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const prompt = rows.prompt[1];
    const id = rows.prompts.id[prompt];
    await page.locator(".prompt-panel").waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`prompt=${id}`);
    await expect(page.locator("#prompt-title").textContent()).resolves.toContain(id);
    // The panel takes focus in an effect, after it paints: wait for it rather than read it once.
    await expect.poll(() => page.evaluate("document.activeElement.id")).toBe("prompt-title");
    const answers = rows.prompt.flatMap((p, i) => (p === prompt ? [i] : []));
    await expect(page.locator(".answer").count()).resolves.toBe(answers.length);
    await expect(page.locator(".answer h4").allTextContents()).resolves.toEqual(answers.map((i) => rows.policies[rows.policy[i]]));
    await expect(page.locator(".answer .response").first().textContent()).resolves.toBe(rows.response[answers[0]]);
    await expect(page.locator(".prompt-text").textContent()).resolves.toBe(rows.prompts.text[prompt]);
  });
});

describe("Compare", () => {
  it("shows per-policy differences of two runs as compareRuns computes them", async () => {
    await go("#/compare?a=arena&b=arena-half");
    const expected = compareRuns(resultOf(arena), resultOf(half));
    for (const r of expected) {
      const row = page.locator(`.compare-table tr[data-policy="${r.policy}"]`);
      if (!r.comparable) {
        await expect(row.textContent()).resolves.toContain("not comparable");
        continue;
      }
      await expect(row.locator(".difference").textContent()).resolves.toBe(`${signedText(r.difference.difference)} ${shownInterval(r.difference.ci)}`);
    }
    expect(expected.filter((r) => r.comparable)).toHaveLength(4);
    await page.getByLabel("Before").selectOption({ label: "arena (first 500 prompts)" });
    await page.waitForURL(/a=arena-half/);
    const same = compareRuns(resultOf(half), resultOf(half))[0];
    if (!same.comparable) throw new Error("base is in both runs");
    await expect
      .poll(() => page.locator('.compare-table tr[data-policy="base"] .difference').textContent())
      .toBe(`${shown(0)} ${shownInterval(same.difference.ci)}`);
  });
});

describe("Campaign", () => {
  it("shows each stage's progress", async () => {
    await go("#/campaign?run=campaign");
    await expect(page.locator('tr[data-stage="judge"] .done').textContent()).resolves.toBe("100");
    await expect(page.locator('tr[data-stage="judge"] .pending').textContent()).resolves.toBe("300");
    await expect(page.locator('tr[data-stage="generate"] .failed').textContent()).resolves.toBe("✗ 2");
  });
});

describe("Keyboard and layout", () => {
  it("reaches every view with Tab and Enter, with a visible focus ring", async () => {
    await go("#/results?run=arena");
    const reached: string[] = [];
    for (let i = 0; i < 12 && reached.length < 6; i++) {
      await page.keyboard.press("Tab");
      const view = (await page.evaluate("document.activeElement.dataset.view ?? ''")) as string;
      if (view !== "") {
        reached.push(view);
        await expect(page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).resolves.not.toBe("none");
      }
    }
    expect(reached).toEqual(["results", "calibration", "rows", "compare", "campaign", "drop"]);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/rows/);
    await expect.poll(() => page.locator("main h2").textContent()).toContain("Rows");
  });

  for (const width of [1280, 390]) {
    it(`lays every view out at ${width} px without horizontal overflow`, async () => {
      const narrow = await openPage(browser, width, errors);
      for (const view of ["results", "calibration", "rows", "compare", "campaign", "drop"]) {
        await narrow.goto(pageUrl(dir, `#/${view}${view === "campaign" ? "?run=campaign" : view === "compare" ? "" : "?run=arena"}`));
        await narrow.locator("main h2").waitFor();
        await screenshot(narrow, `${view}-${width}`);
        await expect(narrow.evaluate("document.documentElement.scrollWidth <= innerWidth"), `${view} at ${width} px`).resolves.toBe(true);
      }
      await narrow.close();
    });
  }

  it("raised no page error", () => {
    expect(errors).toEqual([]);
  });
});

describe("Without a valid bundle", () => {
  it("explains an invalid bundle", async () => {
    const bad = site(embedded({ schema_version: "cje-ts.view/v0", runs: "none" }));
    await page.goto(pageUrl(bad));
    const alert = page.getByRole("alert");
    await expect(alert.textContent()).resolves.toContain("view-data.js is not a valid view bundle");
    await expect(alert.textContent()).resolves.toContain("schema_version");
  });

  it("shows the drop zone when view-data.js is missing", async () => {
    await page.goto(pageUrl(site(null)));
    await expect(page.locator("main h2").textContent()).resolves.toBe("Drop files");
    await expect(page.getByLabel("Fresh-draw files").count()).resolves.toBe(1);
  });
});
