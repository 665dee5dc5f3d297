/**
 * The page served the way `cje view` serves it, by a stand-in server on 127.0.0.1: `view-data.js` says "served",
 * the page reads its token from the URL, sends it in `x-cje-token` for `GET /api/view` and as `?token=` for the
 * event stream `/api/live`; `progress` and `run` events update the page without a reload.
 */
import { launchChromium } from "@cjeval/test-utils";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViewRun } from "../../src/index.js";
import { bundleOf, campaignRun, openPage, PAGE, progress, syntheticRun } from "./page-fixtures.js";

const TOKEN = "s3cret";

let server: Server;
let base: string;
let browser: Browser;
let page: Page;
const seen: { viewToken: string | undefined; liveUrl: string | undefined } = { viewToken: undefined, liveUrl: undefined };
const streams: ServerResponse[] = [];
let analysed: ViewRun;

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", base);
  if (url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(readFileSync(PAGE));
  } else if (url.pathname === "/view-data.js") {
    res.writeHead(200, { "content-type": "text/javascript" }).end("globalThis.__CJE_SERVER__ = true;\n");
  } else if (url.pathname === "/api/view") {
    seen.viewToken = req.headers["x-cje-token"] as string | undefined;
    if (seen.viewToken !== TOKEN) res.writeHead(401).end();
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(bundleOf([campaignRun(progress(100))])));
  } else if (url.pathname === "/api/live") {
    seen.liveUrl = req.url;
    if (url.searchParams.get("token") !== TOKEN) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(": connected\n\n");
    streams.push(res);
  } else {
    res.writeHead(404).end();
  }
}

function send(event: string, data: unknown): void {
  for (const s of streams) s.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

beforeAll(async () => {
  analysed = syntheticRun(200);
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const s of streams) s.end();
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("served by cje view", () => {
  it("loads the bundle with the token and follows the campaign live, without a reload", async () => {
    const errors: string[] = [];
    page = await openPage(browser, 1280, errors);
    await page.goto(`${base}/?token=${TOKEN}#/campaign?run=campaign`);
    const done = page.locator('tr[data-stage="judge"] .done');
    await expect.poll(() => done.textContent()).toBe("100");
    expect(seen.viewToken).toBe(TOKEN);
    expect(seen.liveUrl).toBe(`/api/live?token=${TOKEN}`);
    await expect.poll(() => page.locator(".live").textContent()).toContain("live");

    await page.evaluate("globalThis.__sameDocument = true");
    send("progress", { run_id: "campaign", campaign: progress(250) });
    await expect.poll(() => done.textContent()).toBe("250");
    await expect(page.locator('tr[data-stage="judge"] .pending').textContent()).resolves.toBe("150");
    await expect(page.locator(".total-cost").textContent()).resolves.toBe("$0.7500");

    send("run", { ...analysed, id: "campaign", label: "demo campaign", kind: "campaign", campaign: progress(400) });
    await expect.poll(() => done.textContent()).toBe("400");
    await page.getByRole("link", { name: "Results" }).click();
    await expect.poll(() => page.locator(".forest-table tbody tr").count()).toBe(analysed.result!.policies.length);
    await expect(page.evaluate("globalThis.__sameDocument")).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it("says why it cannot load without the token", async () => {
    const denied = await openPage(browser, 1280, []);
    await denied.goto(`${base}/#/results`);
    const alert = denied.getByRole("alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain("answered 401");
    await denied.close();
  });
});
