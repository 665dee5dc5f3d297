import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** The database drivers a fresh process has loaded after importing `module` (CommonJS packages land in the require cache). */
function driversLoadedBy(module: string): string[] {
  const script = `await import(${JSON.stringify(module)});
const { createRequire } = await import("node:module");
const cache = Object.keys(createRequire(import.meta.url).cache);
const names = cache.flatMap((file) => /node_modules\\/(pg|pg-boss|better-sqlite3)\\//.exec(file)?.[1] ?? []);
process.stdout.write(JSON.stringify([...new Set(names)].sort()));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as string[];
}

describe("loading", () => {
  it("loads no database driver (pg, pg-boss, better-sqlite3)", () => {
    expect(driversLoadedBy(entry)).toEqual([]);
  });
});
