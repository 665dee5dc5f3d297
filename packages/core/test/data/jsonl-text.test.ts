import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJsonl } from "../../src/data/jsonl.js";
import { JsonlLines, parseJsonlText, type SourceRecord } from "../../src/data/jsonl-text.js";
import { decodeTextFile } from "../../src/data/text-encoding.js";
import { inputError, removeTrees, writeTree } from "./support.js";

afterAll(removeTrees);

/** `bytes` written to a fresh file. */
function fileWith(bytes: string | Uint8Array): string {
  const file = path.join(writeTree({}), "a.jsonl");
  writeFileSync(file, bytes);
  return file;
}

async function viaNode(file: string): Promise<SourceRecord[]> {
  const seen: SourceRecord[] = [];
  await readJsonl(file, (value, line) => seen.push({ value, line }));
  return seen;
}

describe("parseJsonlText", () => {
  it("gives the records and physical lines readJsonl gives for the same file", async () => {
    const texts = [
      '\ufeff{"a":1}\r\n\r\n   \n{"a":2}\n\t\n{"a":3}',
      '{"a":1}\n{"a":2}\n',
      '{"a":1}\r\n{"a":2}\r\n\r\n',
      "",
      "\n\n  \n",
      '[1,2]\n"text"\n3\nnull\n',
      `${'{"t":"é€😀"}\n'.repeat(3)}`,
    ];
    for (const text of texts) {
      const file = fileWith(text);
      expect(parseJsonlText(text, file), JSON.stringify(text)).toEqual(await viaNode(file));
    }
    expect(parseJsonlText('\ufeff{"a":1}\r\n\r\n   \n{"a":2}\n\t\n{"a":3}', "x.jsonl")).toEqual([
      { value: { a: 1 }, line: 1 },
      { value: { a: 2 }, line: 4 },
      { value: { a: 3 }, line: 6 },
    ]);
  });

  it("fails as readJsonl does: file, line and what is wrong", async () => {
    for (const text of ['{"a":1}\n\n{"a":\n', '{"a":1}\n{"a":1}}', "not json"]) {
      const file = fileWith(text);
      const inText = await inputError(() => parseJsonlText(text, file));
      const inNode = await inputError(() => viaNode(file));
      expect(inText.message).toBe(inNode.message);
      expect(inText.location).toEqual(inNode.location);
    }
    const error = await inputError(() => parseJsonlText('{"a":1}\n\n{"a":\n', "dropped.jsonl"));
    expect(error.location).toEqual({ file: "dropped.jsonl", line: 3 });
    expect(error.message).toMatch(/^dropped\.jsonl:3: invalid JSON: /);
  });

  it("with decodeTextFile, fails on bytes as readJsonl does (UTF-16, NUL bytes, Latin-1)", async () => {
    const rows = '{"a":1}\n{"b":2}\n';
    const inputs = [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, "utf16le")]),
      Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from('{"b":2}\n', "utf16le")]),
      Buffer.concat([Buffer.from('{"a":1}\n\n'), Buffer.from('{"b":"caf\xe9"}\n', "latin1")]),
      Buffer.from([0xfe, 0xff]),
    ];
    for (const bytes of inputs) {
      const file = fileWith(bytes);
      const inText = await inputError(() => parseJsonlText(decodeTextFile(bytes, file), file));
      const inNode = await inputError(() => viaNode(file));
      expect(inText.message).toBe(inNode.message);
      expect(inText.location).toEqual(inNode.location);
    }
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows)]);
    const file = fileWith(utf8);
    expect(parseJsonlText(decodeTextFile(utf8, file), file)).toEqual(await viaNode(file));
  });

  it("JsonlLines counts lines across pieces of whole lines and lets a visitor's error through", () => {
    const seen: [unknown, number][] = [];
    const lines = new JsonlLines("f", (value, line) => seen.push([value, line]));
    lines.feed("1\n\n");
    lines.feed("2\r\n");
    lines.feed("3");
    expect(seen).toEqual([
      [1, 1],
      [2, 3],
      [3, 4],
    ]);
    expect([lines.line, lines.visited]).toEqual([4, 3]);
    const boom = new Error("stop");
    expect(() =>
      new JsonlLines("f", () => {
        throw boom;
      }).feed("1\n"),
    ).toThrow(boom);
  });
});
