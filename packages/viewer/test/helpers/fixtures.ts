import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runDemo } from "@cjeval/runner";

/** Repository root, found from this file's location (packages/viewer/test/helpers). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The real Chatbot Arena sample's fresh draws (`../shared` next to the repo, or `CJE_SHARED_DIR`; read-only). */
export const arenaDraws = path.join(process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared"), "data", "arena_sample", "fresh_draws");

/** Prompts per policy of the small demo campaign the tests run. */
export const DEMO_TEST_PROMPTS = 200;

/** A folder holding the offline demo campaign, run to the end, as `.cje/demo` (the runner's default layout). */
export async function demoProject(): Promise<{ cwd: string; campaignDir: string }> {
  const cwd = await mkdtemp(path.join(tmpdir(), "cje-view-"));
  const campaignDir = path.join(cwd, ".cje", "demo");
  const { summary } = await runDemo({ prompts: DEMO_TEST_PROMPTS, outDir: campaignDir });
  if (summary.status !== "complete") throw new Error(`the demo campaign did not finish: ${summary.reason ?? summary.status}`);
  return { cwd, campaignDir };
}
