/**
 * The READMEs' quickstarts, run as written against the packed packages, each in a fresh project: the code blocks
 * marked `quickstart` (```ts quickstart, ```js quickstart, ```sh quickstart) are read from the READMEs themselves, so
 * the docs and these tests cannot drift apart.
 *   - @cjeval/core alone: the in-memory example (its closing comments are its expected output), and the file example
 *     in the Arena sample's folder;
 *   - @cjeval/openai + @cjeval/provider-utils (+ core) against a loopback OpenAI-compatible server;
 *   - @cjeval/cli installed globally into a temporary prefix, running `cje demo`.
 */
import { cpSync, readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { describe, expect, inject, it } from "vitest";
// The private test-utils package is not linked at the root (it is a devDependency of the packages that use it).
import { chatCompletion, sendJson, startLoopbackServer } from "../../packages/test-utils/dist/index.js";
import { arenaDir, freshProject, install, npmCache, registryArgs, repoRoot, reuseSqliteAddon, sh, writeFiles } from "./pack.js";

const registry = { url: inject("registryUrl"), close: async () => {} };

/** The code blocks of a README marked `quickstart`, in order. */
function quickstarts(readme: string): { lang: string; code: string }[] {
  const text = readFileSync(path.join(repoRoot, readme), "utf8");
  return [...text.matchAll(/^```(\w+) quickstart\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** A TypeScript block as an ES module Node runs (types stripped). */
function toModule(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } })
    .outputText;
}

/** The expected output a block states in its closing `// …` comment lines. */
function statedOutput(code: string): string[] {
  const lines = code.trimEnd().split("\n");
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && lines[i].startsWith("// "); i--) out.unshift(lines[i].slice(3));
  return out;
}

describe("README quickstarts", () => {
  it("@cjeval/core: the in-memory example prints what it says, and the file example runs on the Arena sample", async () => {
    const blocks = quickstarts("packages/core/README.md");
    expect(blocks.map((b) => b.lang)).toEqual(["js", "ts"]);
    const dir = freshProject("core-readme");
    await install(dir, ["@cjeval/core"], registry);
    writeFiles(dir, { "example.mjs": blocks[0].code, "from-files.mjs": toModule(blocks[1].code) });
    const printed = (await sh("node", ["example.mjs"], { cwd: dir })).trimEnd().split("\n");
    const stated = statedOutput(blocks[0].code);
    expect(stated.length).toBeGreaterThan(0);
    expect(printed).toEqual(stated);

    cpSync(path.join(arenaDir, "fresh_draws"), path.join(dir, "fresh_draws"), { recursive: true });
    const fromFiles = (await sh("node", ["from-files.mjs"], { cwd: dir })).trimEnd().split("\n");
    expect(fromFiles.map((line) => line.split(" ")[0]).sort()).toEqual(["base", "clone", "parallel_universe_prompt", "unhelpful"]);
  });

  it("@cjeval/openai with @cjeval/provider-utils: the judge example against a loopback OpenAI-compatible server", async () => {
    const [block, ...rest] = quickstarts("packages/openai/README.md");
    expect(rest).toEqual([]);
    expect(block.lang).toBe("ts");
    const server = await startLoopbackServer((req, res) => {
      if (req.url === "/v1/chat/completions") sendJson(res, 200, chatCompletion("72"));
      else sendJson(res, 404, { error: { message: `no route ${req.url}` } });
    });
    try {
      const dir = freshProject("openai-readme");
      await install(dir, ["@cjeval/core", "@cjeval/provider-utils", "@cjeval/openai"], registry);
      writeFiles(dir, { "example.mjs": toModule(block.code) });
      const env = { OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: "sk-test" };
      const first = await sh("node", ["example.mjs"], { cwd: dir, env });
      expect(first).toMatch(/^0\.72 72 /);
      expect(server.requests.length).toBe(1);
      // The FileCache answers the second run: no new request.
      expect(await sh("node", ["example.mjs"], { cwd: dir, env })).toMatch(/^0\.72 72 /);
      expect(server.requests.length).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("@cjeval/cli: installed globally into a temporary prefix, `cje demo` runs", async () => {
    const [block, ...rest] = quickstarts("apps/cli/README.md");
    expect(rest).toEqual([]);
    expect(block.lang).toBe("sh");
    const prefix = mkdtempSync(path.join(tmpdir(), "cje-pkg-global-"));
    const work = mkdtempSync(path.join(tmpdir(), "cje-pkg-demo-"));
    const env = { PATH: `${path.join(prefix, "bin")}${path.delimiter}${process.env.PATH}` };
    let demo = "";
    for (const line of block.code.trim().split("\n")) {
      const global = /^npm install -g (.+)$/.exec(line);
      if (global !== null) {
        await sh("npm", ["install", "-g", "--prefix", prefix, ...registryArgs(registry, await npmCache()), ...global[1].split(" ")], { cwd: work });
        reuseSqliteAddon(path.join(prefix, "lib", "node_modules", "@cjeval", "cli", "node_modules"));
      } else {
        demo += await sh("sh", ["-c", line], { cwd: work, env });
      }
    }
    expect(demo).toMatch(/flatterer .*TRANSPORT-FAIL/);
    expect(demo).toMatch(/concise +100 +PASS/);
  });
});
