import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { blake2b, blake2bHex } from "../../src/calibration/blake2b.js";

const vectors: { text: string; d8: string; d16: string; d64: string }[] = JSON.parse(
  readFileSync(new URL("../fixtures/blake2b.json", import.meta.url), "utf8"),
);

describe("BLAKE2b", () => {
  it("matches RFC 7693 Appendix A (BLAKE2b-512 of 'abc')", () => {
    expect(blake2bHex("abc", 64)).toBe(
      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" +
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    );
  });

  it("matches the reference fold key BLAKE2b-128('p0-42')", () => {
    expect(blake2bHex("p0-42", 16)).toBe("158156b7da5608a665eae3feea907853");
  });

  it.each(vectors)("matches hashlib for %#", (row) => {
    expect(blake2bHex(row.text, 8)).toBe(row.d8);
    expect(blake2bHex(row.text, 16)).toBe(row.d16);
    expect(blake2bHex(row.text, 64)).toBe(row.d64);
  });

  it("rejects digest lengths outside [1, 64]", () => {
    expect(() => blake2b(new Uint8Array(1), 0)).toThrow(RangeError);
    expect(() => blake2b(new Uint8Array(1), 65)).toThrow(RangeError);
  });
});
