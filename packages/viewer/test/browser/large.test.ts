/**
 * 100 000 rows (25 000 simulated prompts × 4 policies, analysed by buildRun): the rows table keeps only a window of
 * rows in the DOM, follows scrolling, sorts and filters the whole list, and the keyboard reaches its last row.
 */
import { launchChromium } from "@cjeval/test-utils";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViewRows, ViewRun } from "../../src/index.js";
import { bundleOf, embedded, openPage, pageUrl, site, syntheticRun } from "./page-fixtures.js";

let browser: Browser;
let page: Page;
let run: ViewRun;
let rows: ViewRows;
const errors: string[] = [];
const ROWS = 100_000;

beforeAll(async () => {
  run = syntheticRun(ROWS / 4);
  rows = run.rows!;
  const dir = site(embedded(bundleOf([run])));
  browser = await launchChromium();
  page = await openPage(browser, 1280, errors);
  await page.goto(pageUrl(dir, "#/rows?run=synthetic"));
  await page.locator(".rows-table tbody tr[data-row]").first().waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
});

const rendered = (): Promise<number[]> =>
  page.locator(".rows-table tbody tr[data-pos]").evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-pos"))));

describe("100k rows", () => {
  it("renders only a window of the rows", async () => {
    expect(rows.judge).toHaveLength(ROWS);
    await expect(page.locator(".row-count strong").textContent()).resolves.toBe("100,000");
    const positions = await rendered();
    expect(positions.length).toBeGreaterThan(5);
    expect(positions.length).toBeLessThan(80);
    expect(positions[0]).toBe(0);
    await expect(page.locator(".rows-table").getAttribute("aria-rowcount")).resolves.toBe(String(ROWS + 1));
  });

  it("follows scrolling to the middle of the list", async () => {
    await page.locator(".rows-scroll").evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await expect.poll(async () => (await rendered())[0]).toBeGreaterThan(ROWS / 2 - 100);
    const positions = await rendered();
    expect(positions.length).toBeLessThan(80);
    expect(positions.at(-1)).toBeLessThan(ROWS / 2 + 100);
  });

  it("sorts and filters the whole list", async () => {
    await page.getByRole("button", { name: /^Judge/ }).click();
    await page.getByRole("button", { name: /^Judge/ }).click();
    await expect
      .poll(async () => Number(await page.locator(".rows-table tbody tr[data-row]").first().getAttribute("data-row")))
      .toSatisfy((i: number) => rows.judge[i] === rows.judge.reduce((m, x) => (x > m ? x : m)));
    await page.getByLabel("labelled only").check();
    await expect.poll(() => page.locator(".row-count strong").textContent()).toBe(rows.oracle.filter((o) => o !== null).length.toLocaleString("en-US"));
    await page.getByLabel("labelled only").uncheck();
  });

  it("reaches the last row with End", async () => {
    await page.locator(".rows-table tbody tr[data-pos]").first().focus();
    await page.keyboard.press("End");
    await expect.poll(() => page.evaluate("document.activeElement.dataset.pos")).toBe(String(ROWS - 1));
    expect((await rendered()).length).toBeLessThan(80);
    expect(errors).toEqual([]);
  });
});
