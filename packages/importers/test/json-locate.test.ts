import { describe, expect, it } from "vitest";
import { jsonArrayElementLines, jsonPathLine, lineAt, locateJsonSyntaxError } from "../src/input/json-locate.js";

const doc = `{
  "name": "x",
  "items": [
    { "id": 1, "text": "a \\" } [ b" },
    {
      "id": 2
    },
    3
  ],
  "nested": { "deep": [true, false, null] }
}`;

describe("JSON line locator", () => {
  it("finds the line where the value at a path starts", () => {
    expect(jsonPathLine(doc, [])).toBe(1);
    expect(jsonPathLine(doc, ["name"])).toBe(2);
    expect(jsonPathLine(doc, ["items", 0, "text"])).toBe(4);
    expect(jsonPathLine(doc, ["items", 1])).toBe(5);
    expect(jsonPathLine(doc, ["items", 1, "id"])).toBe(6);
    expect(jsonPathLine(doc, ["items", 2])).toBe(8);
    expect(jsonPathLine(doc, ["nested", "deep", 2])).toBe(10);
    expect(jsonPathLine(doc, ["missing"])).toBeUndefined();
    expect(jsonPathLine(doc, ["items", 9])).toBeUndefined();
  });

  it("lists the start line of every array element in one pass", () => {
    expect(jsonArrayElementLines(doc, ["items"])).toEqual([4, 5, 8]);
    expect(jsonArrayElementLines("[\n1,\n\n2]", [])).toEqual([2, 4]);
    expect(jsonArrayElementLines("[1,", [])).toBeUndefined();
  });

  it("names the line of a syntax error, and accepts valid JSON", () => {
    expect(locateJsonSyntaxError(doc)).toBeNull();
    expect(locateJsonSyntaxError('{\n  "a": 1,\n  "b": }\n')).toEqual({ line: 3, message: 'unexpected character "}"' });
    expect(locateJsonSyntaxError('[\n  {"a": 1}\n  {"b": 2}\n]')).toMatchObject({ line: 3, message: "expected ',' or ']'" });
    expect(locateJsonSyntaxError('{"a": "unterminated\n}')?.line).toBe(1);
    expect(locateJsonSyntaxError("{\n'a': 1}")).toMatchObject({ line: 2, message: "expected a property name in double quotes" });
    expect(locateJsonSyntaxError("[1, 2]\n\nx")).toMatchObject({ line: 3, message: "unexpected text after the JSON value" });
    expect(locateJsonSyntaxError("[01]")).toMatchObject({ line: 1 });
  });

  it("counts lines from character offsets", () => {
    expect(lineAt("a\nb\nc", 0)).toBe(1);
    expect(lineAt("a\nb\nc", 2)).toBe(2);
    expect(lineAt("a\nb\nc", 4)).toBe(3);
  });
});
