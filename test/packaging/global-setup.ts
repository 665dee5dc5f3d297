import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { packAll, startRegistry } from "./pack.js";

declare module "vitest" {
  export interface ProvidedContext {
    registryUrl: string;
    packed: { name: string; version: string; dir: string; private: boolean; manifest: Record<string, unknown> }[];
  }
}

/** Packs every workspace once and serves the tarballs from a local `@cjeval` registry for all packaging tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const out = mkdtempSync(path.join(tmpdir(), "cje-tarballs-"));
  const packed = await packAll(out);
  const registry = await startRegistry(packed);
  project.provide("registryUrl", registry.url);
  project.provide(
    "packed",
    packed.map(({ name, version, dir, private: isPrivate, manifest }) => ({ name, version, dir, private: isPrivate, manifest })),
  );
  return async () => {
    await registry.close();
    rmSync(out, { recursive: true, force: true });
  };
}
