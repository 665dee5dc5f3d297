import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { formatJsonl, readToLabel } from "@cjeval/oracle";
import { describe, expect, it } from "vitest";
import { bin } from "./run-cli.js";

// The attack: `cje label --host 0.0.0.0` served the items and took labels from anyone on the network. Off
// loopback the server now needs the token of the URL it prints, on every request (page, API, exports).

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return null;
}

async function toLabelFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-label-token-"));
  const file = path.join(dir, "to-label.jsonl");
  const rows = [1, 2].map((i) => ({
    item_id: `it${i}`,
    policy: "a",
    prompt_id: `q${i}`,
    draw_idx: 0,
    judge_score: 0.5,
    [ORACLE_INCLUSION_FIELD]: 0.5,
    design_weight: 2,
    prompt: `secret prompt ${i}`,
    response: `response ${i}`,
    oracle_label: null,
  }));
  await writeFile(file, formatJsonl(rows));
  return file;
}

/** Starts `cje label` bound to `host`; resolves with the printed URL, all stdout so far, and a stop function. */
async function serve(file: string, host: string): Promise<{ url: URL; stdout: () => string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, "label", file, "--port", "0", "--host", host], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      const match = /Open (http:\/\/\S+)/.exec(stdout);
      if (match !== null) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`cje label exited with ${code}: ${stdout}${stderr}`)));
  });
  return {
    url: new URL(url),
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      return exited;
    },
  };
}

const put = (url: URL, init: RequestInit = {}) =>
  fetch(url, { method: "PUT", ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) }, body: JSON.stringify({ label: 4 }) });

describe("cje label beyond loopback", () => {
  const external = externalAddress();
  // A real non-loopback address of this machine when it has one; else the wildcard, reached through 127.0.0.1.
  const bind = external ?? "0.0.0.0";

  it(`requires the printed token on every request when bound to ${bind}`, async () => {
    const file = await toLabelFile();
    const server = await serve(file, bind);
    try {
      const token = server.url.searchParams.get("token");
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(server.stdout().split(token as string)).toHaveLength(2); // printed once
      const base = new URL(`http://${external ?? "127.0.0.1"}:${server.url.port}/`);
      for (const pathname of ["/", "/api/state", "/export.csv", "/export.jsonl", "/nope"]) {
        expect((await fetch(new URL(pathname, base))).status, pathname).toBe(403);
        expect((await fetch(new URL(`${pathname}?token=wrong-${token}`, base))).status, pathname).toBe(403);
      }
      expect((await put(new URL("/api/labels/it1", base))).status).toBe(403);
      const stolen = await fetch(new URL("/api/state", base));
      expect(await stolen.text()).not.toContain("secret prompt");

      // The printed URL opens the page and sets the cookie the page's own requests then carry.
      const page = await fetch(new URL(`/?token=${token}`, base));
      expect(page.status).toBe(200);
      const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
      expect(page.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
      const state = await fetch(new URL("/api/state", base), { headers: { cookie } });
      expect(state.status).toBe(200);
      expect(await state.text()).toContain("secret prompt 1");
      expect((await fetch(new URL(`/export.csv?token=${token}`, base))).status).toBe(200);
      expect((await put(new URL("/api/labels/it1", base), { headers: { cookie } })).status).toBe(200);
      expect((await readToLabel(file)).rows.map((r) => r.oracle_label)).toEqual([4, null]);
      expect(server.stderr()).toMatch(/every request needs the token/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("binds 0.0.0.0 only with a token, also when reached through 127.0.0.1", async () => {
    const file = await toLabelFile();
    const server = await serve(file, "0.0.0.0");
    try {
      const token = server.url.searchParams.get("token");
      expect(token).not.toBeNull();
      const local = new URL(`http://127.0.0.1:${server.url.port}/`);
      expect((await fetch(new URL("/api/state", local))).status).toBe(403);
      expect((await fetch(new URL(`/api/state?token=${token}`, local))).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("keeps loopback as it was: no token", async () => {
    const file = await toLabelFile();
    const server = await serve(file, "127.0.0.1");
    try {
      expect(server.url.search).toBe("");
      expect((await fetch(new URL("/api/state", server.url))).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
