import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layers of `src/`, lowest first, declared once. A file may import from its own folder or from a
 * folder of a LOWER layer; folders that share a layer (siblings) may not import each other. The entry
 * points (`index.ts`, `advanced.ts`) sit at the root, above everything.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["errors"],
  ["numeric"],
  ["data"],
  ["providers", "simulation"],
  ["calibration"],
  ["direct", "off-policy"],
  ["diagnostics"],
  ["planning"],
  ["analysis"],
  ["."],
];

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");
const rank = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer] as const)));

interface Edge {
  readonly from: string;
  readonly to: string;
}

/** Top-level folder of a path relative to `src/` (`.` for the entry files at the root). */
function folderOf(file: string): string {
  const parts = file.split("/");
  return parts.length === 1 ? "." : parts[0];
}

function sourceFiles(dir = ""): string[] {
  return readdirSync(path.join(src, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith(".ts") ? [rel] : [];
  });
}

/** Every relative import, export-from, type import and dynamic import in `src/`, resolved to a file. */
function importGraph(): Edge[] {
  return sourceFiles().flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(path.join(src, file), "utf8"), true, true);
    return info.importedFiles
      .map((ref) => ref.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => ({ from: file, to: path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, ".ts") }));
  });
}

/** Edges that leave their folder for one that is not in a lower layer. */
function violations(edges: readonly Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b) return [];
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined || rb === undefined) return [`${from} -> ${to}: folder not declared in LAYERS`];
    return ra > rb ? [] : [`${from} (${a}, layer ${ra}) -> ${to} (${b}, layer ${rb})`];
  });
}

describe("core layering", () => {
  const edges = importGraph();

  it("finds the import graph", () => {
    expect(edges.length).toBeGreaterThan(200);
    const files = new Set(sourceFiles());
    expect(edges.filter((edge) => !files.has(edge.to))).toEqual([]);
  });

  it("declares every folder of src/ in exactly one layer", () => {
    const folders = new Set(sourceFiles().map(folderOf));
    expect([...folders].filter((folder) => !rank.has(folder))).toEqual([]);
    expect(rank.size).toBe(LAYERS.flat().length);
  });

  it("has no import that runs upward or sideways between sibling layers", () => {
    expect(violations(edges)).toEqual([]);
  });

  it("would catch an upward or sideways import", () => {
    expect(violations([{ from: "numeric/quantiles.ts", to: "analysis/analyze.ts" }])).toHaveLength(1);
    expect(violations([{ from: "data/load.ts", to: "calibration/folds.ts" }])).toHaveLength(1);
    expect(violations([{ from: "direct/direct.ts", to: "off-policy/ips.ts" }])).toHaveLength(1);
    expect(violations([{ from: "analysis/analyze.ts", to: "numeric/quantiles.ts" }])).toEqual([]);
  });
});
