import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORACLE_INCLUSION_FIELD, simulateWorld } from "@cjeval/core/advanced";
import { formatJsonl, readToLabel } from "@cjeval/oracle";
import { writeFileAtomic } from "@cjeval/provider-utils";
import { describe, expect, it } from "vitest";
import { bin, expectSuccess, runCli } from "./run-cli.js";

// The attack: `import-labels` across several fresh-draw files wrote them one by one, so a failure on the
// second file (here: a file-size limit, `ulimit -f`, as a full disk or a quota would) left the first
// relabelled and the second not. Now every file is staged first and the import changes all files or none.

/** Runs `cje …` under a file-size limit of `kib` KiB (writes beyond it fail with EFBIG). */
function runCliLimited(kib: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve) => {
    execFile("bash", ["-c", `ulimit -f ${kib} && exec ${quoted}`], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

describe("cje import-labels across several files", () => {
  it("changes no file when the second one cannot be written, and all of them once it can", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-import-atomic-"));
    const draws = path.join(dir, "draws");
    const world = simulateWorld({
      policies: [
        { name: "a", shift: 0.5 },
        { name: "b", shift: 0.8 },
      ],
      prompts: 120,
      oracleShare: 0,
      seed: 4,
    });
    for (const policy of ["a", "b"]) {
      const rows = world.records.filter((r) => r.policy === policy);
      // b's answers are long: its file is far larger than a's.
      const padded = rows.map(({ policy: _p, oracle_label: _y, ...rest }) => (policy === "b" ? { ...rest, response: "long answer ".repeat(200) } : rest));
      await writeFileAtomic(path.join(draws, `${policy}_responses.jsonl`), formatJsonl(padded));
    }
    const files = ["a", "b"].map((p) => path.join(draws, `${p}_responses.jsonl`));
    const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
    expect(sizes[1]).toBeGreaterThan(4 * sizes[0]);

    const toLabel = path.join(dir, "to-label.jsonl");
    expectSuccess(await runCli(["sample", draws, "--design", "per-policy", "--policies", "a,b", "--budget", "30", "--seed", "2", "--out", toLabel]));
    const { rows } = await readToLabel(toLabel);
    expect(new Set(rows.map((r) => r.policy))).toEqual(new Set(["a", "b"]));
    await writeFile(toLabel, formatJsonl(rows.map((r) => ({ ...r, oracle_label: 1 + (r.prompt_id.length % 5) }))));
    const before = await Promise.all(files.map((f) => readFile(f)));

    // a's new contents fit under the limit, b's do not: a is staged (first, in path order), b fails.
    const limitKib = Math.ceil((2 * sizes[0]) / 1024);
    expect(limitKib * 1024).toBeLessThan(sizes[1]);
    const failed = await runCliLimited(limitKib, ["import-labels", toLabel, draws]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/b_responses\.jsonl: cannot write the labels \(EFBIG: .*\); no file was changed/);
    const after = await Promise.all(files.map((f) => readFile(f)));
    expect(after[0].equals(before[0])).toBe(true);
    expect(after[1].equals(before[1])).toBe(true);
    expect((await readdir(draws)).sort()).toEqual(["a_responses.jsonl", "b_responses.jsonl"]); // no staged file left behind

    const ok = await runCli(["import-labels", toLabel, draws]);
    expectSuccess(ok);
    expect(ok.stdout).toMatch(/Imported 30 new label\(s\) .* into 2 file\(s\)/);
    for (const f of files) {
      const labelled = (await readFile(f, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((r) => typeof r[ORACLE_INCLUSION_FIELD] === "number");
      expect(labelled.length).toBe(15);
    }
  });
});
