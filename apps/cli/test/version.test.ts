import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "@cjeval/core";
import { bin, expectSuccess, repoRoot, runCli } from "./run-cli.js";

const versionOf = async (pkg: string) => (JSON.parse(await readFile(path.join(repoRoot, pkg, "package.json"), "utf8")) as { version: string }).version;

describe("versions", () => {
  it("prints the CLI's package version, and core reports its own, so a changeset bump shows in both", async () => {
    const run = await runCli(["--version"]);
    expectSuccess(run);
    expect(run.stdout.trim()).toBe(await versionOf(path.relative(repoRoot, path.dirname(path.dirname(bin)))));
    expect(VERSION).toBe(await versionOf("packages/core"));
  });
});
