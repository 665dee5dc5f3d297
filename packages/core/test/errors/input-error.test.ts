import { describe, expect, it } from "vitest";
import { CjeInputError, formatInputError } from "../../src/errors/input-error.js";

describe("input error messages", () => {
  it("name file, line, field and value", () => {
    expect(formatInputError("not a finite number", { file: "a.jsonl", line: 17, field: "judge_score", value: "abc" })).toBe(
      "a.jsonl:17: field 'judge_score' = \"abc\": not a finite number",
    );
  });
  it("print non-finite numbers as numbers and values without a field name", () => {
    expect(formatInputError("bad", { file: "a.jsonl", line: 2, field: "x", value: Number.NaN })).toBe("a.jsonl:2: field 'x' = NaN: bad");
    expect(formatInputError("bad", { file: "a.jsonl", line: 2, value: 3 })).toBe("a.jsonl:2: value 3: bad");
    expect(new CjeInputError("plain").message).toBe("plain");
  });
});
