import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/input/prompts.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "cje-input-"));
});

describe("campaign prompts", () => {
  it("reads JSONL and CSV prompt files, hashing missing ids, honouring a limit", async () => {
    await writeFile(path.join(folder, "p.jsonl"), '{"prompt_id": 7, "prompt": "seven"}\n{"prompt": "no id"}\n{"prompt_id": "c", "prompt": "cut"}\n');
    const prompts = await loadPrompts({ file: "p.jsonl", limit: 2 }, folder);
    expect(prompts[0]).toEqual({ id: "7", text: "seven" });
    expect(prompts[1].id).toMatch(/^prompt_[0-9a-f]{12}$/);
    expect(prompts).toHaveLength(2);
    await writeFile(path.join(folder, "p.csv"), 'id,question\nq1,What?\nq2,"Why, then?"\n');
    expect(await loadPrompts({ file: "p.csv", idField: "id", textField: "question" }, folder)).toEqual([
      { id: "q1", text: "What?" },
      { id: "q2", text: "Why, then?" },
    ]);
    expect(await loadPrompts({ items: [{ id: "a", text: "A" }] }, folder)).toEqual([{ id: "a", text: "A" }]);
  });

  it("refuses duplicate ids and empty prompts with file:line:field", async () => {
    await writeFile(path.join(folder, "dup.jsonl"), '{"prompt_id": "a", "prompt": "x"}\n\n{"prompt_id": "a", "prompt": "y"}\n');
    await expect(loadPrompts("dup.jsonl", folder)).rejects.toThrow(/dup\.jsonl:3: field 'prompt_id' = "a": duplicate prompt id \(first on line 1\)/);
    await writeFile(path.join(folder, "empty.jsonl"), '{"prompt_id": "a", "prompt": "  "}\n');
    await expect(loadPrompts("empty.jsonl", folder)).rejects.toThrow(/empty\.jsonl:1: field 'prompt' = " {2}": must be a non-empty string/);
    await expect(loadPrompts("absent.jsonl", folder)).rejects.toThrow(/file not found/);
  });
});
