import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileKey } from "../../src/data/file-key.js";

describe("fileKey", () => {
  it("resolves names as path.resolve does", () => {
    for (const file of ["a.jsonl", "./a.jsonl", "x/../a.jsonl", "x//y/./z.jsonl", "/tmp/a/../b.jsonl", "/../a", "../../up.jsonl", "/", "in-memory"]) {
      expect(fileKey(file)).toBe(path.resolve(file));
    }
  });
});
