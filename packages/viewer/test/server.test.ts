import { readFile } from "node:fs/promises";
import path from "node:path";
import { openSqliteStore } from "@cjeval/runner";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CampaignProgressSchema, ViewBundleSchema, ViewRunSchema } from "../src/index.js";
import { APP_PAGE_FILE, SERVED_VIEW_DATA, startViewer, TOKEN_HEADER, type Viewer } from "../src/node.js";
import { demoProject } from "./helpers/fixtures.js";
import { openEvents, request, type SseStream } from "./helpers/http.js";

let project: { cwd: string; campaignDir: string };
let viewer: Viewer | undefined;
let stream: SseStream | undefined;

beforeAll(async () => {
  project = await demoProject();
});
afterEach(async () => {
  stream?.close();
  await viewer?.close();
  viewer = stream = undefined;
});

const portOf = (v: Viewer) => Number(new URL(v.url).port);

describe("on loopback (the default)", () => {
  it("serves the built page, the served-mode data script and the bundle, without a token", async () => {
    viewer = await startViewer({ cwd: project.cwd });
    const port = portOf(viewer);
    expect(viewer.url).toBe(`http://127.0.0.1:${port}/`);
    expect(viewer.token).toBeNull();
    const page = await request(port, "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body.equals(await readFile(APP_PAGE_FILE))).toBe(true);
    const data = await request(port, "/view-data.js");
    expect(data.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(data.body.toString()).toBe(SERVED_VIEW_DATA);
    const api = await request(port, "/api/view");
    expect(api.status).toBe(200);
    expect(api.headers["cache-control"]).toBe("no-store");
    const bundle = ViewBundleSchema.parse(JSON.parse(api.body.toString()));
    expect(bundle.runs.map((r) => [r.id, r.kind])).toEqual([["demo", "campaign"]]);
    expect(bundle.runs[0].rows?.judge.length).toBeGreaterThan(0);
    expect((await request(port, "/nothing")).status).toBe(404);
    expect((await request(port, "/api/nothing")).status).toBe(404);
    expect((await request(port, "/api/view", {}, "POST")).status).toBe(405);
  });

  it("answers only requests addressed to its own host and port (DNS rebinding)", async () => {
    viewer = await startViewer({ cwd: project.cwd });
    const port = portOf(viewer);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) expect((await request(port, "/api/view", { host })).status).toBe(200);
    for (const host of ["attacker.example", `attacker.example:${port}`, `127.0.0.1:${port + 1}`, "localhost"]) {
      for (const url of ["/", "/view-data.js", "/api/view"]) expect((await request(port, url, { host })).status, `${host}${url}`).toBe(403);
    }
  });

  it("requires the token it is given on loopback too", async () => {
    viewer = await startViewer({ cwd: project.cwd, token: "a-token-of-my-own-choosing" });
    expect(viewer.url).toMatch(/\/\?token=a-token-of-my-own-choosing$/);
    expect((await request(portOf(viewer), "/api/view")).status).toBe(403);
    expect((await request(portOf(viewer), "/api/view", { [TOKEN_HEADER]: "a-token-of-my-own-choosing" })).status).toBe(200);
    await expect(startViewer({ cwd: project.cwd, token: "short" })).rejects.toThrow(/token.*at least 16 characters/);
  });
});

describe("bound beyond loopback", () => {
  it("requires a random access token on the API, compared whole; the page and its script need none", async () => {
    // Bound to every interface; the test talks to it on 127.0.0.1 only.
    viewer = await startViewer({ cwd: project.cwd, host: "0.0.0.0" });
    const port = portOf(viewer);
    const token = viewer.token!;
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(viewer.url).toMatch(new RegExp(`:${port}/\\?token=${token}$`));
    expect((await request(port, "/api/view")).status).toBe(403);
    expect((await request(port, "/api/live")).status).toBe(403);
    expect((await request(port, "/api/view", { [TOKEN_HEADER]: `${token}x` })).status).toBe(403);
    expect((await request(port, "/api/view", { [TOKEN_HEADER]: token.slice(0, -1) })).status).toBe(403);
    expect((await request(port, `/api/view?token=${token.slice(1)}`)).status).toBe(403);
    expect((await request(port, "/api/view", { [TOKEN_HEADER]: token })).status).toBe(200);
    expect((await request(port, `/api/view?token=${token}`)).status).toBe(200);
    expect((await request(port, "/")).status).toBe(200);
    expect((await request(port, "/view-data.js")).status).toBe(200);
    const other = await startViewer({ cwd: project.cwd, host: "0.0.0.0" });
    try {
      expect(other.token).not.toBe(token);
    } finally {
      await other.close();
    }
  });
});

describe("live campaign progress", () => {
  let store: ReturnType<typeof openSqliteStore> | undefined;
  afterAll(async () => {
    await store?.close();
  });

  it("pushes progress when the campaign's store changes and the whole run when its analysis changes, and ends the stream on close", async () => {
    viewer = await startViewer({ cwd: project.cwd, pollMs: 50 });
    const port = portOf(viewer);
    stream = await openEvents(port, "/api/live");
    expect(stream.status).toBe(200);
    // On connecting: the progress as it stands.
    const first = await stream.next((e) => e.event === "progress");
    expect(JSON.parse(first.data)).toMatchObject({ run_id: "demo", campaign: { name: "demo" } });

    // A run of the campaign registers new units (here: written to the store directly, as a runner would).
    store = openSqliteStore(path.join(project.campaignDir, "campaign.sqlite"));
    await store.registerUnits([
      { key: "view-test-1", stage: "generate", policy: "base", promptId: "extra-1" },
      { key: "view-test-2", stage: "generate", policy: "base", promptId: "extra-2" },
    ]);
    const pendingGenerations = (data: string) => CampaignProgressSchema.parse(JSON.parse(data).campaign).stages.find((s) => s.stage === "generate")?.pending;
    const moved = await stream.next((e) => e.event === "progress" && pendingGenerations(e.data) === 2);
    expect(JSON.parse(moved.data).run_id).toBe("demo");
    // The bundle served from now on carries it too.
    const bundle = ViewBundleSchema.parse(JSON.parse((await request(port, "/api/view")).body.toString()));
    expect(bundle.runs[0].campaign?.stages.find((s) => s.stage === "generate")?.pending).toBe(2);

    // A new analysis is stored: the whole run is sent again.
    const [estimate] = await store.results("estimate");
    await store.registerUnits([{ key: "view-test-estimate", stage: "estimate", policy: null, promptId: null }]);
    await store.beginAttempt("view-test-estimate");
    await store.completeAttempt("view-test-estimate", { value: estimate.value });
    const run = ViewRunSchema.parse(JSON.parse((await stream.next((e) => e.event === "run")).data));
    expect(run.id).toBe("demo");
    expect(run.campaign?.stages.find((s) => s.stage === "estimate")?.done).toBe(bundle.runs[0].campaign!.stages.find((s) => s.stage === "estimate")!.done + 1);
    expect(run.rows?.judge.length).toBe(bundle.runs[0].rows?.judge.length);

    await viewer.close();
    viewer = undefined;
    await stream.ended;
  });
});
