import { afterAll, describe, expect, it } from "vitest";
import path from "node:path";
import { readJsonl } from "../../src/data/jsonl.js";
import { inputError, removeTrees, writeTree } from "./support.js";

afterAll(removeTrees);

async function collect(file: string): Promise<[unknown, number][]> {
  const seen: [unknown, number][] = [];
  await readJsonl(file, (value, line) => seen.push([value, line]));
  return seen;
}

describe("readJsonl", () => {
  it("reports physical 1-based line numbers, skipping blank lines, CRLF endings and a BOM", async () => {
    const dir = writeTree({ "a.jsonl": '\ufeff{"a":1}\r\n\r\n   \n{"a":2}\n\t\n{"a":3}' });
    expect(await collect(path.join(dir, "a.jsonl"))).toEqual([
      [{ a: 1 }, 1],
      [{ a: 2 }, 4],
      [{ a: 3 }, 6],
    ]);
  });

  it("keeps lines and multi-byte characters intact across 1 MiB read chunks", async () => {
    const text = "é€😀".repeat(40_000);
    const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ i, text }));
    const dir = writeTree({ "big.jsonl": `${rows.join("\n")}\n` });
    const seen = await collect(path.join(dir, "big.jsonl"));
    expect(seen.map(([, line]) => line)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(seen.every(([value], i) => (value as { i: number; text: string }).i === i && (value as { text: string }).text === text)).toBe(true);
  });

  it("names file and line of corrupt JSON", async () => {
    const dir = writeTree({ "bad.jsonl": '{"a":1}\n\n{"a":\n' });
    const file = path.join(dir, "bad.jsonl");
    const error = await inputError(() => collect(file));
    expect(error.location).toMatchObject({ file, line: 3 });
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:3: invalid JSON`));
  });

  it("reports a missing file", async () => {
    const error = await inputError(() => collect("/nonexistent/cje/x.jsonl"));
    expect(error.message).toBe("/nonexistent/cje/x.jsonl: file not found");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
