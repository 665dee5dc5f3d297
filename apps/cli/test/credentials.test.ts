import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type GatedWorld, runCliWith, smallCampaign, startGatedWorld } from "./gated-world.js";

// The attack: credentials inside a provider's baseURL (`user:password@`, `?api_key=`) were stored verbatim in
// the campaign snapshot of the store, and so in everything built from it. They are now redacted wherever a
// URL is recorded or shown: the store (snapshot, failures), the report, the results, status, the viewer's export and the logs.

const SECRETS = ["hunter2-PASSWORD", "alice-USER", "QUERY-SECRET-123"];

let gated: GatedWorld | undefined;
afterEach(async () => {
  await gated?.close();
  gated = undefined;
});

/** Every file under `dir` (the campaign file itself excepted) that contains one of the secrets. */
async function filesWithSecrets(dir: string, except: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, name);
    if (file === except || !(await stat(file)).isFile()) continue;
    const bytes = await readFile(file);
    if (SECRETS.some((s) => bytes.includes(s))) found.push(name);
  }
  return found;
}

describe("credentials in a provider baseURL", () => {
  it("never reach the store, the report, the results, status, the viewer's export or the logs", async () => {
    gated = await startGatedWorld();
    gated.open();
    const dir = await mkdtemp(path.join(tmpdir(), "cje-credentials-"));
    const config = path.join(dir, "cje.config.json");
    const port = new URL(gated.baseURL).port;
    const leaky = `https://${SECRETS[1]}:${SECRETS[0]}@127.0.0.1:${port}/v1?api_key=${SECRETS[2]}&region=eu`;
    const out = path.join(dir, "out");
    const campaign = (bProvider: string) => {
      const base = smallCampaign(out, gated?.baseURL as string) as { providers: Record<string, unknown>; policies: Array<{ provider: string }> };
      return {
        ...base,
        providers: { ...base.providers, proxy: { type: "openai", baseURL: leaky, concurrency: 1, maxRetries: 0 } },
        policies: base.policies.map((p, i) => (i === 1 ? { ...p, provider: bProvider } : p)),
      };
    };
    const logs: string[] = [];

    // Policy b on the credentialed endpoint: its calls fail (TLS against a plain loopback server).
    await writeFile(config, JSON.stringify(campaign("proxy")));
    const failing = await runCliWith(["run", config, "--yes"], { OPENAI_API_KEY: "sk-test-key-0123456789abcdefghij" });
    expect(failing.code).toBe(2);
    logs.push(failing.stdout, failing.stderr);
    // Then on the plain one: the campaign completes, with the credentialed provider still defined.
    await writeFile(config, JSON.stringify(campaign("local")));
    const done = await runCliWith(["run", config, "--yes"], { OPENAI_API_KEY: "sk-test-key-0123456789abcdefghij" });
    expect(done.stderr).not.toMatch(/cje: /);
    expect(done.code).toBe(0);
    logs.push(done.stdout, done.stderr);
    const status = await runCliWith(["status", path.join(out, "campaign.sqlite")]);
    const statusJson = await runCliWith(["status", path.join(out, "campaign.sqlite"), "--json"]);
    const report = await runCliWith(["report", config]);
    const view = await runCliWith(["view", config, "--export", path.join(dir, "view")]);
    expect(view.code).toBe(0);
    logs.push(status.stdout, status.stderr, statusJson.stdout, report.stdout, report.stderr, view.stdout, view.stderr);

    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(["campaign.sqlite", "report.html", "results.json"]));
    expect(await filesWithSecrets(dir, config)).toEqual([]);
    for (const log of logs) for (const secret of SECRETS) expect(log).not.toContain(secret);
    // The endpoint itself stays on record, its credentials replaced.
    const store = await readFile(path.join(out, "campaign.sqlite"));
    expect(store.includes(`https://***:***@127.0.0.1:${port}/v1?api_key=***&region=eu`)).toBe(true);
  });
});
