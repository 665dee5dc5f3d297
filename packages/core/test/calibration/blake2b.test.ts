import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { blake2b, blake2bHex } from "../../src/calibration/blake2b.js";

/** hashlib.blake2b reference digests; see fixtures/gen_blake2b.py. */
const fixture = JSON.parse(readFileSync(new URL("../fixtures/blake2b.json", import.meta.url), "utf8"));
const texts: { text: string; bytes: number; d8: string; d16: string; d64: string }[] = fixture.texts;

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("BLAKE2b (RFC 7693)", () => {
  it("matches RFC 7693 Appendix A: BLAKE2b-512('abc')", () => {
    expect(blake2bHex("abc", 64)).toBe(
      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    );
  });

  it("matches the reference fold key BLAKE2b-128('p0-42')", () => {
    expect(blake2bHex("p0-42", 16)).toBe("158156b7da5608a665eae3feea907853");
  });

  it.each(texts)("matches hashlib at 8, 16 and 64 bytes for a $bytes-byte UTF-8 input", (row) => {
    expect(new TextEncoder().encode(row.text).length).toBe(row.bytes);
    expect(blake2bHex(row.text, 8)).toBe(row.d8);
    expect(blake2bHex(row.text, 16)).toBe(row.d16);
    expect(blake2bHex(row.text, 64)).toBe(row.d64);
  });

  it("covers empty input and the 128-byte block boundaries", () => {
    expect(texts.map((row) => row.bytes)).toEqual(expect.arrayContaining([0, 127, 128, 129, 256, 257]));
  });

  it("puts the digest length in the parameter block: every length 1..64 matches hashlib, none is a prefix of another", () => {
    const { text, digests } = fixture.all_lengths as { text: string; digests: string[] };
    digests.forEach((expected, i) => expect(blake2bHex(text, i + 1), `${i + 1} bytes`).toBe(expected));
    expect(digests[63].startsWith(digests[15])).toBe(false);
  });

  it("hashes raw bytes (not valid UTF-8) over several blocks", () => {
    const { hex, d32 } = fixture.raw_bytes as { hex: string; d32: string };
    expect(toHex(blake2b(Uint8Array.from(Buffer.from(hex, "hex")), 32))).toBe(d32);
  });

  it("equals node's blake2b512 at 64 bytes", () => {
    for (const length of [0, 1, 63, 64, 127, 128, 129, 1000]) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 255);
      expect(toHex(blake2b(input, 64))).toBe(createHash("blake2b512").update(input).digest("hex"));
    }
  });

  it("does not modify its input and rejects digest lengths outside 1..64", () => {
    const input = Uint8Array.from([1, 2, 3]);
    blake2b(input, 16);
    expect(Array.from(input)).toEqual([1, 2, 3]);
    for (const length of [0, 65, 1.5, Number.NaN]) expect(() => blake2b(input, length)).toThrow(RangeError);
  });
});
