import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, CjeInputError } from "../../src/index.js";
import { loadEvaluationData, validateInputs } from "../../src/node.js";

const rows = (n: number, offset = 0): string =>
  `${Array.from({ length: n }, (_, i) => JSON.stringify({ prompt_id: `q${i}`, judge_score: ((i + offset) % 10) / 10, ...(i % 2 === 0 ? { oracle_label: ((i + offset) % 10) / 10 } : {}) })).join("\n")}\n`;

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-disc-"));
  await writeFile(path.join(dir, "a_responses.jsonl"), rows(40));
  await writeFile(path.join(dir, "b_responses.jsonl"), rows(40, 3));
  return dir;
}

describe("file discovery", () => {
  it("a dangling symlink is an error naming the link (not a silently missing policy)", async () => {
    const dir = await folder();
    const link = path.join(dir, "c_responses.jsonl");
    await symlink(path.join(dir, "gone.jsonl"), link);
    const error = await loadEvaluationData([dir]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as CjeInputError).location.file).toBe(link);
    expect((error as Error).message).toContain("dangling symbolic link");
    expect((error as Error).message).toContain("policy 'c'");
    const report = await validateInputs([dir]);
    expect(report.valid).toBe(false);
    expect(report.issues).toContainEqual(expect.objectContaining({ severity: "error", file: link }));
  });

  it("with onInvalid drop the dangling link is skipped and counted in a warning", async () => {
    const dir = await folder();
    await symlink(path.join(dir, "gone.jsonl"), path.join(dir, "c_responses.jsonl"));
    const data = await loadEvaluationData([dir], { onInvalid: "drop" });
    expect(data.policies).toEqual(["a", "b"]);
    expect(data.warnings).toContainEqual(expect.stringMatching(/skipped 1 dangling symbolic link \(onInvalid: "drop"\): .*c_responses\.jsonl → .*gone\.jsonl/));
  });
});

describe("duplicate (policy, prompt_id) rows", () => {
  it("validate and analyze both report rows told apart only by an assigned draw_idx, with file and lines", async () => {
    const dir = await folder();
    const file = path.join(dir, "a_responses.jsonl");
    await writeFile(file, `${rows(40)}{"prompt_id":"q3","judge_score":0.3}\n`);
    const report = await validateInputs([dir]);
    expect(report.valid).toBe(true); // analyze runs: they are repeated draws
    const warning = report.issues.find((i) => i.severity === "warning" && i.message.includes("several rows"));
    expect(warning?.message).toContain(`prompt_id "q3" at ${file}:4, ${file}:41`);
    const result = analyze(await loadEvaluationData([dir]), { inference: "analytic" });
    expect(result.diagnostics.warnings.some((w) => w.includes(`${file}:41`))).toBe(true);
  });

  it("a repeated explicit (policy, prompt_id, draw_idx) stops analyze and validate alike, naming both lines", async () => {
    const dir = await folder();
    const file = path.join(dir, "a_responses.jsonl");
    await writeFile(
      file,
      `{"prompt_id":"q1","judge_score":0.3,"draw_idx":0}\n${rows(40).split("\n").slice(1).join("\n")}{"prompt_id":"q1","judge_score":0.5,"draw_idx":0}\n`,
    );
    await expect(loadEvaluationData([dir])).rejects.toThrow(/duplicate draw/);
    const report = await validateInputs([dir]);
    expect(report.valid).toBe(false);
    expect(report.issues[0].message).toMatch(new RegExp(`duplicate draw.*${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1`));
  });
});
