import { mkdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { headlessChromium } from "@cjeval/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatJsonl, LabelStore, parseCsv, readToLabel, scaleValues, startLabelServer, valueKeys, type LabelServer } from "../src/index.js";
import { toLabelFixture } from "./to-label-fixture.js";

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-artifacts");

let dir: string;
let file: string;
let server: LabelServer | null = null;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cje-label-"));
  file = path.join(dir, "to-label.jsonl");
  await writeFile(file, formatJsonl(toLabelFixture(5)));
});

afterEach(async () => {
  await server?.close();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<LabelServer> {
  server = await startLabelServer({ store: await LabelStore.open(file), scale: { min: 1, max: 5, step: 1 } });
  return server;
}

describe("the labelling page in headless Chromium", () => {
  it("labels three items by keyboard; after a reload the labels are there, on disk and in the export", async () => {
    const { url } = await start();
    const context = await headlessChromium();
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      await page.waitForSelector("body[data-ready=true]");
      expect(await page.textContent("#progress-text")).toBe("0 of 5 labelled");
      expect(await page.textContent("#prompt")).toBe("Question 1: what is 0 + 1?");
      await page.keyboard.press("4");
      await page.keyboard.press("2");
      await page.keyboard.press("5");
      await page.locator("#progress-text", { hasText: /^3 of 5 labelled$/ }).waitFor();

      await page.reload();
      await page.waitForSelector("body[data-ready=true]");
      expect(await page.textContent("#progress-text")).toBe("3 of 5 labelled");
      expect(await page.textContent("#position")).toBe("item 4 / 5");
      const shown: string[] = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press("ArrowLeft");
        shown.push((await page.textContent("#current-label")) ?? "");
      }
      expect(shown).toEqual(["= 5", "= 2", "= 4"]);
      expect(await page.getAttribute('#labels button[data-value="2"]', "aria-pressed")).toBe("false");
      await page.keyboard.press("n");
      expect(await page.textContent("#position")).toBe("item 4 / 5");

      const onDisk = (await readToLabel(file)).rows.map((r) => r.oracle_label);
      expect(onDisk).toEqual([4, 2, 5, null, null]);
      const exported = parseCsv(await (await page.request.get(new URL("/export.csv", url).toString())).text(), "export.csv");
      expect(exported[0].fields).toEqual(["item_id", "prompt", "response", "oracle_label"]);
      expect(exported.slice(1).map((r) => r.fields[3])).toEqual(["4", "2", "5", "", ""]);
      expect(exported[1].fields[2]).toBe('The answer is 1, "quoted", with a comma\nand a second line.');

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "label-page.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

function call(url: string, method: string, pathname: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const target = new URL(pathname, url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the labelling API", () => {
  it("accepts only labels on the grid, as JSON, for known items, from the bound host", async () => {
    const { url } = await start();
    expect((await call(url, "PUT", "/api/labels/item1", JSON.stringify({ label: 3.5 }))).status).toBe(400);
    expect((await call(url, "PUT", "/api/labels/item1", JSON.stringify({ label: 7 }))).status).toBe(400);
    expect((await call(url, "PUT", "/api/labels/item1", "not json")).status).toBe(400);
    expect((await call(url, "PUT", "/api/labels/nope", JSON.stringify({ label: 3 }))).status).toBe(404);
    expect((await call(url, "PUT", "/api/labels/item1", "label=3", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await call(url, "GET", "/api/state", undefined, { host: "evil.example:80" })).status).toBe(403);
    expect((await readToLabel(file)).rows.every((r) => r.oracle_label === null)).toBe(true);
    const ok = await call(url, "PUT", "/api/labels/item2", JSON.stringify({ label: 3 }));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ progress: { labelled: 1, total: 5 } });
    expect((await call(url, "PUT", "/api/labels/item2", JSON.stringify({ label: null }))).status).toBe(200);
    expect((await readToLabel(file)).rows[1].oracle_label).toBeNull();
  });

  it("persists every one of many concurrent labels before answering", async () => {
    const rows = toLabelFixture(40);
    await writeFile(file, formatJsonl(rows));
    const { url } = await start();
    const answers = await Promise.all(rows.map((r, i) => call(url, "PUT", `/api/labels/${r.item_id}`, JSON.stringify({ label: 1 + (i % 5) }))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await readToLabel(file)).rows.map((r) => r.oracle_label)).toEqual(rows.map((_, i) => 1 + (i % 5)));
  });
});

describe("label grid and shortcuts", () => {
  it("offers the grid values with digit keys", () => {
    expect(valueKeys(scaleValues({ min: 1, max: 5, step: 1 }))).toEqual(["1", "2", "3", "4", "5"]);
    expect(scaleValues({ min: 0, max: 1, step: 0.25 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(valueKeys([0, 0.25, 0.5, 0.75, 1])).toEqual(["1", "2", "3", "4", "5"]);
    expect(valueKeys(scaleValues({ min: 0, max: 10, step: 1 }))).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", null]);
    expect(() => scaleValues({ min: 1, max: 5, step: 3 })).toThrow(/step dividing the range/);
  });
});
