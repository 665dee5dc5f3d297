import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnalysisResultSchema } from "@cjeval/core";
import { expectSuccess, runCli } from "./run-cli.js";

/** A small fresh-draw folder: two policies × 40 prompts, every other row labelled, on 0–1. */
async function drawsDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cje-harden-"));
  const draws = path.join(dir, "draws");
  await mkdir(draws);
  for (const [p, policy] of ["a", "b"].entries()) {
    const rows = Array.from({ length: 40 }, (_, i) => {
      const s = ((i * 7 + p * 3) % 10) / 10;
      return JSON.stringify({ prompt_id: `q${i}`, judge_score: s, ...(i % 2 === 0 ? { oracle_label: Math.min(1, s * 0.8 + 0.1) } : {}) });
    });
    await writeFile(path.join(draws, `${policy}_responses.jsonl`), `${rows.join("\n")}\n`);
  }
  return dir;
}

const analyzeArgs = (dir: string): string[] => ["analyze", path.join(dir, "draws"), "--inference", "analytic"];

describe("--out names a device, FIFO, symlink, read-only file, stdout or an unwritable place", () => {
  it("writes to /dev/null and leaves it a character device", async () => {
    const dir = await drawsDir();
    expectSuccess(await runCli([...analyzeArgs(dir), "--out", "/dev/null"]));
    expect((await stat("/dev/null")).isCharacterDevice()).toBe(true);
  });

  it("writes the JSON into a FIFO read by another process, which stays a FIFO", async () => {
    const dir = await drawsDir();
    const fifo = path.join(dir, "result.pipe");
    execFileSync("mkfifo", [fifo]);
    const received = new Promise<string>((resolve, reject) => {
      let text = "";
      createReadStream(fifo, "utf8")
        .on("data", (c) => (text += c))
        .on("end", () => resolve(text))
        .on("error", reject);
    });
    expectSuccess(await runCli([...analyzeArgs(dir), "--out", fifo]));
    expect(AnalysisResultSchema.parse(JSON.parse(await received)).policies).toHaveLength(2);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it("follows a symlinked output (the link stays a link) and keeps a read-only file's mode", async () => {
    const dir = await drawsDir();
    const real = path.join(dir, "real.json");
    const link = path.join(dir, "link.json");
    await writeFile(real, "{}\n");
    await chmod(real, 0o444);
    await symlink("real.json", link);
    const run = await runCli([...analyzeArgs(dir), "--out", link]);
    if (process.getuid?.() === 0) {
      expectSuccess(run);
      expect(AnalysisResultSchema.parse(JSON.parse(await readFile(real, "utf8"))).policies).toHaveLength(2);
    }
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe("real.json");
    expect((await stat(real)).mode & 0o777).toBe(0o444);
  });

  it("--out - prints the JSON alone on stdout (the table goes to stderr)", async () => {
    const dir = await drawsDir();
    const run = await runCli([...analyzeArgs(dir), "--out", "-"]);
    expectSuccess(run);
    expect(AnalysisResultSchema.parse(JSON.parse(run.stdout)).policies).toHaveLength(2);
    expect(run.stderr).toMatch(/policy\s+estimate/);
    expect(await readdir(process.cwd())).not.toContain("-");
  });

  it("fails before the analysis, naming the path, when --out is a directory or under a file", async () => {
    const dir = await drawsDir();
    const isDir = await runCli([...analyzeArgs(dir), "--out", dir]);
    expect(isDir.code).toBe(1);
    expect(isDir.stdout).toBe(""); // nothing analysed, nothing printed
    expect(isDir.stderr).toContain(dir);
    expect(isDir.stderr).toContain("directory");
    expect(isDir.stderr).not.toContain("unexpected error");
    await writeFile(path.join(dir, "plain"), "");
    const underFile = await runCli([...analyzeArgs(dir), "--out", path.join(dir, "plain", "r.json")]);
    expect(underFile.code).toBe(1);
    expect(underFile.stdout).toBe("");
    expect(underFile.stderr).toContain(path.join(dir, "plain", "r.json"));
    expect(underFile.stderr).not.toMatch(/unexpected error|\.tmp/);
  });

  it("fails before the analysis on an unwritable folder (not root: root may write anywhere)", async () => {
    if (process.getuid?.() === 0) return;
    const dir = await drawsDir();
    const locked = path.join(dir, "locked");
    await mkdir(locked);
    await chmod(locked, 0o500);
    const run = await runCli([...analyzeArgs(dir), "--out", path.join(locked, "r.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("permission denied");
    expect(run.stderr).not.toMatch(/unexpected error|\.tmp/);
  });
});

describe("resource flags are capped with an error naming the flag and value", () => {
  const cases: [string, string[], RegExp][] = [
    ["--threads 300", ["--threads", "300"], /'--threads <n>' argument '300' is invalid\. must be at most \d+/],
    ["--threads 100000", ["--threads", "100000"], /'--threads <n>' argument '100000' is invalid/],
    ["--bootstrap 10000000", ["--bootstrap", "10000000"], /'--bootstrap <B>' argument '10000000' is invalid\. must be at most 100000/],
    ["--bootstrap 0", ["--bootstrap", "0"], /'--bootstrap <B>' argument '0' is invalid\. must be at least 2/],
    [
      "--seed 99999999999999999999",
      ["--seed", "99999999999999999999"],
      /'--seed <n>' argument '99999999999999999999' is invalid\. must be an integer from 0 to 2\^52/,
    ],
  ];
  for (const [name, flags, message] of cases) {
    it(`analyze ${name}`, async () => {
      const dir = await drawsDir();
      const run = await runCli([...analyzeArgs(dir), ...flags]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/unexpected error|heap|createRng/);
    });
  }

  it("judge --concurrency 100000 and --timeout-ms 3e9 are refused before any request", async () => {
    const dir = await drawsDir();
    const input = path.join(dir, "in.jsonl");
    await writeFile(input, '{"prompt_id":"1","prompt":"p","response":"r"}\n');
    const base = ["judge", "--in", input, "--out", path.join(dir, "o.jsonl"), "--provider", "openai", "--model", "m", "--base-url", "http://127.0.0.1:9"];
    const conc = await runCli([...base, "--concurrency", "100000"]);
    expect(conc.code).toBe(1);
    expect(conc.stderr).toMatch(/'--concurrency <n>' argument '100000' is invalid\. must be at most 1024/);
    const timeout = await runCli([...base, "--timeout-ms", "3e9"]);
    expect(timeout.code).toBe(1);
    expect(timeout.stderr).toMatch(/'--timeout-ms <ms>' argument '3e9' is invalid\. must be at most 2147483647 ms/);
  });

  it("label --concurrency 100000 is refused before anything is served", async () => {
    const run = await runCli(["label", "--concurrency", "100000", path.join(await drawsDir(), "to_label.jsonl")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/'--concurrency <n>' argument '100000' is invalid\. must be at most 1024/);
  });

  it("demo --prompts 1e8 is refused", async () => {
    const run = await runCli(["demo", "--prompts", "1e8"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/'--prompts <n>' argument '1e8' is invalid\. must be at most 1000000/);
  });
});

describe("policies named __proto__, constructor, toString, hasOwnProperty", () => {
  const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty"];

  async function protoDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "cje-proto-"));
    await mkdir(path.join(dir, "draws"));
    await mkdir(path.join(dir, "probes"));
    for (const [k, policy] of NAMES.entries()) {
      const rows = Array.from({ length: 60 }, (_, i) => {
        const s = ((i * 7 + k) % 10) / 10;
        return JSON.stringify({ prompt_id: `q${i}`, judge_score: s, ...(i % 2 === 0 ? { oracle_label: Math.min(1, s * 0.8 + 0.1) } : {}) });
      });
      await writeFile(path.join(dir, "draws", `${policy}_responses.jsonl`), `${rows.join("\n")}\n`);
      const probes = Array.from({ length: 30 }, (_, i) => {
        const s = ((i * 3 + k) % 10) / 10;
        return JSON.stringify({ prompt_id: `r${i}`, judge_score: s, oracle_label: Math.min(1, s * 0.8 + 0.1) });
      });
      await writeFile(path.join(dir, "probes", `${policy}.jsonl`), `${probes.join("\n")}\n`);
    }
    return dir;
  }

  it("analyze (with audits and per-policy --delta-max), audit and validate work, and the JSON round-trips through the schema", async () => {
    const dir = await protoDir();
    const out = path.join(dir, "r.json");
    const probeFlags = NAMES.flatMap((p) => ["--probe", `${p}=${path.join(dir, "probes", `${p}.jsonl`)}`]);
    const run = await runCli([
      "analyze",
      path.join(dir, "draws"),
      "--inference",
      "analytic",
      ...probeFlags,
      "--delta-max",
      "0.1",
      "--delta-max",
      "__proto__=0.3",
      "--delta-max",
      "constructor=0.2",
      "--out",
      out,
    ]);
    expectSuccess(run);
    const raw = JSON.parse(await readFile(out, "utf8")) as { diagnostics: { policies: Record<string, unknown> } };
    expect(Object.keys(raw.diagnostics.policies).sort()).toEqual([...NAMES].sort());
    const result = AnalysisResultSchema.parse(raw);
    expect(result.policies.map((p) => p.policy).sort()).toEqual([...NAMES].sort());
    expect(Object.keys(result.diagnostics.policies).sort()).toEqual([...NAMES].sort());
    const margins = Object.fromEntries(
      NAMES.map((p) => [p, Object.hasOwn(result.diagnostics.policies, p) ? result.diagnostics.policies[p].transport?.delta_max : "missing"]),
    );
    expect(margins).toEqual({ ["__proto__"]: 0.3, constructor: 0.2, toString: 0.1, hasOwnProperty: 0.1 });
    for (const p of NAMES) expect(result.diagnostics.policies[p].transport?.status).toBe("PASS");

    const audit = await runCli([
      "audit",
      "--calibration-from",
      path.join(dir, "draws"),
      ...probeFlags,
      "--delta-max",
      "0.1",
      "--out",
      path.join(dir, "a.json"),
    ]);
    expectSuccess(audit);
    const report = JSON.parse(await readFile(path.join(dir, "a.json"), "utf8")) as { policies: Record<string, { status: string }> };
    expect(Object.keys(report.policies).sort()).toEqual([...NAMES].sort());

    const validate = await runCli(["validate", path.join(dir, "draws")]);
    expectSuccess(validate);
    for (const p of NAMES) expect(validate.stdout).toContain(p);
  });

  it("an unknown policy named toString in --delta-max is still an unknown policy", async () => {
    const dir = await drawsDir();
    const run = await runCli([...analyzeArgs(dir), "--delta-max", "toString=0.1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown policies: toString");
  });
});

describe("hostile input files through the CLI", () => {
  it("a UTF-16 file stops with file:line and 'save it as UTF-8', without raw NUL bytes", async () => {
    const dir = await drawsDir();
    const file = path.join(dir, "draws", "a_responses.jsonl");
    await writeFile(file, Buffer.from(await readFile(file, "utf8"), "utf16le"));
    const run = await runCli(analyzeArgs(dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:1`);
    expect(run.stderr).toContain("save it as UTF-8");
    expect(run.stderr).not.toContain("\u0000");
  });

  it("one mistyped oracle label is an error suggesting --oracle-scale; --on-invalid drop drops and counts it", async () => {
    const dir = await drawsDir();
    const file = path.join(dir, "draws", "a_responses.jsonl");
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    lines[10] = JSON.stringify({ ...JSON.parse(lines[10]), oracle_label: 3 });
    await writeFile(file, `${lines.join("\n")}\n`);
    const run = await runCli(analyzeArgs(dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:11: field 'oracle_label' = 3`);
    expect(run.stderr).toContain("--oracle-scale 0,1");
    const out = path.join(dir, "r.json");
    expectSuccess(await runCli([...analyzeArgs(dir), "--on-invalid", "drop", "--out", out]));
    const result = AnalysisResultSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(result.diagnostics.dropped.total).toBe(1);
    expect(result.diagnostics.dropped.rows[0]).toMatchObject({ line: 11, field: "oracle_label" });
  });

  it("a dangling symlink in the draws folder is an error naming it", async () => {
    const dir = await drawsDir();
    const link = path.join(dir, "draws", "c_responses.jsonl");
    await symlink(path.join(dir, "nowhere.jsonl"), link);
    const run = await runCli(analyzeArgs(dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(link);
    expect(run.stderr).toContain("dangling symbolic link");
    const validate = await runCli(["validate", path.join(dir, "draws")]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain("dangling symbolic link");
  });
});
