import { CjeInputError } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { parseCsvTable } from "../src/index.js";

function errorOf(fn: () => unknown): CjeInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CjeInputError) return error;
    throw error;
  }
  throw new Error("expected a CjeInputError");
}

describe("CSV tables", () => {
  it("reads named values with the line each record starts on", () => {
    const table = parseCsvTable('a,b\n1,"x\ny"\n\n3,"say ""hi"""\n', "f.csv", ["a"]);
    expect(table.header).toEqual(["a", "b"]);
    expect(table.rows).toEqual([
      { line: 2, values: { a: "1", b: "x\ny" } },
      { line: 5, values: { a: "3", b: 'say "hi"' } },
    ]);
  });

  it("names the file and line of header and record problems", () => {
    expect(errorOf(() => parseCsvTable("a,b\n1,2,3\n", "f.csv")).message).toBe("f.csv:2: expected 2 fields (a,b), found 3");
    expect(errorOf(() => parseCsvTable("a,a\n", "f.csv")).message).toBe("f.csv:1: duplicate column 'a' in the header");
    expect(errorOf(() => parseCsvTable("a,b\n", "f.csv", ["c"])).message).toBe("f.csv:1: missing column 'c' (header: a,b)");
    expect(errorOf(() => parseCsvTable("", "f.csv")).location).toMatchObject({ file: "f.csv", line: 1 });
    expect(errorOf(() => parseCsvTable('a\n"open\n', "f.csv")).location).toMatchObject({ line: 2 });
  });
});
