import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");

/** Every module `entry` loads (relative imports followed), with the bare specifiers each imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(path.join(src, file), "utf8");
    const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);
    seen.set(
      file,
      specs.filter((s) => !s.startsWith(".")),
    );
    for (const spec of specs.filter((s) => s.startsWith("."))) visit(path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, ".ts"));
  };
  visit(entry);
  return seen;
}

describe("entry points", () => {
  it("the main entry, which the page imports, loads no Node built-in and nothing Node-only", () => {
    const modules = reachable("index.ts");
    expect([...modules.keys()]).toContain("build-run.ts");
    for (const [file, specs] of modules) {
      expect(
        specs.filter((s) => s.startsWith("node:") || ["@cjeval/core/node", "@cjeval/runner", "@cjeval/provider-utils"].includes(s)),
        file,
      ).toEqual([]);
    }
  });

  it("the Node side is reached through @cjeval/viewer/node", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining([".", "./node"]));
    expect([...reachable("node.ts").keys()]).toEqual(expect.arrayContaining(["server.ts", "sources.ts", "export.ts"]));
  });
});
