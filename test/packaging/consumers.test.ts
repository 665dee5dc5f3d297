/**
 * Every published package from a strict TypeScript consumer (skipLibCheck off) under nodenext, node16 and bundler
 * resolution, and at run time from ESM (`import`) and CommonJS (`require`, Node ≥ 20.19 require(esm)): installed by
 * name from the packed tarballs into fresh projects.
 */
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { freshProject, install, repoRoot, sh, writeFiles } from "./pack.js";

const registry = { url: inject("registryUrl"), close: async () => {} };
const published = inject("packed").filter((p) => !p.private);
const rootManifest = (await import(path.join(repoRoot, "package.json"), { with: { type: "json" } })).default as { devDependencies: Record<string, string> };
const TYPESCRIPT = `typescript@${rootManifest.devDependencies.typescript}`;
const TYPES_NODE = `@types/node@${rootManifest.devDependencies["@types/node"]}`;

/** Every entry point (package name plus subpath) of the published packages. */
const entries = published.flatMap((p) => Object.keys(p.manifest.exports as Record<string, unknown>).map((sub) => p.name + sub.slice(1)));

const strict = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022"],
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

function tsconfig(module: string, moduleResolution: string, files: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ compilerOptions: { ...strict, module, moduleResolution, ...extra }, files }, null, 2);
}

/** A browser consumer: the DOM library (zod's declarations name `URL`), no Node types. */
const BROWSER = { types: [], lib: ["ES2022", "DOM"] };

const esmSource = `${entries.map((e, i) => `import * as m${i} from "${e}";`).join("\n")}\nexport const loaded: unknown[] = [${entries.map((_, i) => `m${i}`).join(", ")}];\n`;
const cjsSource = `${entries.map((e, i) => `import m${i} = require("${e}");`).join("\n")}\nexport const loaded: unknown[] = [${entries.map((_, i) => `m${i}`).join(", ")}];\n`;

/**
 * Third-party declarations that do not compile under `skipLibCheck: false` whatever the consumer does: the AI SDK's
 * (`ai`, `@ai-sdk/*`, reached through `@cjeval/ai-sdk` and the runner) need the DOM library and `@types/json-schema`,
 * which they do not declare, and `ai`'s tool generics fail TS2344 under strict settings. Their errors are not ours.
 */
const UPSTREAM_DECLARATIONS = /^node_modules\/(ai|@ai-sdk\/[^/]+)\//;

/** The `tsc -p tsconfig.<config>.json` errors in `dir`, less those inside {@link UPSTREAM_DECLARATIONS}. */
async function ownTypeErrors(dir: string, config: string): Promise<string[]> {
  let output: string;
  try {
    output = await sh("npx", ["tsc", "-p", `tsconfig.${config}.json`], { cwd: dir });
  } catch (error) {
    output = (error as Error).message;
  }
  return output.split("\n").filter((line) => /error TS\d+/.test(line) && !UPSTREAM_DECLARATIONS.test(line.trim()));
}

describe("published packages", () => {
  it("core alone typechecks for a browser consumer (DOM, no Node types), under nodenext, node16 and bundler", async () => {
    const dir = freshProject("core-types");
    await install(dir, ["@cjeval/core", TYPESCRIPT], registry);
    const source = `import { analyze, evaluationDataFromRecords, VERSION } from "@cjeval/core";\nimport { fitIsotonic } from "@cjeval/core/advanced";\nexport const x: string = VERSION;\nexport const f = [analyze, evaluationDataFromRecords, fitIsotonic];\n`;
    writeFiles(dir, {
      "index.mts": source,
      "index.ts": source,
      "tsconfig.nodenext.json": tsconfig("nodenext", "nodenext", ["index.mts"], BROWSER),
      "tsconfig.node16.json": tsconfig("node16", "node16", ["index.mts"], BROWSER),
      "tsconfig.bundler.json": tsconfig("esnext", "bundler", ["index.ts"], BROWSER),
    });
    for (const config of ["nodenext", "node16", "bundler"]) await sh("npx", ["tsc", "-p", `tsconfig.${config}.json`], { cwd: dir });
  });

  it("every entry of every package typechecks for a strict Node consumer (ESM under nodenext, node16, bundler; CommonJS under nodenext)", async () => {
    const dir = freshProject("all-types");
    await install(dir, [...published.map((p) => p.name), TYPESCRIPT, TYPES_NODE], registry);
    writeFiles(dir, {
      "esm.mts": esmSource,
      "esm.ts": esmSource,
      "cjs.cts": cjsSource,
      "tsconfig.nodenext.json": tsconfig("nodenext", "nodenext", ["esm.mts", "cjs.cts"]),
      "tsconfig.node16.json": tsconfig("node16", "node16", ["esm.mts"]),
      "tsconfig.bundler.json": tsconfig("esnext", "bundler", ["esm.ts"]),
      // Without the consumer's own Node types: what a declaration needs must come from its package's dependencies.
      "tsconfig.declared.json": tsconfig("esnext", "bundler", ["esm.ts"], BROWSER),
    });
    for (const config of ["nodenext", "node16", "bundler", "declared"]) expect(await ownTypeErrors(dir, config), config).toEqual([]);

    // At run time: every entry imports from ESM and requires from CommonJS, as one and the same module.
    writeFiles(dir, {
      "run.mjs": `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\nconst out = {};\nfor (const e of ${JSON.stringify(entries)}) {\n  const esm = await import(e);\n  const cjs = require(e);\n  if (Object.keys(esm).length === 0) throw new Error(e + ": no exports");\n  for (const k of Object.keys(esm)) if (esm[k] !== cjs[k]) throw new Error(e + ": " + k + " differs between import and require");\n  out[e] = Object.keys(esm).length;\n}\nconsole.log(JSON.stringify(out));\n`,
      "run.cjs": `const { analyze, evaluationDataFromRecords, VERSION } = require("@cjeval/core");\nconst { loadEvaluationData } = require("@cjeval/core/node");\nconst data = evaluationDataFromRecords({ a: [0.2, 0.4, 0.6, 0.8].map((s, i) => ({ prompt_id: "p" + i, judge_score: s, oracle_label: s })), b: [0.3, 0.5, 0.7, 0.9].map((s, i) => ({ prompt_id: "p" + i, judge_score: s })) });\nconst result = analyze(data, { inference: "analytic" });\nconsole.log(JSON.stringify({ VERSION, policies: result.policies.map((p) => p.policy), loader: typeof loadEvaluationData }));\n`,
    });
    const counts = JSON.parse(await sh("node", ["run.mjs"], { cwd: dir })) as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual([...entries].sort());
    const cjs = JSON.parse(await sh("node", ["run.cjs"], { cwd: dir })) as { VERSION: string; policies: string[]; loader: string };
    expect(cjs).toEqual({ VERSION: published.find((p) => p.name === "@cjeval/core")?.version, policies: ["a", "b"], loader: "function" });
  });
});
