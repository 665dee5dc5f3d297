import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CjeInputError } from "../../src/index.js";
import { loadEvaluationData } from "../../src/node.js";
import { readJsonl } from "../../src/data/jsonl.js";
import { decodeTextFile } from "../../src/data/text-encoding.js";

const ROWS = ['{"prompt_id":"1","judge_score":0.5,"oracle_label":0.4}', '{"prompt_id":"2","judge_score":0.7,"response":"café"}'];

async function fileWith(bytes: Uint8Array | string, name = "a_responses.jsonl"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-enc-"));
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

async function failure(file: string): Promise<CjeInputError> {
  const error = await readJsonl(file, () => {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CjeInputError);
  // No raw control bytes (NUL, ESC, …) in the message.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
  expect((error as Error).message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  return error as CjeInputError;
}

describe("input encodings", () => {
  it("a UTF-16 LE file with a byte-order mark: file:1 and 'save it as UTF-8'", async () => {
    const text = `${ROWS.join("\n")}\n`;
    const file = await fileWith(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const error = await failure(file);
    expect(error.location).toMatchObject({ file, line: 1 });
    expect(error.message).toContain("UTF-16 (little-endian)");
    expect(error.message).toContain("save it as UTF-8");
  });

  it("UTF-16 BE and UTF-32 byte-order marks are named", async () => {
    const be = await fileWith(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("\u0000{")]));
    expect((await failure(be)).message).toContain("UTF-16 (big-endian)");
    const u32 = await fileWith(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x7b, 0, 0, 0]));
    expect((await failure(u32)).message).toContain("UTF-32 (little-endian)");
  });

  it("UTF-16 without a byte-order mark (NUL bytes) names the line and never prints the NULs", async () => {
    const text = `${ROWS[0]}\n${ROWS[1]}\n`;
    const file = await fileWith(Buffer.from(text, "utf16le"));
    const error = await failure(file);
    expect(error.location.line).toBe(1);
    expect(error.message).toContain("NUL bytes");
    expect(error.message).toContain("save it as UTF-8");
    // A NUL on a later line of an otherwise UTF-8 file points at that line.
    const later = await fileWith(Buffer.concat([Buffer.from(`${ROWS[0]}\n${ROWS[1]}\n`), Buffer.from('{"prompt_id":"3\u0000"}\n')]));
    expect((await failure(later)).location.line).toBe(3);
  });

  it("Latin-1 bytes are an error at their line instead of silently becoming U+FFFD", async () => {
    const file = await fileWith(
      Buffer.concat([Buffer.from(`${ROWS[0]}\n`), Buffer.from('{"prompt_id":"2","judge_score":0.7,"response":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]),
    );
    const error = await failure(file);
    expect(error.location).toMatchObject({ file, line: 2 });
    expect(error.message).toMatch(/not valid UTF-8.*Latin-1.*save the file as UTF-8/);
    await expect(loadEvaluationData([path.dirname(file)])).rejects.toThrow(/a_responses\.jsonl:2: this line is not valid UTF-8/);
  });

  it("valid UTF-8 (with a UTF-8 byte-order mark, CRLF and multi-byte characters) still reads", async () => {
    const file = await fileWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${ROWS.join("\r\n")}\r\n`)]));
    const seen: unknown[] = [];
    await readJsonl(file, (value) => seen.push(value));
    expect(seen).toEqual(ROWS.map((r) => JSON.parse(r)));
  });

  it("control characters in invalid JSON are escaped in the message", async () => {
    const file = await fileWith('{"prompt_id": \u001b[31m}\n');
    const error = await failure(file);
    expect(error.location.line).toBe(1);
    expect(error.message).toContain("\\u001b");
  });
});

describe("decodeTextFile (CSV, JSON and YAML inputs)", () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  it("reads UTF-8, skipping a UTF-8 byte-order mark", () => {
    expect(decodeTextFile(encode("a,b\ncafé,1\n"), "x.csv")).toBe("a,b\ncafé,1\n");
    expect(decodeTextFile(Uint8Array.from([0xef, 0xbb, 0xbf, ...encode("a,b\n")]), "x.csv")).toBe("a,b\n");
  });
  it("refuses UTF-16 (byte-order mark or NUL bytes) and Latin-1, naming the file and line", () => {
    const utf16 = Uint8Array.from([0xff, 0xfe, ...Buffer.from("a,b\n", "utf16le")]);
    expect(() => decodeTextFile(utf16, "x.csv")).toThrow(/x\.csv:1.*UTF-16 \(little-endian\).*save it as UTF-8/);
    expect(() => decodeTextFile(Uint8Array.from(Buffer.from("a,b\n", "utf16le")), "y.csv")).toThrow(/y\.csv:1.*NUL bytes/);
    const latin1 = Uint8Array.from([...encode("a,b\n1,2\n"), 0x63, 0x61, 0x66, 0xe9, 0x0a]);
    expect(() => decodeTextFile(latin1, "z.csv")).toThrow(/z\.csv:3.*not valid UTF-8/);
  });
});
