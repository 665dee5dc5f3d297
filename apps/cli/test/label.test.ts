import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORACLE_INCLUSION_FIELD } from "@cjeval/core/advanced";
import { formatJsonl, readToLabel } from "@cjeval/oracle";
import { describe, expect, it } from "vitest";
import { bin } from "./run-cli.js";

describe("cje label", () => {
  it("serves the labelling page on 127.0.0.1, saves each label to the file at once, and stops cleanly", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-label-"));
    const file = path.join(dir, "to-label.jsonl");
    const rows = [1, 2, 3].map((i) => ({
      item_id: `it${i}`,
      policy: "a",
      prompt_id: `q${i}`,
      draw_idx: 0,
      judge_score: 0.5,
      [ORACLE_INCLUSION_FIELD]: 0.5,
      design_weight: 2,
      prompt: `prompt ${i}`,
      response: `response ${i}`,
      oracle_label: i === 3 ? 4 : null,
    }));
    await writeFile(file, formatJsonl(rows));
    const child = spawn(process.execPath, [bin, "label", file, "--port", "0", "--scale", "0,10"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        stdout += chunk;
        const match = /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (match !== null) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`cje label exited with ${code}: ${stdout}`)));
    });
    try {
      expect(stdout).toContain("1 of 3 labelled");
      const page = await fetch(url);
      expect(await page.text()).toContain("<title>cje label</title>");
      const state = (await (await fetch(new URL("/api/state", url))).json()) as { values: number[]; items: unknown[] };
      expect(state.values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(state.items).toHaveLength(3);
      const put = await fetch(new URL("/api/labels/it1", url), {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ label: 7 }),
      });
      expect(put.status).toBe(200);
      expect((await readToLabel(file)).rows.map((r) => r.oracle_label)).toEqual([7, null, 4]);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
    expect(stdout).toContain(`Stopped: 2 of 3 labelled; the labels are in ${file}.`);
  });
});
