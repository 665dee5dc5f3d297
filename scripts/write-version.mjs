#!/usr/bin/env node
// Writes src/version.ts of the package in the current folder (or the folders given) from its package.json, so that
// the package knows its version without reading package.json at run time (no `node:module`, nothing for a bundler
// to resolve). Package builds run it first; `npm run version-packages` runs it after `changeset version`. A test in
// each package checks that the committed file matches package.json.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["."];
for (const dir of dirs) {
  const { name, version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const text = `// Generated from package.json by scripts/write-version.mjs (run by the build); do not edit.\n\n/** The version of ${name}, as its package.json says (changesets bumps it there). */\nexport const VERSION: string = ${JSON.stringify(version)};\n`;
  const file = path.join(dir, "src", "version.ts");
  let current = null;
  try {
    current = readFileSync(file, "utf8");
  } catch {}
  if (current !== text) writeFileSync(file, text);
}
