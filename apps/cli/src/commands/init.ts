import { writeStarterCampaign } from "@cjeval/runner";
import type { Command } from "commander";

interface InitFlags {
  readonly yaml?: boolean;
  readonly force?: boolean;
}

/** Registers `cje init`. */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("Write a commented starter campaign (cje.config.ts, or cje.config.yaml) and example prompts.")
    .argument("[dir]", "folder to write into", ".")
    .option("--yaml", "write cje.config.yaml instead of cje.config.ts")
    .option("--force", "overwrite an existing campaign file")
    .action(async (dir: string, flags: InitFlags) => {
      const files = await writeStarterCampaign(dir, { format: flags.yaml === true ? "yaml" : "ts", ...(flags.force === true ? { force: true } : {}) });
      process.stdout.write(`Wrote ${files.config}${files.prompts === null ? "" : ` and ${files.prompts}`}.\n`);
      process.stdout.write("Edit it, then: npx cje run --dry-run (calls and cost), npx cje run (run or resume), npx cje report.\n");
    });
}
