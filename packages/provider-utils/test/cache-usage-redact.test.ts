import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryCache } from "../src/cache.js";
import { FileCache } from "../src/file-cache.js";
import { redactSecrets } from "../src/redact.js";
import { canonicalJson, requestKey } from "../src/request-key.js";
import { priceFor } from "../src/prices.js";
import { UsageTracker } from "../src/usage.js";

describe("requestKey", () => {
  it("ignores key order and undefined members but not values", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(requestKey({ a: 1, b: 2 })).toBe(requestKey({ b: 2, a: 1 }));
    expect(requestKey({ a: 1 })).not.toBe(requestKey({ a: 2 }));
    expect(requestKey({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("caches", () => {
  it("MemoryCache stores copies", async () => {
    const cache = new MemoryCache();
    const value = { text: "hi", n: [1] };
    await cache.set("k", value);
    value.n.push(2);
    expect(await cache.get("k")).toEqual({ text: "hi", n: [1] });
    expect(await cache.get("missing")).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("FileCache round-trips, leaves no temp files and treats corrupt entries as misses", async () => {
    const folder = await mkdtemp(join(tmpdir(), "cje-cache-"));
    const cache = new FileCache(folder);
    const key = requestKey({ q: 1 });
    expect(await cache.get(key)).toBeUndefined();
    await Promise.all(Array.from({ length: 10 }, (_, i) => cache.set(key, { i })));
    const stored = (await cache.get(key)) as { i: number };
    expect(stored.i).toBeGreaterThanOrEqual(0);
    const files = await readdir(join(folder, key.slice(0, 2)));
    expect(files).toEqual([`${key}.json`]);
    await writeFile(join(folder, key.slice(0, 2), `${key}.json`), '{"trunc');
    expect(await cache.get(key)).toBeUndefined();
    await expect(cache.get("../etc/passwd")).rejects.toThrow(RangeError);
  });
});

describe("UsageTracker", () => {
  it("prices by exact id or longest prefix, counts cache hits free, reports unpriced models", () => {
    expect(
      priceFor({ "gpt-4o": { inputPerMillion: 1, outputPerMillion: 2 }, "gpt-4o-mini": { inputPerMillion: 3, outputPerMillion: 4 } }, "gpt-4o-mini-2024-07-18"),
    ).toEqual({ inputPerMillion: 3, outputPerMillion: 4 });
    const tracker = new UsageTracker({ "my-model": { inputPerMillion: 2, outputPerMillion: 10 } });
    tracker.record("my-model", { inputTokens: 1_000_000, outputTokens: 500_000 }, false);
    tracker.record("my-model", undefined, true);
    tracker.record("local-llama", { inputTokens: 10, outputTokens: 5 }, false);
    const [mine, local] = tracker.byModel();
    expect(mine).toEqual({ model: "my-model", requests: 1, cachedRequests: 1, inputTokens: 1_000_000, outputTokens: 500_000, costUsd: 7 });
    expect(local.costUsd).toBeNull();
    expect(tracker.totals()).toEqual({
      requests: 2,
      cachedRequests: 1,
      inputTokens: 1_000_010,
      outputTokens: 500_005,
      costUsd: 7,
      unpricedModels: ["local-llama"],
    });
  });
});

describe("redactSecrets", () => {
  it("removes given secrets and key-shaped strings", () => {
    const key = "test-key-0123456789";
    // Key-shaped strings are assembled here so that no key-like literal sits in the repository.
    const openaiShaped = ["sk", "proj", "ABCDEFGHIJKLMNOPQRST"].join("-");
    const anthropicShaped = ["sk", "ant", "api03", "z".repeat(20)].join("-");
    const text = `failed with ${key}; header Authorization: Bearer abcdefghijkl; ${openaiShaped} and "x-api-key": "${anthropicShaped}"`;
    const out = redactSecrets(text, [key]);
    expect(out).not.toContain(key);
    expect(out).not.toContain("abcdefghijkl");
    expect(out).not.toContain("ABCDEFGHIJKLMNOPQRST");
    expect(out).not.toContain("zzzzzzzzzzzz");
    expect(out).toContain("[REDACTED]");
    expect(redactSecrets("nothing secret here", [undefined, "abc"])).toBe("nothing secret here");
  });
});
